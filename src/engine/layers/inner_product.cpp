// InnerProduct: a 2-D input whose rows have num_input values is one GEMM
// row per input row (ncnn's "gemm" path, output num_output x h); any other
// input is flattened (c, d, h, w order) into one row, output num_output.
// The weight is transposed once at load so kernels::gemm_f32 vectorizes
// along the outputs; each output's sum still runs over inputs in order.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "engine/layer_registry.h"
#include "engine/layers/activation.h"
#include "kernels/engine_kernels.h"

namespace ncnn_int8::engine {

namespace {

class InnerProduct final : public LayerForward {
public:
    InnerProduct(int num_output, int num_input, Floats wt, std::vector<float> bias, FusedActivation act)
        : num_output_(num_output),
          num_input_(num_input),
          wt_(std::move(wt)),
          bias_(std::move(bias)),
          act_(std::move(act))
    {
    }

    Status forward(const std::vector<TensorPtr>& bottoms, std::vector<TensorPtr>& tops) const override
    {
        const Tensor& in = *bottoms.at(0);
        const bool rows = in.dims == 2 && in.w == num_input_;
        const size_t M = rows ? in.h : 1;
        if (!rows && in.total() != static_cast<size_t>(num_input_))
            return shape_error("a " + in.shape_text() + " blob has " + std::to_string(in.total()) + " values, the weights expect " + std::to_string(num_input_));
        // each row starts from the bias or zeros below
        Tensor out = rows ? Tensor::for_overwrite(2, num_output_, in.h, 1, 1) : Tensor::for_overwrite(1, num_output_, 1, 1, 1);
        // C[M x num_output] = X[M x num_input] * Wt[num_input x num_output], bias per output column.
        for (size_t m = 0; m < M; m++) {
            float* dst = out.data.data() + m * num_output_;
            if (!bias_.empty())
                std::copy(bias_.begin(), bias_.end(), dst);
            else
                std::fill(dst, dst + num_output_, 0.f);
            const float* x = in.data.data() + m * num_input_;
            for (int k = 0; k < num_input_; k++) kernels::axpy_f32(num_output_, x[k], wt_.data() + static_cast<size_t>(k) * num_output_, dst);
        }
        act_.apply(out.data.data(), out.data.size());
        tops.push_back(std::make_shared<Tensor>(std::move(out)));
        return Status::ok();
    }

private:
    int num_output_, num_input_;
    Floats wt_;
    std::vector<float> bias_;
    FusedActivation act_;
};

Result<std::unique_ptr<LayerForward>> make_inner_product(const LayerContext& ctx)
{
    using P = params::InnerProduct;
    const LayerParams& p = ctx.params();
    const int num_output = p.get(P::num_output);
    const int size = p.get(P::weight_data_size);
    if (num_output <= 0 || size <= 0 || size % num_output != 0) return ctx.error("weight_data_size must be a positive multiple of num_output");
    const int num_input = size / num_output;
    ASSIGN_OR_RETURN(FusedActivation act, read_fused_activation<P>(ctx));
    ASSIGN_OR_RETURN(Floats w, ctx.weight_values("weight_data"));
    std::vector<float> bias;
    if (p.get(P::bias_term)) {
        ASSIGN_OR_RETURN(bias, ctx.weight("bias_data"));
    }
    Floats wt(w.size()); // every value written below
    // in 32 x 32 tiles: a row-by-row transpose of a large weight misses the
    // cache on every write
    constexpr int kTile = 32;
    for (int o0 = 0; o0 < num_output; o0 += kTile)
        for (int i0 = 0; i0 < num_input; i0 += kTile) {
            const int o1 = std::min(o0 + kTile, num_output), i1 = std::min(i0 + kTile, num_input);
            for (int o = o0; o < o1; o++)
                for (int i = i0; i < i1; i++) wt[static_cast<size_t>(i) * num_output + o] = w[static_cast<size_t>(o) * num_input + i];
        }
    return std::unique_ptr<LayerForward>(new InnerProduct(num_output, num_input, std::move(wt), std::move(bias), std::move(act)));
}

// Embed: each input value's int32 bits are a word index (ncnn reads the
// blob as int), clamped to [0, input_dim); one output row per word.
class Embed final : public LayerForward {
public:
    Embed(int num_output, int input_dim, std::vector<float> weight, std::vector<float> bias)
        : num_output_(num_output),
          input_dim_(input_dim),
          weight_(std::move(weight)),
          bias_(std::move(bias))
    {
    }
    Status forward(const std::vector<TensorPtr>& bottoms, std::vector<TensorPtr>& tops) const override
    {
        const Tensor& in = *bottoms.at(0);
        const int words = in.w;
        Tensor out = Tensor::make2(num_output_, words);
        for (int q = 0; q < words; q++) {
            int32_t index;
            std::memcpy(&index, &in.data[q], 4);
            index = std::min(std::max(index, 0), input_dim_ - 1);
            const float* em = weight_.data() + static_cast<size_t>(num_output_) * index;
            float* o = out.data.data() + static_cast<size_t>(q) * num_output_;
            for (int p = 0; p < num_output_; p++) o[p] = bias_.empty() ? em[p] : em[p] + bias_[p];
        }
        tops.push_back(std::make_shared<Tensor>(std::move(out)));
        return Status::ok();
    }

private:
    int num_output_, input_dim_;
    std::vector<float> weight_, bias_;
};

Result<std::unique_ptr<LayerForward>> make_embed(const LayerContext& ctx)
{
    using P = params::Embed;
    const LayerParams& p = ctx.params();
    const int num_output = p.get(P::num_output), input_dim = p.get(P::input_dim);
    if (num_output <= 0 || input_dim <= 0) return ctx.error("num_output and input_dim must be positive");
    ASSIGN_OR_RETURN(std::vector<float> w, ctx.weight("weight_data"));
    if (w.size() != static_cast<size_t>(num_output) * input_dim) return ctx.error("weight_data_size is not num_output x input_dim");
    std::vector<float> bias;
    if (p.get(P::bias_term)) {
        ASSIGN_OR_RETURN(bias, ctx.weight("bias_data"));
    }
    return std::unique_ptr<LayerForward>(new Embed(num_output, input_dim, std::move(w), std::move(bias)));
}

} // namespace

void register_dense_layers(LayerRegistry& r)
{
    r["InnerProduct"] = make_inner_product;
    r["Embed"] = make_embed;
}

} // namespace ncnn_int8::engine
