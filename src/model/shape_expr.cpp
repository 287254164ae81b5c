// Evaluates a list expression the way ncnn's eval_list_expression does,
// only to learn whether load_param accepts it.
#include "model/shape_expr.h"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <vector>

namespace ncnn_int8 {
namespace {

// C integer division a / b traps for these operands.
bool int_div_ok(int32_t a, int32_t b)
{
    return b != 0 && !(a == INT32_MIN && b == -1);
}

struct ExprValue {
    bool is_float = false;
    int32_t i = 0;
    float f = 0.f;

    static ExprValue of_int(int32_t v)
    {
        ExprValue e;
        e.i = v;
        return e;
    }
    static ExprValue of_float(float v)
    {
        ExprValue e;
        e.is_float = true;
        e.f = v;
        return e;
    }
    float as_float() const { return is_float ? f : static_cast<float>(i); }
    // ncnn reads the union's int member whatever the type
    int32_t raw_int() const
    {
        if (!is_float) return i;
        int32_t v;
        std::memcpy(&v, &f, 4);
        return v;
    }
};

// float -> int as x86 converts it (out of range and NaN give INT_MIN).
int32_t float_to_int(double v)
{
    if (!(v > -2147483649.0 && v < 2147483648.0)) return INT32_MIN;
    return static_cast<int32_t>(v);
}

int32_t wrap(int64_t v)
{
    return static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(v)));
}

bool is_blob_ref(const std::string& t)
{
    return t.size() == 2 && t[0] >= '0' && t[0] <= '9'
           && (t[1] == 'w' || t[1] == 'h' || t[1] == 'd' || t[1] == 'c' || t[1] == 'n');
}

bool is_one_of(const std::string& t, std::initializer_list<const char*> names)
{
    for (const char* n : names)
        if (t == n) return true;
    return false;
}

float float_unary(const std::string& t, float a)
{
    if (t == "acos") return acosf(a);
    if (t == "acosh") return acoshf(a);
    if (t == "asin") return asinf(a);
    if (t == "asinh") return asinhf(a);
    if (t == "atan") return atanf(a);
    if (t == "atanh") return atanhf(a);
    if (t == "cos") return cosf(a);
    if (t == "cosh") return coshf(a);
    if (t == "erf") return erff(a);
    if (t == "exp") return expf(a);
    if (t == "log") return logf(a);
    if (t == "log10") return log10f(a);
    if (t == "reciprocal") return 1.f / a;
    if (t == "rsqrt") return 1.f / sqrtf(a);
    if (t == "sin") return sinf(a);
    if (t == "sinh") return sinhf(a);
    if (t == "sqrt") return sqrtf(a);
    if (t == "tan") return tanf(a);
    return tanhf(a);
}

float float_binary(const std::string& t, float a, float b)
{
    if (t == "/") return a / b;
    if (t == "atan2") return atan2f(a, b);
    if (t == "fmod") return fmodf(a, b);
    if (t == "pow") return powf(a, b);
    if (t == "remainder") {
        float r = fmodf(a, b);
        if (a * b < 0) r += b;
        return r;
    }
    return logf(expf(a) + expf(b)); // logaddexp
}

} // namespace

