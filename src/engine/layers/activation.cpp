// Element-wise activations: ReLU, Sigmoid, TanH, Clip, HardSigmoid,
// HardSwish, Swish, Mish, ELU, GELU, PReLU, Dropout, AbsVal, and the fused
// activation helper. Formulas as ncnn's src/layer/*.cpp compute them in fp32.
#include "engine/layers/activation.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include "engine/layer_registry.h"

namespace ncnn_int8::engine {

namespace {

float sigmoid(float v)
{
    v = std::min(v, 88.3762626647949f);
    v = std::max(v, -88.3762626647949f);
    return 1.f / (1.f + std::exp(-v));
}

float mish(float v) { return v * std::tanh(std::log(std::exp(v) + 1.f)); }

float hard_swish(float v, float alpha, float beta)
{
    const float lower = -beta / alpha;
    const float upper = (1.f / alpha) + lower;
    if (v < lower) return 0.f;
    if (v > upper) return v;
    return v * (v * alpha + beta);
}

// One function applied to every value of the single bottom.
class Elementwise final : public LayerForward {
public:
    explicit Elementwise(std::function<float(float)> fn) : fn_(std::move(fn)) {}
    Status forward(const std::vector<TensorPtr>& bottoms, std::vector<TensorPtr>& tops) const override
    {
        auto out = std::make_shared<Tensor>(*bottoms.at(0));
        for (float& v : out->data) v = fn_(v);
        tops.push_back(std::move(out));
        return Status::ok();
    }

private:
    std::function<float(float)> fn_;
};

using Made = Result<std::unique_ptr<LayerForward>>;

Made elementwise(const LayerContext& ctx, std::function<float(float)> fn)
{
    if (ctx.bottom_count() != 1 || ctx.top_count() != 1) return ctx.error("takes one bottom and one top blob");
    return std::unique_ptr<LayerForward>(new Elementwise(std::move(fn)));
}

// ReLU is everywhere: an inlined loop rather than a call per value.
class Relu final : public LayerForward {
public:
    explicit Relu(float slope) : slope_(slope) {}
    Status forward(const std::vector<TensorPtr>& bottoms, std::vector<TensorPtr>& tops) const override
    {
        auto out = std::make_shared<Tensor>(*bottoms.at(0));
        if (slope_ == 0.f)
            for (float& v : out->data) v = v < 0.f ? 0.f : v;
        else
            for (float& v : out->data) v = v < 0.f ? v * slope_ : v;
        tops.push_back(std::move(out));
        return Status::ok();
    }

private:
    float slope_;
};

Made make_relu(const LayerContext& ctx)
{
    using P = params::ReLU;
    if (ctx.bottom_count() != 1 || ctx.top_count() != 1) return ctx.error("takes one bottom and one top blob");
    return std::unique_ptr<LayerForward>(new Relu(ctx.params().get(P::slope)));
}

Made make_sigmoid(const LayerContext& ctx) { return elementwise(ctx, sigmoid); }
Made make_tanh(const LayerContext& ctx)
{
    return elementwise(ctx, [](float v) { return std::tanh(v); });
}
Made make_mish(const LayerContext& ctx) { return elementwise(ctx, mish); }
Made make_absval(const LayerContext& ctx)
{
    return elementwise(ctx, [](float v) { return std::fabs(v); });
}
Made make_swish(const LayerContext& ctx)
{
    return elementwise(ctx, [](float v) { return v / (1.f + std::exp(-v)); });
}

Made make_clip(const LayerContext& ctx)
{
    using P = params::Clip;
    const float lo = ctx.params().get(P::min), hi = ctx.params().get(P::max);
    return elementwise(ctx, [lo, hi](float v) { return v < lo ? lo : (v > hi ? hi : v); });
}

Made make_hard_sigmoid(const LayerContext& ctx)
{
    using P = params::HardSigmoid;
    const float alpha = ctx.params().get(P::alpha), beta = ctx.params().get(P::beta);
    const float lower = -beta / alpha;
    const float upper = (1.f / alpha) + lower;
    return elementwise(ctx, [=](float v) { return v < lower ? 0.f : (v > upper ? 1.f : v * alpha + beta); });
}

Made make_hard_swish(const LayerContext& ctx)
{
    using P = params::HardSwish;
    const float alpha = ctx.params().get(P::alpha), beta = ctx.params().get(P::beta);
    return elementwise(ctx, [=](float v) { return hard_swish(v, alpha, beta); });
}

Made make_elu(const LayerContext& ctx)
{
    using P = params::ELU;
    const float alpha = ctx.params().get(P::alpha);
    return elementwise(ctx, [alpha](float v) { return v < 0.f ? alpha * (std::exp(v) - 1.f) : v; });
}

Made make_gelu(const LayerContext& ctx)
{
    using P = params::GELU;
    if (ctx.params().get(P::fast_gelu))
        return elementwise(ctx, [](float v) {
            return 0.5f * v * (1.0f + std::tanh(0.79788452f * (v + 0.044715f * v * v * v)));
        });
    return elementwise(ctx, [](float v) { return 0.5f * v * std::erfc(-0.70710678f * v); });
}

Made make_dropout(const LayerContext& ctx)
{
    using P = params::Dropout;
    const float scale = ctx.params().get(P::scale);
    if (scale == 1.f) return elementwise(ctx, [](float v) { return v; });
    return elementwise(ctx, [scale](float v) { return v * scale; });
}

// PReLU: one slope, or one per channel (3-D/4-D), per row (2-D), per value (1-D).
class PRelu final : public LayerForward {
public:
    explicit PRelu(std::vector<float> slopes) : slopes_(std::move(slopes)) {}
    Status forward(const std::vector<TensorPtr>& bottoms, std::vector<TensorPtr>& tops) const override
    {
        auto out = std::make_shared<Tensor>(*bottoms.at(0));
        Tensor& t = *out;
        const size_t groups = t.dims == 1 ? t.w : t.dims == 2 ? t.h
                                                              : t.c;
        const size_t inner = t.total() / std::max<size_t>(groups, 1);
        if (slopes_.size() != 1 && slopes_.size() != groups)
            return shape_error("has " + std::to_string(slopes_.size()) + " slopes for a " + t.shape_text() + " blob");
        for (size_t g = 0; g < groups; g++) {
            const float s = slopes_.size() == 1 ? slopes_[0] : slopes_[g];
            float* p = t.data.data() + g * inner;
            for (size_t k = 0; k < inner; k++)
                if (p[k] < 0.f) p[k] *= s;
        }
        tops.push_back(std::move(out));
        return Status::ok();
    }

private:
    std::vector<float> slopes_;
};

Made make_prelu(const LayerContext& ctx)
{
    ASSIGN_OR_RETURN(std::vector<float> slopes, ctx.weight("slope_data"));
    return std::unique_ptr<LayerForward>(new PRelu(std::move(slopes)));
}

} // namespace

void FusedActivation::apply(float* x, size_t n) const
{
    // the params as locals: read through the vector, x might alias them
    // and the loops would not vectorize
    const float p0 = params.size() > 0 ? params[0] : 0.f, p1 = params.size() > 1 ? params[1] : 0.f;
    switch (type) {
    case 1:
        for (size_t i = 0; i < n; i++) x[i] = std::max(x[i], 0.f);
        break;
    case 2:
        for (size_t i = 0; i < n; i++) x[i] = x[i] > 0.f ? x[i] : x[i] * p0;
        break;
    case 3:
        for (size_t i = 0; i < n; i++) x[i] = x[i] < p0 ? p0 : (x[i] > p1 ? p1 : x[i]);
        break;
    case 4:
        for (size_t i = 0; i < n; i++) x[i] = sigmoid(x[i]);
        break;
    case 5:
        for (size_t i = 0; i < n; i++) x[i] = mish(x[i]);
        break;
    case 6:
        for (size_t i = 0; i < n; i++) x[i] = hard_swish(x[i], p0, p1);
        break;
    default: break;
    }
}

Result<FusedActivation> checked_activation(const LayerContext& ctx, int type, const std::vector<float>& params)
{
    FusedActivation a;
    a.type = type;
    a.params = params;
    static const size_t kNeeded[] = {0, 0, 1, 2, 0, 0, 2};
    if (a.type < 0 || a.type > 6) return ctx.error("activation_type " + std::to_string(a.type) + " is not one ncnn defines (0..6)");
    if (a.params.size() < kNeeded[a.type])
        return ctx.error("activation_type " + std::to_string(a.type) + " needs " + std::to_string(kNeeded[a.type]) + " activation_params, got " + std::to_string(a.params.size()));
    return a;
}

void register_activation_layers(LayerRegistry& r)
{
    r["ReLU"] = make_relu;
    r["Sigmoid"] = make_sigmoid;
    r["TanH"] = make_tanh;
    r["Mish"] = make_mish;
    r["AbsVal"] = make_absval;
    r["Swish"] = make_swish;
    r["Clip"] = make_clip;
    r["HardSigmoid"] = make_hard_sigmoid;
    r["HardSwish"] = make_hard_swish;
    r["ELU"] = make_elu;
    r["GELU"] = make_gelu;
    r["Dropout"] = make_dropout;
    r["PReLU"] = make_prelu;
}

} // namespace ncnn_int8::engine
