// Fully connected and embedding layers and matrix products.
#include <string>

#include "model/catalog/weight_quantize.h"

namespace ncnn_int8::catalog {
namespace {

// The reference reshapes the weights to num_output rows.
std::string inner_product_shape_check(const LayerParams& p)
{
    using P = params::InnerProduct;
    const int64_t wds = p.get(P::weight_data_size), num_output = p.get(P::num_output);
    if (num_output > 0 && wds % num_output == 0) return "";
    return "weight_data_size " + std::to_string(wds) + " is not a multiple of num_output (" + std::to_string(num_output) + ")";
}

LayerSchema inner_product()
{
    using P = params::InnerProduct;
    LayerSchema s = make<P>({
        I(P::num_output, 0),
        I(P::bias_term, 0),
        I(P::weight_data_size, 0),
        I(P::int8_scale_term, 0),
        I(P::activation_type, 0),
        FA(P::activation_params),
    });
    s.blobs = {
        Tagged("weight_data", count_of<P::weight_data_size>),
        Raw("bias_data", count_of<P::num_output>, is_set<P::bias_term>),
        Raw("weight_data_int8_scales", count_of<P::num_output>, is_set<P::int8_scale_term>),
        Raw("bottom_blob_int8_scales", count_one, is_set<P::int8_scale_term>),
    };
    // load-time quantization of fp32 weights divides weight_data_size by num_output
    s.checks.push_back({"with int8_scale_term set, num_output must be non-zero",
                        [](const LayerParams& p) {
                            return p.get(P::int8_scale_term) == 0 || int_div_ok(p.get(P::weight_data_size), p.get(P::num_output));
                        }});
    // int8: one weight scale per output (table key 0) and the input scale.
    Int8Facts int8;
    int8.flag = P::int8_scale_term;
    int8.weights = {{"weight_data", "weight_data_int8_scales", 0, count_of<P::num_output>}};
    int8.needs_input_scale = true;
    int8.shape_check = inner_product_shape_check;
    s.int8 = int8;
    return s;
}

LayerSchema embed()
{
    using P = params::Embed;
    LayerSchema s = make<P>({
        I(P::num_output, 0),
        I(P::input_dim, 0),
        I(P::bias_term, 0),
        I(P::weight_data_size, 0),
        I(P::int8_scale_term, 0),
    });
    s.blobs = {
        Tagged("weight_data", count_of<P::weight_data_size>),
        Raw("bias_data", count_of<P::num_output>, is_set<P::bias_term>),
        Raw("weight_data_int8_scale", count_one, is_set<P::int8_scale_term>), // a single float
    };
    // int8: the whole table is one row with a single scale (table key 0).
    Int8Facts int8;
    int8.flag = P::int8_scale_term;
    int8.weights = {{"weight_data", "weight_data_int8_scale", 0, count_one}};
    s.int8 = int8;
    return s;
}

using G = params::Gemm;

bool gemm_block(const LayerParams& p)
{
    return is_weight_block_quantize(p.get(G::quantize_term));
}

// ncnnllm2table / ncnnllm2int quantize a Gemm only in this form (y = x B^T,
// constant fp32 B of N x K, no tiling or output options, not yet quantized).
bool gemm_block_quant_qualifies(const LayerParams& p)
{
    if (p.get(G::alpha) != 1.f || p.get(G::beta) != 1.f) return false;
    if (p.get(G::transA) != 0 || p.get(G::transB) != 1) return false;
    if (p.get(G::constantA) != 0 || p.get(G::constantB) != 1) return false;
    const int c = p.get(G::constantC), broadcast = p.get(G::constant_broadcast_type_C);
    if (c != 0 && c != 1) return false;
    if (c == 1 && (broadcast < -1 || broadcast > 4)) return false;
    const int elemtype = p.get(G::output_elemtype);
    if (p.get(G::output_N1M) != 0 || p.get(G::output_elempack) != 0 || (elemtype != 0 && elemtype != 1) || p.get(G::output_transpose) != 0)
        return false;
    if (p.get(G::quantize_term) != 0) return false;
    if (p.get(G::constant_TILE_M) != 0 || p.get(G::constant_TILE_N) != 0 || p.get(G::constant_TILE_K) != 0) return false;
    return p.get(G::constantN) > 0 && p.get(G::constantK) > 0;
}

LayerSchema gemm()
{
    LayerSchema s = make<G>({
        F(G::alpha, 1.f),
        F(G::beta, 1.f),
        I(G::transA, 0),
        I(G::transB, 0),
        I(G::constantA, 0),
        I(G::constantB, 0),
        I(G::constantC, 0),
        I(G::constantM, 0),
        I(G::constantN, 0),
        I(G::constantK, 0),
        I(G::constant_broadcast_type_C, 0),
        I(G::output_N1M, 0),
        I(G::output_elempack, 0),
        I(G::output_elemtype, 0),
        I(G::output_transpose, 0),
        I(G::quantize_term, 0),
        I(G::constant_TILE_M, 0),
        I(G::constant_TILE_N, 0),
        I(G::constant_TILE_K, 0),
    });
    s.blobs = {
        // A is K x M (or M x K when transposed): the same element count
        Tagged(
            "A_data", [](const LayerParams& p) -> int64_t { return count_mul(p.get(G::constantK), p.get(G::constantM)); },
            [](const LayerParams& p) { return p.get(G::constantA) == 1; }),
        // B is N x K, or packed bytes per row of K for weight block quantize (transB == 1)
        Tagged(
            "B_data",
            [](const LayerParams& p) -> int64_t {
                if (p.get(G::transB) != 0 && gemm_block(p))
                    return packed_rows(p.get(G::constantK), p.get(G::quantize_term), p.get(G::constantN));
                return count_mul(p.get(G::constantN), p.get(G::constantK));
            },
            [](const LayerParams& p) { return p.get(G::constantB) == 1; }),
        Tagged(
            "C_data",
            [](const LayerParams& p) -> int64_t {
                switch (p.get(G::constant_broadcast_type_C)) {
                case 0: return 1;
                case 1:
                case 2: return count_checked(p.get(G::constantM));
                case 3: return count_mul(p.get(G::constantN), p.get(G::constantM));
                case 4: return count_checked(p.get(G::constantN));
                default: return kInvalidCount; // refused by load_param
                }
            },
            [](const LayerParams& p) { return p.get(G::constantC) == 1 && p.get(G::constant_broadcast_type_C) != -1; }),
        Raw(
            "B_data_quantize_scales",
            [](const LayerParams& p) -> int64_t { return block_scales(p.get(G::constantK), p.get(G::quantize_term), p.get(G::constantN)); },
            gemm_block),
        Raw("B_data_input_scales", count_of<G::constantK>,
            [](const LayerParams& p) { return gemm_block(p) && weight_quantize_has_input_scale(p.get(G::quantize_term)); }),
        Raw("A_data_int8_scales", count_of<G::constantM>,
            [](const LayerParams& p) { return p.get(G::quantize_term) != 0 && !gemm_block(p) && p.get(G::constantA) == 1; }),
        Raw("B_data_int8_scale", count_one, // a single float
            [](const LayerParams& p) { return p.get(G::quantize_term) != 0 && !gemm_block(p) && p.get(G::constantB) == 1; }),
    };
    add_quantize_term_checks<G>(s);
    s.checks.push_back({"weight block quantize requires constantA=0, constantB=1, transA=0 and transB=1",
                        [](const LayerParams& p) {
                            return !gemm_block(p)
                                   || (p.get(G::constantA) == 0 && p.get(G::constantB) == 1 && p.get(G::transA) == 0 && p.get(G::transB) == 1);
                        }});
    s.checks.push_back({"weight block quantize requires output_N1M=0, output_elempack=0, output_elemtype 0 or 1 and output_transpose=0",
                        [](const LayerParams& p) {
                            return !gemm_block(p)
                                   || (p.get(G::output_N1M) == 0 && p.get(G::output_elempack) == 0
                                       && (p.get(G::output_elemtype) == 0 || p.get(G::output_elemtype) == 1) && p.get(G::output_transpose) == 0);
                        }});
    s.checks.push_back({"constantM and constantK must be non-zero when constantA is 1",
                        [](const LayerParams& p) { return p.get(G::constantA) != 1 || (p.get(G::constantM) != 0 && p.get(G::constantK) != 0); }});
    s.checks.push_back({"constantN and constantK must be non-zero when constantB is 1",
                        [](const LayerParams& p) { return p.get(G::constantB) != 1 || (p.get(G::constantN) != 0 && p.get(G::constantK) != 0); }});
    s.checks.push_back({"constant_broadcast_type_C must be -1 or 0..4 when constantC is 1",
                        [](const LayerParams& p) {
                            return p.get(G::constantC) != 1 || (p.get(G::constant_broadcast_type_C) >= -1 && p.get(G::constant_broadcast_type_C) <= 4);
                        }});
    // load_model
    s.checks.push_back({"weight block quantize requires a positive constantK",
                        [](const LayerParams& p) {
                            return !gemm_block(p) || weight_quantize_packed_k_bytes(p.get(G::constantK), weight_quantize_bits(p.get(G::quantize_term))) >= 0;
                        }});
    // int8: no table; constant A gets one scale per row (A_data_int8_scales),
    // constant B one scale (B_data_int8_scale), both 127 / absmax.
    Int8Facts int8;
    int8.scheme = Int8Scheme::WeightAbsMax;
    int8.flag = G::quantize_term;
    s.int8 = int8;
    s.block_quant = BlockQuantSpec{
        {{1, "B_data", "B_data_quantize_scales", "B_data_input_scales", count_of<G::constantN>, count_of<G::constantK>}},
        gemm_block_quant_qualifies,
        G::quantize_term};
    return s;
}

} // namespace

void add_dense_layers(std::vector<LayerSchema>& t)
{
    t.push_back(inner_product());
    t.push_back(embed());
    t.push_back(gemm());
    t.push_back(make<params::MatMul>({I(params::MatMul::transB, 0)}));
}

} // namespace ncnn_int8::catalog