bool shape_expr_loads(const std::string& expr)
{
    if (expr.empty()) return true;

    std::vector<std::string> tokens;
    std::string t;
    for (char ch : expr) {
        if (ch == '(' || ch == ')' || ch == ',') {
            if (!t.empty()) tokens.push_back(t);
            t.clear();
        } else {
            t += ch;
        }
    }
    if (!t.empty()) tokens.push_back(t);

    std::vector<ExprValue> stack;
    auto pop = [&stack](ExprValue& v) {
        if (stack.empty()) return false;
        v = stack.back();
        stack.pop_back();
        return true;
    };

    for (size_t n = tokens.size(); n-- > 0;) {
        const std::string& tok = tokens[n];
        ExprValue a, b;
        if (is_blob_ref(tok)) {
            // reference blobs are empty Mats: w/h/d/c are 0, the batch count is 1
            stack.push_back(ExprValue::of_int(tok[1] == 'n' ? 1 : 0));
        } else if (is_one_of(tok, {"+", "-", "*", "//", "max", "min"})) {
            if (!pop(a) || !pop(b)) return false;
            if (!a.is_float && !b.is_float) {
                int32_t r;
                if (tok == "+")
                    r = wrap(int64_t(a.i) + b.i);
                else if (tok == "-")
                    r = wrap(int64_t(a.i) - b.i);
                else if (tok == "*")
                    r = wrap(int64_t(a.i) * b.i);
                else if (tok == "//") {
                    if (!int_div_ok(a.i, b.i)) return false;
                    r = a.i / b.i;
                } else if (tok == "max")
                    r = a.i > b.i ? a.i : b.i;
                else
                    r = a.i < b.i ? a.i : b.i;
                stack.push_back(ExprValue::of_int(r));
            } else {
                const float x = a.as_float(), y = b.as_float();
                float r;
                if (tok == "+")
                    r = x + y;
                else if (tok == "-")
                    r = x - y;
                else if (tok == "*")
                    r = x * y;
                else if (tok == "//")
                    r = floorf(x / y);
                else if (tok == "max")
                    r = x < y ? y : x;
                else
                    r = y < x ? y : x;
                stack.push_back(ExprValue::of_float(r));
            }
        } else if (is_one_of(tok, {"abs", "neg", "sign", "square"})) {
            if (!pop(a)) return false;
            if (!a.is_float) {
                const int32_t v = a.i;
                int32_t r;
                if (tok == "abs")
                    r = v > 0 ? v : wrap(-int64_t(v));
                else if (tok == "neg")
                    r = wrap(-int64_t(v));
                else if (tok == "sign")
                    r = v > 0 ? 1 : (v == 0 ? 0 : -1);
                else
                    r = wrap(int64_t(v) * v);
                stack.push_back(ExprValue::of_int(r));
            } else {
                const float v = a.f;
                float r;
                if (tok == "abs")
                    r = fabsf(v);
                else if (tok == "neg")
                    r = -v;
                else if (tok == "sign")
                    r = v > 0.f ? 1.f : (v == 0.f ? 0.f : -1.f);
                else
                    r = v * v;
                stack.push_back(ExprValue::of_float(r));
            }
        } else if (is_one_of(tok, {"trunc", "ceil", "floor", "round"})) {
            if (!pop(a)) return false;
            if (!a.is_float) {
                stack.push_back(a);
            } else {
                double r;
                if (tok == "trunc")
                    r = a.f;
                else if (tok == "ceil")
                    r = std::ceil(static_cast<double>(a.f));
                else if (tok == "floor")
                    r = std::floor(static_cast<double>(a.f));
                else
                    r = std::round(static_cast<double>(a.f));
                stack.push_back(ExprValue::of_int(float_to_int(r)));
            }
        } else if (is_one_of(tok, {"acos", "acosh", "asin", "asinh", "atan", "atanh", "cos", "cosh", "erf", "exp",
                                   "log", "log10", "reciprocal", "rsqrt", "sin", "sinh", "sqrt", "tan", "tanh"})) {
            if (!pop(a)) return false;
            stack.push_back(ExprValue::of_float(float_unary(tok, a.as_float())));
        } else if (is_one_of(tok, {"/", "atan2", "fmod", "pow", "remainder", "logaddexp"})) {
            if (!pop(a) || !pop(b)) return false;
            stack.push_back(ExprValue::of_float(float_binary(tok, a.as_float(), b.as_float())));
        } else if (is_one_of(tok, {"and", "or", "xor", "lshift", "rshift"})) {
            if (!pop(a) || !pop(b)) return false;
            const int32_t x = a.raw_int(), y = b.raw_int();
            int32_t r;
            if (tok == "and")
                r = x & y;
            else if (tok == "or")
                r = x | y;
            else if (tok == "xor")
                r = x ^ y;
            else if (tok == "lshift")
                r = wrap(int64_t(static_cast<uint32_t>(x) << (y & 31)));
            else
                r = x >> (y & 31);
            stack.push_back(ExprValue::of_int(r));
        } else {
            // literal: an int when %d and %f agree, else a float, else malformed
            int vi = 0;
            float vf = 0.f;
            const int nscani = std::sscanf(tok.c_str(), "%d", &vi);
            const int nscanf = std::sscanf(tok.c_str(), "%f", &vf);
            if (nscani == 1 && nscanf == 1 && static_cast<float>(vi) == vf)
                stack.push_back(ExprValue::of_int(vi));
            else if (nscanf == 1)
                stack.push_back(ExprValue::of_float(vf));
            else
                return false;
        }
    }
    return !stack.empty(); // ncnn reads the top of the stack unconditionally
}

} // namespace ncnn_int8
