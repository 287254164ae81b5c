// Per-channel affine and normalization layers: BatchNorm (folded at load
// as ncnn does: b = slope / sqrt(var + eps), a = bias - slope * mean / sqrt),
// Scale, Bias, LayerNorm, GroupNorm, InstanceNorm. "Channel" is ncnn's
// per-blob axis: w for 1-D, h (rows) for 2-D, c for 3-D/4-D.
#include <algorithm>
#include <cmath>

#include "engine/layer_registry.h"

namespace ncnn_int8::engine {

namespace {

using Made = Result<std::unique_ptr<LayerForward>>;

// groups x inner, where a group is one ncnn "channel".
void channel_split(const Tensor& t, size_t& groups, size_t& inner)
{
    groups = t.dims == 1 ? t.w : t.dims == 2 ? t.h
                                             : t.c;
    inner = t.total() / (groups ? groups : 1);
}

// x * b[g] + a[g] per channel (a or b may be empty: 0 / 1).
class ChannelAffine final : public LayerForward {
public:
    ChannelAffine(std::vector<float> b, std::vector<float> a, bool scale_from_blob)
        : b_(std::move(b)),
          a_(std::move(a)),
          scale_from_blob_(scale_from_blob)
    {
    }
    Status forward(const std::vector<TensorPtr>& bottoms, std::vector<TensorPtr>& tops) const override
    {
        auto out = std::make_shared<Tensor>(*bottoms.at(0));
        size_t groups, inner;
        channel_split(*out, groups, inner);
        const float* b = scale_from_blob_ ? bottoms.at(1)->data.data() : b_.data();
        const size_t bsize = scale_from_blob_ ? bottoms.at(1)->data.size() : b_.size();
        if ((bsize != 0 && bsize != groups) || (!a_.empty() && a_.size() != groups))
            return shape_error("has " + std::to_string(std::max(bsize, a_.size())) + " per-channel values for a " + out->shape_text() + " blob");
        for (size_t g = 0; g < groups; g++) {
            float* p = out->data.data() + g * inner;
            if (bsize != 0 && !a_.empty())
                for (size_t i = 0; i < inner; i++) p[i] = p[i] * b[g] + a_[g];
            else if (bsize != 0)
                for (size_t i = 0; i < inner; i++) p[i] *= b[g];
            else
                for (size_t i = 0; i < inner; i++) p[i] += a_[g];
        }
        tops.push_back(std::move(out));
        return Status::ok();
    }

private:
    std::vector<float> b_, a_;
    bool scale_from_blob_;
};

Made make_batch_norm(const LayerContext& ctx)
{
    using P = params::BatchNorm;
    ASSIGN_OR_RETURN(std::vector<float> slope, ctx.weight("slope_data"));
    ASSIGN_OR_RETURN(std::vector<float> mean, ctx.weight("mean_data"));
    ASSIGN_OR_RETURN(std::vector<float> var, ctx.weight("var_data"));
    ASSIGN_OR_RETURN(std::vector<float> bias, ctx.weight("bias_data"));
    const float eps = ctx.params().get(P::eps);
    std::vector<float> a(slope.size()), b(slope.size());
    for (size_t i = 0; i < slope.size(); i++) {
        float sqrt_var = std::sqrt(var[i] + eps);
        if (sqrt_var == 0.f) sqrt_var = 0.0001f;
        a[i] = bias[i] - slope[i] * mean[i] / sqrt_var;
        b[i] = slope[i] / sqrt_var;
    }
    return std::unique_ptr<LayerForward>(new ChannelAffine(std::move(b), std::move(a), false));
}

Made make_scale(const LayerContext& ctx)
{
    using P = params::Scale;
    const LayerParams& p = ctx.params();
    std::vector<float> scale, bias;
    const bool from_blob = p.get(P::scale_data_size) == -233;
    if (from_blob && ctx.bottom_count() != 2) return ctx.error("scale_data_size -233 needs a second bottom blob (the scale)");
    if (!from_blob) {
        ASSIGN_OR_RETURN(scale, ctx.weight("scale_data"));
        if (p.get(P::bias_term)) {
            ASSIGN_OR_RETURN(bias, ctx.weight("bias_data"));
        }
    }
    return std::unique_ptr<LayerForward>(new ChannelAffine(std::move(scale), std::move(bias), from_blob));
}

Made make_bias(const LayerContext& ctx)
{
    ASSIGN_OR_RETURN(std::vector<float> bias, ctx.weight("bias_data"));
    return std::unique_ptr<LayerForward>(new ChannelAffine({}, std::move(bias), false));
}

// Normalizes `n` values at p (stride 1) with ncnn's two-pass mean / variance.
void mean_var(const float* p, size_t n, float& mean, float& var)
{
    float sum = 0.f;
    for (size_t i = 0; i < n; i++) sum += p[i];
    mean = sum / static_cast<float>(static_cast<int>(n));
    float sq = 0.f;
    for (size_t i = 0; i < n; i++) {
        const float v = p[i] - mean;
        sq += v * v;
    }
    var = sq / static_cast<float>(static_cast<int>(n));
}

// LayerNorm: every run of affine_size values (a row, or a w*h plane).
class LayerNorm final : public LayerForward {
public:
    LayerNorm(int size, float eps, std::vector<float> gamma, std::vector<float> beta)
        : size_(size),
          eps_(eps),
          gamma_(std::move(gamma)),
          beta_(std::move(beta))
    {
    }
    Status forward(const std::vector<TensorPtr>& bottoms, std::vector<TensorPtr>& tops) const override
    {
        auto out = std::make_shared<Tensor>(*bottoms.at(0));
        const size_t run = static_cast<size_t>(size_);
        const bool fits = run == static_cast<size_t>(out->w) || run == static_cast<size_t>(out->w) * out->h || (out->dims <= 2 && run == out->total());
        if (!fits || out->total() % run != 0) return shape_error("affine_size " + std::to_string(size_) + " does not fit a " + out->shape_text() + " blob");
        for (size_t s = 0; s < out->total(); s += run) {
            float* p = out->data.data() + s;
            float mean, var;
            mean_var(p, run, mean, var);
            const float a = 1.f / std::sqrt(var + eps_);
            const float b = -mean * a;
            if (!gamma_.empty())
                for (size_t i = 0; i < run; i++) p[i] = (p[i] * a + b) * gamma_[i] + beta_[i];
            else
                for (size_t i = 0; i < run; i++) p[i] = p[i] * a + b;
        }
        tops.push_back(std::move(out));
        return Status::ok();
    }

private:
    int size_;
    float eps_;
    std::vector<float> gamma_, beta_;
};

Made make_layer_norm(const LayerContext& ctx)
{
    using P = params::LayerNorm;
    const LayerParams& p = ctx.params();
    const int size = p.get(P::affine_size);
    if (size <= 0) return ctx.error("affine_size must be positive");
    std::vector<float> gamma, beta;
    if (p.get(P::affine)) {
        ASSIGN_OR_RETURN(gamma, ctx.weight("gamma_data"));
        ASSIGN_OR_RETURN(beta, ctx.weight("beta_data"));
    }
    return std::unique_ptr<LayerForward>(new LayerNorm(size, p.get(P::eps), std::move(gamma), std::move(beta)));
}

// GroupNorm (group channels at a time) and InstanceNorm (one channel at a time).
class GroupNorm final : public LayerForward {
public:
    GroupNorm(int group, float eps, std::vector<float> gamma, std::vector<float> beta, bool instance)
        : group_(group),
          eps_(eps),
          gamma_(std::move(gamma)),
          beta_(std::move(beta)),
          instance_(instance)
    {
    }
    Status forward(const std::vector<TensorPtr>& bottoms, std::vector<TensorPtr>& tops) const override
    {
        auto out = std::make_shared<Tensor>(*bottoms.at(0));
        size_t channels, inner;
        channel_split(*out, channels, inner);
        if (instance_ && out->dims != 3) return shape_error("InstanceNorm needs a 3-D blob, got " + out->shape_text());
        const size_t groups = instance_ ? channels : static_cast<size_t>(group_);
        if (groups == 0 || channels % groups != 0) return shape_error("group " + std::to_string(groups) + " does not divide " + std::to_string(channels) + " channels");
        if (!gamma_.empty() && gamma_.size() != channels) return shape_error("gamma has " + std::to_string(gamma_.size()) + " values for " + std::to_string(channels) + " channels");
        const size_t per = channels / groups;
        for (size_t g = 0; g < groups; g++) {
            float* p = out->data.data() + g * per * inner;
            float mean, var;
            mean_var(p, per * inner, mean, var);
            if (instance_) {
                // InstanceNorm folds gamma / beta into a and b.
                const float gamma = gamma_.empty() ? 1.f : gamma_[g], beta = beta_.empty() ? 0.f : beta_[g];
                const float a = gamma / std::sqrt(var + eps_);
                const float b = -mean * a + beta;
                for (size_t i = 0; i < inner; i++) p[i] = p[i] * a + b;
                continue;
            }
            const float a = 1.f / std::sqrt(var + eps_);
            const float b = -mean * a;
            for (size_t q = 0; q < per; q++) {
                float* c = p + q * inner;
                if (!gamma_.empty())
                    for (size_t i = 0; i < inner; i++) c[i] = (c[i] * a + b) * gamma_[g * per + q] + beta_[g * per + q];
                else
                    for (size_t i = 0; i < inner; i++) c[i] = c[i] * a + b;
            }
        }
        tops.push_back(std::move(out));
        return Status::ok();
    }

private:
    int group_;
    float eps_;
    std::vector<float> gamma_, beta_;
    bool instance_;
};

Made make_group_norm(const LayerContext& ctx)
{
    using P = params::GroupNorm;
    const LayerParams& p = ctx.params();
    std::vector<float> gamma, beta;
    if (p.get(P::affine)) {
        ASSIGN_OR_RETURN(gamma, ctx.weight("gamma_data"));
        ASSIGN_OR_RETURN(beta, ctx.weight("beta_data"));
    }
    return std::unique_ptr<LayerForward>(new GroupNorm(p.get(P::group), p.get(P::eps), std::move(gamma), std::move(beta), false));
}

Made make_instance_norm(const LayerContext& ctx)
{
    using P = params::InstanceNorm;
    const LayerParams& p = ctx.params();
    std::vector<float> gamma, beta;
    if (p.get(P::affine)) {
        ASSIGN_OR_RETURN(gamma, ctx.weight("gamma_data"));
        ASSIGN_OR_RETURN(beta, ctx.weight("beta_data"));
    }
    return std::unique_ptr<LayerForward>(new GroupNorm(0, p.get(P::eps), std::move(gamma), std::move(beta), true));
}

// Normalize (L2): across space and channels, across space per channel, or
// across channels per position; eps as caffe (0), pytorch (1) or
// tensorflow (2) apply it; then a per-channel (or shared) scale.
class Normalize final : public LayerForward {
public:
    Normalize(bool spatial, bool channel, bool shared, float eps, int eps_mode, std::vector<float> scale)
        : spatial_(spatial),
          channel_(channel),
          shared_(shared),
          eps_(eps),
          eps_mode_(eps_mode),
          scale_(std::move(scale))
    {
    }
    Status forward(const std::vector<TensorPtr>& bottoms, std::vector<TensorPtr>& tops) const override
    {
        auto out = std::make_shared<Tensor>(*bottoms.at(0));
        Tensor& t = *out;
        const size_t size = t.plane();
        if (!shared_ && scale_.size() < static_cast<size_t>(t.c)) return shape_error("scale_data has fewer values than channels");
        auto inv = [&](float ssum) {
            if (eps_mode_ == 0) return 1.f / std::sqrt(ssum + eps_);
            if (eps_mode_ == 1) return 1.f / std::max(std::sqrt(ssum), eps_);
            return 1.f / std::sqrt(std::max(ssum, eps_));
        };
        auto scale_of = [&](int q) { return shared_ ? scale_[0] : scale_[q]; };
        if (spatial_) {
            std::vector<float> sums(t.c);
            for (int q = 0; q < t.c; q++) {
                float s = 0.f;
                for (size_t i = 0; i < size; i++) s += t.channel(q)[i] * t.channel(q)[i];
                sums[q] = s;
            }
            float total = 0.f;
            for (float s : sums) total += s;
            for (int q = 0; q < t.c; q++) {
                const float k = (channel_ ? inv(total) : inv(sums[q])) * scale_of(q);
                for (size_t i = 0; i < size; i++) t.channel(q)[i] *= k;
            }
        } else {
            for (size_t i = 0; i < size; i++) {
                float s = 0.f;
                for (int q = 0; q < t.c; q++) s += t.channel(q)[i] * t.channel(q)[i];
                const float a = inv(s);
                for (int q = 0; q < t.c; q++) t.channel(q)[i] = t.channel(q)[i] * (a * scale_of(q));
            }
        }
        tops.push_back(std::move(out));
        return Status::ok();
    }

private:
    bool spatial_, channel_, shared_;
    float eps_;
    int eps_mode_;
    std::vector<float> scale_;
};

Made make_normalize(const LayerContext& ctx)
{
    using P = params::Normalize;
    const LayerParams& p = ctx.params();
    const bool spatial = p.get(P::across_spatial) != 0, channel = p.get(P::across_channel) != 0;
    if (!spatial && !channel) return ctx.error("Normalize across neither space nor channels is not supported by the engine");
    ASSIGN_OR_RETURN(std::vector<float> scale, ctx.weight("scale_data"));
    if (scale.empty()) return ctx.error("scale_data is empty");
    return std::unique_ptr<LayerForward>(new Normalize(spatial, channel, p.get(P::channel_shared) != 0, p.get(P::eps), p.get(P::eps_mode), std::move(scale)));
}

} // namespace

void register_affine_layers(LayerRegistry& r)
{
    r["Normalize"] = make_normalize;
    r["BatchNorm"] = make_batch_norm;
    r["Scale"] = make_scale;
    r["Bias"] = make_bias;
    r["LayerNorm"] = make_layer_norm;
    r["GroupNorm"] = make_group_norm;
    r["InstanceNorm"] = make_instance_norm;
}

} // namespace ncnn_int8::engine
