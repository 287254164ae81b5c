// Element-wise layers with one or more inputs: Eltwise, BinaryOp (ncnn's
// broadcasting: the lower-rank operand is expanded along inner axes, then
// every axis of extent 1 repeats), UnaryOp.
#include <algorithm>
#include <cmath>

#include "engine/layer_registry.h"

namespace ncnn_int8::engine {

namespace {

using Made = Result<std::unique_ptr<LayerForward>>;

// ---------------------------------------------------------------- Eltwise

class Eltwise final : public LayerForward {
public:
    Eltwise(int op, std::vector<float> coeffs) : op_(op),
                                                 coeffs_(std::move(coeffs)) {}
    Status forward(const std::vector<TensorPtr>& bottoms, std::vector<TensorPtr>& tops) const override
    {
        const Tensor& first = *bottoms[0];
        for (const TensorPtr& b : bottoms)
            if (!b->same_shape(first)) return shape_error("needs bottoms of one shape, got " + first.shape_text() + " and " + b->shape_text());
        if (op_ == 1 && !coeffs_.empty() && coeffs_.size() < bottoms.size())
            return shape_error("has " + std::to_string(coeffs_.size()) + " coeffs for " + std::to_string(bottoms.size()) + " bottoms");
        auto out = std::make_shared<Tensor>(Tensor::for_overwrite_like(first)); // written whole by the first loop
        float* o = out->data.data();
        const float* a = bottoms[0]->data.data();
        const float* b = bottoms[1]->data.data();
        const size_t n = first.total();
        if (op_ == 0) {
            for (size_t i = 0; i < n; i++) o[i] = a[i] * b[i];
            for (size_t k = 2; k < bottoms.size(); k++)
                for (size_t i = 0; i < n; i++) o[i] *= bottoms[k]->data[i];
        } else if (op_ == 1 && coeffs_.empty()) {
            for (size_t i = 0; i < n; i++) o[i] = a[i] + b[i];
            for (size_t k = 2; k < bottoms.size(); k++)
                for (size_t i = 0; i < n; i++) o[i] += bottoms[k]->data[i];
        } else if (op_ == 1) {
            for (size_t i = 0; i < n; i++) o[i] = a[i] * coeffs_[0] + b[i] * coeffs_[1];
            for (size_t k = 2; k < bottoms.size(); k++)
                for (size_t i = 0; i < n; i++) o[i] += bottoms[k]->data[i] * coeffs_[k];
        } else {
            for (size_t i = 0; i < n; i++) o[i] = std::max(a[i], b[i]);
            for (size_t k = 2; k < bottoms.size(); k++)
                for (size_t i = 0; i < n; i++) o[i] = std::max(o[i], bottoms[k]->data[i]);
        }
        tops.push_back(std::move(out));
        return Status::ok();
    }

private:
    int op_;
    std::vector<float> coeffs_;
};

Made make_eltwise(const LayerContext& ctx)
{
    using P = params::Eltwise;
    const int op = ctx.params().get(P::op_type);
    if (op < 0 || op > 2) return ctx.error("op_type " + std::to_string(op) + " is not 0 (prod), 1 (sum) or 2 (max)");
    if (ctx.bottom_count() < 2) return ctx.error("Eltwise needs at least two bottom blobs");
    return std::unique_ptr<LayerForward>(new Eltwise(op, ctx.params().get(P::coeffs)));
}

// ---------------------------------------------------------------- BinaryOp

using BinaryFn = float (*)(float, float);

BinaryFn binary_fn(int op)
{
    switch (op) {
    case 0: return [](float x, float y) { return x + y; };
    case 1: return [](float x, float y) { return x - y; };
    case 2: return [](float x, float y) { return x * y; };
    case 3: return [](float x, float y) { return x / y; };
    case 4: return [](float x, float y) { return std::max(x, y); };
    case 5: return [](float x, float y) { return std::min(x, y); };
    case 6: return [](float x, float y) { return std::pow(x, y); };
    case 7: return [](float x, float y) { return y - x; };
    case 8: return [](float x, float y) { return y / x; };
    case 9: return [](float x, float y) { return std::pow(y, x); };
    case 10: return [](float x, float y) { return std::atan2(x, y); };
    case 11: return [](float x, float y) { return std::atan2(y, x); };
    case 12: return [](float x, float y) { return std::fmod(x, y); };
    case 13: return [](float x, float y) { return std::fmod(y, x); };
    case 14: return [](float x, float y) {
        const float hi = std::max(x, y), lo = std::min(x, y);
        return hi + std::log1p(std::exp(lo - hi));
    };
    case 15: return [](float x, float y) { return std::floor(x / y); };
    case 16: return [](float x, float y) { return std::floor(y / x); };
    case 17: return [](float x, float y) { return std::remainder(x, y); };
    case 18: return [](float x, float y) { return std::remainder(y, x); };
    default: return nullptr;
    }
}

// `t` viewed with `outdims` axes, as ncnn's BinaryOp reshapes the
// lower-rank operand (other: the operand it is broadcast against).
Tensor expand_rank(const Tensor& t, const Tensor& other, int outdims)
{
    Tensor v;
    v.dims = outdims;
    if (t.dims >= outdims) {
        v = t;
        return v;
    }
    if (outdims == 2) { // 1-D
        if (t.w == other.h)
            v.h = t.w;
        else
            v.w = t.w;
    } else if (t.dims == 1) {
        if (t.w == other.c)
            v.c = t.w;
        else
            v.w = t.w;
    } else if (outdims == 3) { // 2-D into 3-D
        v.h = t.w;
        v.c = t.h;
    } else if (t.dims == 2) { // into 4-D
        v.d = t.w;
        v.c = t.h;
    } else { // 3-D into 4-D
        v.h = t.w;
        v.d = t.h;
        v.c = t.c;
    }
    v.data = t.data;
    return v;
}

class BinaryOp final : public LayerForward {
public:
    BinaryOp(int op, BinaryFn fn, bool with_scalar, float b) : op_(op),
                                                               fn_(fn),
                                                               with_scalar_(with_scalar),
                                                               b_(b) {}
    Status forward(const std::vector<TensorPtr>& bottoms, std::vector<TensorPtr>& tops) const override
    {
        if (with_scalar_) {
            auto out = std::make_shared<Tensor>(*bottoms.at(0));
            for (float& v : out->data) v = fn_(v, b_);
            tops.push_back(std::move(out));
            return Status::ok();
        }
        if (bottoms.size() != 2) return shape_error("needs two bottom blobs without with_scalar");
        const Tensor& A = *bottoms[0];
        const Tensor& B = *bottoms[1];
        if (A.same_shape(B) && op_ <= 5) {                                      // the common case, inlined
            auto out = std::make_shared<Tensor>(Tensor::for_overwrite_like(A)); // every case writes all n
            float* o = out->data.data();
            const float* a = A.data.data();
            const float* b = B.data.data();
            const size_t n = A.total();
            switch (op_) {
            case 0:
                for (size_t i = 0; i < n; i++) o[i] = a[i] + b[i];
                break;
            case 1:
                for (size_t i = 0; i < n; i++) o[i] = a[i] - b[i];
                break;
            case 2:
                for (size_t i = 0; i < n; i++) o[i] = a[i] * b[i];
                break;
            case 3:
                for (size_t i = 0; i < n; i++) o[i] = a[i] / b[i];
                break;
            case 4:
                for (size_t i = 0; i < n; i++) o[i] = std::max(a[i], b[i]);
                break;
            default:
                for (size_t i = 0; i < n; i++) o[i] = std::min(a[i], b[i]);
                break;
            }
            tops.push_back(std::move(out));
            return Status::ok();
        }
        const int outdims = std::max(A.dims, B.dims);
        const Tensor a = expand_rank(A, B, outdims);
        const Tensor b = expand_rank(B, A, outdims);
        Tensor out;
        out.dims = outdims;
        out.w = std::max(a.w, b.w);
        out.h = std::max(a.h, b.h);
        out.d = std::max(a.d, b.d);
        out.c = std::max(a.c, b.c);
        for (const Tensor* t : {&a, &b})
            if ((t->w != out.w && t->w != 1) || (t->h != out.h && t->h != 1) || (t->d != out.d && t->d != 1) || (t->c != out.c && t->c != 1))
                return shape_error("cannot broadcast " + A.shape_text() + " with " + B.shape_text());
        out.data.resize(out.total());
        float* o = out.data.data();
        const int ainc = a.w > 1 ? 1 : 0, binc = b.w > 1 ? 1 : 0;
        for (int q = 0; q < out.c; q++)
            for (int z = 0; z < out.d; z++)
                for (int y = 0; y < out.h; y++) {
                    const float* pa = a.data.data() + ((static_cast<size_t>(std::min(q, a.c - 1)) * a.d + std::min(z, a.d - 1)) * a.h + std::min(y, a.h - 1)) * a.w;
                    const float* pb = b.data.data() + ((static_cast<size_t>(std::min(q, b.c - 1)) * b.d + std::min(z, b.d - 1)) * b.h + std::min(y, b.h - 1)) * b.w;
                    for (int x = 0; x < out.w; x++, pa += ainc, pb += binc) *o++ = fn_(*pa, *pb);
                }
        tops.push_back(std::make_shared<Tensor>(std::move(out)));
        return Status::ok();
    }

private:
    int op_;
    BinaryFn fn_;
    bool with_scalar_;
    float b_;
};

Made make_binary_op(const LayerContext& ctx)
{
    using P = params::BinaryOp;
    const int op = ctx.params().get(P::op_type);
    BinaryFn fn = binary_fn(op);
    if (!fn) return ctx.error("op_type " + std::to_string(op) + " is not one ncnn defines (0..18)");
    const bool with_scalar = ctx.params().get(P::with_scalar) != 0;
    if (ctx.bottom_count() != (with_scalar ? 1u : 2u)) return ctx.error(with_scalar ? "with_scalar takes one bottom blob" : "needs two bottom blobs");
    return std::unique_ptr<LayerForward>(new BinaryOp(op, fn, with_scalar, ctx.params().get(P::b)));
}

// ---------------------------------------------------------------- UnaryOp

using UnaryFn = float (*)(float);

UnaryFn unary_fn(int op)
{
    switch (op) {
    case 0: return [](float x) { return std::fabs(x); };
    case 1: return [](float x) { return -x; };
    case 2: return [](float x) { return std::floor(x); };
    case 3: return [](float x) { return std::ceil(x); };
    case 4: return [](float x) { return x * x; };
    case 5: return [](float x) { return std::sqrt(x); };
    case 6: return [](float x) { return 1.f / std::sqrt(x); };
    case 7: return [](float x) { return std::exp(x); };
    case 8: return [](float x) { return std::log(x); };
    case 9: return [](float x) { return std::sin(x); };
    case 10: return [](float x) { return std::cos(x); };
    case 11: return [](float x) { return std::tan(x); };
    case 12: return [](float x) { return std::asin(x); };
    case 13: return [](float x) { return std::acos(x); };
    case 14: return [](float x) { return std::atan(x); };
    case 15: return [](float x) { return 1.f / x; };
    case 16: return [](float x) { return std::tanh(x); };
    case 17: return [](float x) { return std::log10(x); };
    case 18: return [](float x) { return std::nearbyint(x); }; // default rounding: to nearest even
    case 19: return [](float x) { return std::trunc(x); };
    case 20: return [](float x) { return x > 0.f ? 1.f : x < 0.f ? -1.f
                                                                 : 0.f; };
    case 21: return [](float x) { return std::expm1(x); };
    case 22: return [](float x) { return std::sinh(x); };
    case 23: return [](float x) { return std::asinh(x); };
    case 24: return [](float x) { return std::cosh(x); };
    case 25: return [](float x) { return std::acosh(x); };
    case 26: return [](float x) { return std::atanh(x); };
    case 27: return [](float x) { return std::log1p(x); };
    default: return nullptr;
    }
}

class UnaryOp final : public LayerForward {
public:
    explicit UnaryOp(UnaryFn fn) : fn_(fn) {}
    Status forward(const std::vector<TensorPtr>& bottoms, std::vector<TensorPtr>& tops) const override
    {
        auto out = std::make_shared<Tensor>(*bottoms.at(0));
        for (float& v : out->data) v = fn_(v);
        tops.push_back(std::move(out));
        return Status::ok();
    }

private:
    UnaryFn fn_;
};

Made make_unary_op(const LayerContext& ctx)
{
    using P = params::UnaryOp;
    const int op = ctx.params().get(P::op_type);
    UnaryFn fn = unary_fn(op);
    if (!fn) return ctx.error("op_type " + std::to_string(op) + " is not one ncnn defines (0..27)");
    if (ctx.bottom_count() != 1) return ctx.error("takes one bottom blob");
    return std::unique_ptr<LayerForward>(new UnaryOp(fn));
}

} // namespace

void register_elementwise_layers(LayerRegistry& r)
{
    r["Eltwise"] = make_eltwise;
    r["BinaryOp"] = make_binary_op;
    r["UnaryOp"] = make_unary_op;
}

} // namespace ncnn_int8::engine
