// Layers that reduce along axes: Softmax (x86 form: exp(x - max) times the
// reciprocal of the sum) and Reduction (ncnn's axis flags, keepdims rules,
// mean as a multiply by coeff / count).
#include <algorithm>
#include <cfloat>
#include <cmath>

#include "engine/layer_registry.h"
#include "engine/shape_util.h"

namespace ncnn_int8::engine {

namespace {

using Made = Result<std::unique_ptr<LayerForward>>;

class Softmax final : public LayerForward {
public:
    explicit Softmax(int axis) : axis_(axis) {}
    Status forward(const std::vector<TensorPtr>& bottoms, std::vector<TensorPtr>& tops) const override
    {
        auto out = std::make_shared<Tensor>(*bottoms.at(0));
        AxisSplit s;
        // ncnn: a 3-D blob with axis 1 (h) or 2 (w); 4-D: 1 (d), 2 (h), 3 (w).
        if (!split_at_axis(*out, axis_, s)) return shape_error("axis " + std::to_string(axis_) + " is out of range for a " + out->shape_text() + " blob");
        for (size_t o = 0; o < s.outer; o++)
            for (size_t i = 0; i < s.inner; i++) {
                float* p = out->data.data() + o * s.extent * s.inner + i;
                float mx = -FLT_MAX;
                for (size_t k = 0; k < s.extent; k++) mx = std::max(mx, p[k * s.inner]);
                float sum = 0.f;
                for (size_t k = 0; k < s.extent; k++) {
                    p[k * s.inner] = std::exp(p[k * s.inner] - mx);
                    sum += p[k * s.inner];
                }
                const float r = 1.f / sum;
                for (size_t k = 0; k < s.extent; k++) p[k * s.inner] *= r;
            }
        tops.push_back(std::move(out));
        return Status::ok();
    }

private:
    int axis_;
};

Made make_softmax(const LayerContext& ctx)
{
    using P = params::Softmax;
    return std::unique_ptr<LayerForward>(new Softmax(ctx.params().get(P::axis)));
}

// ncnn Reduction operations.
enum : int { kSum,
             kAsum,
             kSumsq,
             kMean,
             kMax,
             kMin,
             kProd,
             kL1,
             kL2,
             kLogSum,
             kLogSumExp };

class Reduction final : public LayerForward {
public:
    Reduction(int op, bool all, float coeff, std::vector<int> axes, bool keepdims)
        : op_(op),
          all_(all),
          coeff_(coeff),
          axes_(std::move(axes)),
          keepdims_(keepdims)
    {
    }
    Status forward(const std::vector<TensorPtr>& bottoms, std::vector<TensorPtr>& tops) const override
    {
        const Tensor& in = *bottoms.at(0);
        const std::vector<int> ext = axes_of(in);
        const int dims = in.dims;
        std::vector<bool> reduced(dims, all_ || dims == 1);
        if (!all_)
            for (int a : axes_) {
                const int axis = a < 0 ? a + dims : a;
                if (axis < 0 || axis >= dims) return shape_error("axis " + std::to_string(a) + " is out of range for a " + in.shape_text() + " blob");
                reduced[axis] = true;
            }
        // Output extents: kept axes (all axes with keepdims, reduced ones as 1).
        std::vector<int> out_ext;
        size_t count = 1;
        for (int k = 0; k < dims; k++) {
            if (reduced[k]) count *= ext[k];
            if (!reduced[k])
                out_ext.push_back(ext[k]);
            else if (keepdims_)
                out_ext.push_back(1);
        }
        Tensor out = out_ext.empty() ? Tensor::make1(1) : tensor_of(out_ext);

        float v0 = 0.f;
        if (op_ == kMax) v0 = -FLT_MAX;
        if (op_ == kMin) v0 = FLT_MAX;
        if (op_ == kProd) v0 = 1.f;
        std::fill(out.data.begin(), out.data.end(), v0);

        // Walk the input in memory order; each value folds into its output.
        std::vector<size_t> out_stride(dims, 0);
        size_t stride = 1;
        for (int k = dims - 1; k >= 0; k--)
            if (!reduced[k]) {
                out_stride[k] = stride;
                stride *= ext[k];
            }
        std::vector<int> idx(dims, 0);
        const float* x = in.data.data();
        float* o = out.data.data();
        size_t opos = 0;
        for (size_t i = 0; i < in.total(); i++) {
            float& acc = o[opos];
            const float v = x[i];
            switch (op_) {
            case kSum:
            case kMean:
            case kLogSum: acc = acc + v; break;
            case kAsum:
            case kL1: acc = acc + std::fabs(v); break;
            case kSumsq:
            case kL2: acc = acc + v * v; break;
            case kMax: acc = std::max(acc, v); break;
            case kMin: acc = std::min(acc, v); break;
            case kProd: acc = acc * v; break;
            case kLogSumExp: acc = acc + std::exp(v); break;
            }
            for (int k = dims - 1; k >= 0; k--) { // next index, odometer style
                opos += out_stride[k];
                if (++idx[k] < ext[k]) break;
                opos -= out_stride[k] * ext[k];
                idx[k] = 0;
            }
        }
        if (op_ == kLogSum || op_ == kLogSumExp)
            for (float& v : out.data) v = std::log(v);
        if (op_ == kL2)
            for (float& v : out.data) v = std::sqrt(v < FLT_MIN ? 0.f : v);
        float coeff = coeff_;
        if (op_ == kMean) coeff = coeff / static_cast<float>(static_cast<int>(count));
        if (coeff != 1.f)
            for (float& v : out.data) v = v * coeff;
        tops.push_back(std::make_shared<Tensor>(std::move(out)));
        return Status::ok();
    }

private:
    int op_;
    bool all_;
    float coeff_;
    std::vector<int> axes_;
    bool keepdims_;
};

Made make_reduction(const LayerContext& ctx)
{
    using P = params::Reduction;
    const LayerParams& p = ctx.params();
    const int op = p.get(P::operation);
    if (op < 0 || op > 10) return ctx.error("operation " + std::to_string(op) + " is not one ncnn defines (0..10)");
    return std::unique_ptr<LayerForward>(new Reduction(op, p.get(P::reduce_all) != 0, p.get(P::coeff), p.get(P::axes), p.get(P::keepdims) != 0));
}

} // namespace

void register_normalize_layers(LayerRegistry& r)
{
    r["Softmax"] = make_softmax;
    r["Reduction"] = make_reduction;
}

} // namespace ncnn_int8::engine
