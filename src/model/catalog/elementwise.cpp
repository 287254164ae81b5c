// Binary element-wise ops, reductions and index ops.
#include <cstring>
#include <string>

#include "model/catalog/builders.h"

namespace ncnn_int8::catalog {
namespace {

// Einsum: the equation is an int array of character codes.
bool einsum_equation_ok(const LayerParams& p)
{
    const std::vector<int32_t>& codes = p.get(params::Einsum::equation);
    std::string equation(codes.size(), '\0');
    for (size_t i = 0; i < codes.size(); i++)
        equation[i] = static_cast<char>(codes[i]); // ncnn narrows int to char

    if (equation == "ii") return true; // trace

    // ncnn works on the C string: it ends at the first NUL
    const char* text = equation.c_str();
    const char* arrow = std::strstr(text, "->");
    if (!arrow) return false;

    // lhs operand letters must be in i..x (commas separate operands)
    for (const char* c = text; c < arrow; c++)
        if (*c != ',' && (*c < 'i' || *c > 'x')) return false;

    // output letters must be in i..l
    for (const char* c = arrow + 2; *c; c++)
        if (*c < 'i' || *c > 'l') return false;
    return true;
}

} // namespace

void add_elementwise_layers(std::vector<LayerSchema>& t)
{
    // the reference writer has no branch for these
    t.push_back(unwritten<params::ArgMax>({I(params::ArgMax::out_max_val, 0), I(params::ArgMax::topk, 1)}));
    t.push_back(with_check(unwritten<params::Einsum>({IA(params::Einsum::equation)}),
                           "equation must be \"ii\" or contain \"->\" with operand letters i..x and output letters i..l",
                           einsum_equation_ok));

    t.push_back(make<params::BinaryOp>({I(params::BinaryOp::op_type, 0), I(params::BinaryOp::with_scalar, 0), F(params::BinaryOp::b, 0.f)}));
    t.push_back(make<params::CumulativeSum>({I(params::CumulativeSum::axis, 0)}));
    t.push_back(make<params::Diag>({I(params::Diag::diagonal, 0)}));
    t.push_back(make<params::Eltwise>({I(params::Eltwise::op_type, 0), FA(params::Eltwise::coeffs)}));
    {
        // the writer adds " 5=1" whenever axes are present (see Reduction's fixbug0)
        using P = params::Reduction;
        t.push_back(with_check(make<P>({
                                   I(P::operation, 0),
                                   I(P::reduce_all, 1),
                                   F(P::coeff, 1.f),
                                   IA(P::axes),
                                   I(P::keepdims, 0),
                                   I(P::fixbug0, 0).marker_when_set(P::axes),
                               }),
                               "axes require fixbug0 (5=1); older params must be regenerated",
                               [](const LayerParams& p) { return p.get(P::fixbug0) != 0 || p.get(P::axes).empty(); }));
    }
}

} // namespace ncnn_int8::catalog
