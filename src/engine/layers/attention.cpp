// Attention. SDPA: per head, softmax(Q K^T * scale + mask) V, heads sharing a key/value
// group as ncnn groups them (num_heads / num_group per group); the scale
// defaults to 1 / sqrt(embed_dim). Blobs are (w = embed, h = sequence,
// c = heads).
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <vector>

#include "engine/layer_registry.h"

namespace ncnn_int8::engine {

namespace {

class Sdpa final : public LayerForward {
public:
    Sdpa(bool mask, float scale) : mask_(mask),
                                   scale_(scale) {}
    Status forward(const std::vector<TensorPtr>& bottoms, std::vector<TensorPtr>& tops) const override
    {
        const Tensor& q = *bottoms.at(0);
        const Tensor& k = *bottoms.at(1);
        const Tensor& v = *bottoms.at(2);
        const Tensor* mask = mask_ ? bottoms.at(3).get() : nullptr;
        const int embed = q.w, src = q.h, heads = q.c, dst = k.h, groups = k.c, out_embed = v.w;
        if (k.w != embed || v.h != dst || v.c != groups || groups <= 0 || heads % groups != 0)
            return shape_error("query " + q.shape_text() + ", key " + k.shape_text() + " and value " + v.shape_text() + " do not fit together");
        if (mask && (mask->w != dst || mask->h != src))
            return shape_error("the mask " + mask->shape_text() + " is not " + std::to_string(dst) + " x " + std::to_string(src));
        const float scale = scale_ == 0.f ? 1.f / std::sqrt(static_cast<float>(embed)) : scale_;
        const int per_group = heads / groups;
        Tensor out = Tensor::make3(out_embed, src, heads);
        std::vector<float> qk(static_cast<size_t>(dst));
        for (int h = 0; h < heads; h++) {
            const float* qh = q.channel(h);
            const float* kh = k.channel(h / per_group);
            const float* vh = v.channel(h / per_group);
            const float* mh = mask ? (mask->c > 1 ? mask->channel(h) : mask->channel(0)) : nullptr;
            for (int i = 0; i < src; i++) {
                const float* qr = qh + static_cast<size_t>(i) * embed;
                for (int j = 0; j < dst; j++) {
                    const float* kr = kh + static_cast<size_t>(j) * embed;
                    float sum = 0.f;
                    for (int e = 0; e < embed; e++) sum += qr[e] * kr[e];
                    qk[j] = sum * scale;
                    if (mh) qk[j] += mh[static_cast<size_t>(i) * dst + j];
                }
                float mx = -FLT_MAX;
                for (int j = 0; j < dst; j++) mx = std::max(mx, qk[j]);
                float sum = 0.f;
                for (int j = 0; j < dst; j++) {
                    qk[j] = std::exp(qk[j] - mx);
                    sum += qk[j];
                }
                for (int j = 0; j < dst; j++) qk[j] /= sum;
                float* o = out.channel(h) + static_cast<size_t>(i) * out_embed;
                for (int e = 0; e < out_embed; e++) {
                    float s = 0.f;
                    for (int j = 0; j < dst; j++) s += qk[j] * vh[static_cast<size_t>(j) * out_embed + e];
                    o[e] = s;
                }
            }
        }
        tops.push_back(std::make_shared<Tensor>(std::move(out)));
        return Status::ok();
    }

private:
    bool mask_;
    float scale_;
};

Result<std::unique_ptr<LayerForward>> make_sdpa(const LayerContext& ctx)
{
    using P = params::SDPA;
    const LayerParams& p = ctx.params();
    if (p.get(P::kv_cache)) return ctx.error("SDPA with a kv_cache is not supported by the engine");
    if (p.get(P::int8_scale_term)) return ctx.error("an int8 SDPA is not an fp32 layer");
    const bool mask = p.get(P::attn_mask) != 0;
    if (ctx.bottom_count() != (mask ? 4u : 3u) || ctx.top_count() != 1) return ctx.error(mask ? "needs query, key, value and mask blobs" : "needs query, key and value blobs");
    return std::unique_ptr<LayerForward>(new Sdpa(mask, p.get(P::scale)));
}

// MultiHeadAttention (no kv cache): q/k/v projections (q scaled), per head
// softmax(q k^T + mask) v, then the output projection. Inputs are 2-D
// (w = features, h = sequence); one blob means self-attention, two mean
// q and a shared k/v source, three q, k and v; the mask comes last.
class MultiHeadAttention final : public LayerForward {
public:
    struct Weights {
        std::vector<float> qw, qb, kw, kb, vw, vb, ow, ob;
    };
    MultiHeadAttention(int embed, int heads, int qdim, int kdim, int vdim, float scale, bool mask, Weights w)
        : embed_(embed),
          heads_(heads),
          qdim_(qdim),
          kdim_(kdim),
          vdim_(vdim),
          scale_(scale),
          mask_(mask),
          w_(std::move(w))
    {
    }
    Status forward(const std::vector<TensorPtr>& bottoms, std::vector<TensorPtr>& tops) const override
    {
        const size_t n = bottoms.size() - (mask_ ? 1 : 0);
        const Tensor& qb = *bottoms[0];
        const Tensor& kb = *bottoms[n >= 2 ? 1 : 0];
        const Tensor& vb = *bottoms[n >= 3 ? 2 : n >= 2 ? 1
                                                        : 0];
        const Tensor* mask = mask_ ? bottoms.back().get() : nullptr;
        const int src = qb.h, dst = kb.h, per_head = embed_ / heads_;
        if (qb.w != qdim_ || kb.w != kdim_ || vb.w != vdim_ || vb.h != dst)
            return shape_error("q " + qb.shape_text() + ", k " + kb.shape_text() + ", v " + vb.shape_text() + " do not fit the weights");
        auto project = [](const Tensor& x, const std::vector<float>& w, const std::vector<float>& b, int out, int in, float scale) {
            std::vector<float> y(static_cast<size_t>(x.h) * out); // [seq][out]
            for (int i = 0; i < x.h; i++)
                for (int j = 0; j < out; j++) {
                    float sum = b[j];
                    const float* xr = x.data.data() + static_cast<size_t>(i) * in;
                    const float* wr = w.data() + static_cast<size_t>(j) * in;
                    for (int k = 0; k < in; k++) sum += xr[k] * wr[k];
                    y[static_cast<size_t>(i) * out + j] = sum * scale;
                }
            return y;
        };
        const std::vector<float> q = project(qb, w_.qw, w_.qb, embed_, qdim_, scale_);
        const std::vector<float> k = project(kb, w_.kw, w_.kb, embed_, kdim_, 1.f);
        const std::vector<float> v = project(vb, w_.vw, w_.vb, embed_, vdim_, 1.f);
        std::vector<float> att(static_cast<size_t>(src) * embed_), row(dst);
        for (int h = 0; h < heads_; h++) {
            const float* mh = mask ? (mask->dims == 3 ? mask->channel(h) : mask->data.data()) : nullptr;
            for (int i = 0; i < src; i++) {
                for (int j = 0; j < dst; j++) {
                    float sum = 0.f;
                    for (int l = 0; l < per_head; l++) sum += q[static_cast<size_t>(i) * embed_ + h * per_head + l] * k[static_cast<size_t>(j) * embed_ + h * per_head + l];
                    row[j] = mh ? sum + mh[static_cast<size_t>(i) * dst + j] : sum;
                }
                float mx = -FLT_MAX;
                for (int j = 0; j < dst; j++) mx = std::max(mx, row[j]);
                float sum = 0.f;
                for (int j = 0; j < dst; j++) {
                    row[j] = std::exp(row[j] - mx);
                    sum += row[j];
                }
                for (int j = 0; j < dst; j++) row[j] /= sum;
                for (int l = 0; l < per_head; l++) {
                    float s = 0.f;
                    for (int j = 0; j < dst; j++) s += row[j] * v[static_cast<size_t>(j) * embed_ + h * per_head + l];
                    att[static_cast<size_t>(i) * embed_ + h * per_head + l] = s;
                }
            }
        }
        Tensor out = Tensor::make2(qdim_, src);
        for (int i = 0; i < src; i++)
            for (int j = 0; j < qdim_; j++) {
                float sum = w_.ob[j];
                for (int e = 0; e < embed_; e++) sum += att[static_cast<size_t>(i) * embed_ + e] * w_.ow[static_cast<size_t>(j) * embed_ + e];
                out.data[static_cast<size_t>(i) * qdim_ + j] = sum;
            }
        tops.push_back(std::make_shared<Tensor>(std::move(out)));
        return Status::ok();
    }

private:
    int embed_, heads_, qdim_, kdim_, vdim_;
    float scale_;
    bool mask_;
    Weights w_;
};

Result<std::unique_ptr<LayerForward>> make_multi_head_attention(const LayerContext& ctx)
{
    using P = params::MultiHeadAttention;
    const LayerParams& p = ctx.params();
    const int embed = p.get(P::embed_dim), heads = p.get(P::num_heads);
    if (p.get(P::kv_cache)) return ctx.error("MultiHeadAttention with a kv_cache is not supported by the engine");
    if (p.get(P::quantize_term)) return ctx.error("a quantized MultiHeadAttention is not an fp32 layer");
    if (embed <= 0 || heads <= 0 || embed % heads != 0) return ctx.error("embed_dim must be a positive multiple of num_heads");
    const bool mask = p.get(P::attn_mask) != 0;
    const size_t inputs = ctx.bottom_count() - (mask ? 1 : 0);
    if (inputs < 1 || inputs > 3 || ctx.top_count() != 1) return ctx.error("needs 1 to 3 input blobs (plus the mask)");
    MultiHeadAttention::Weights w;
    ASSIGN_OR_RETURN(w.qw, ctx.weight("q_weight_data"));
    ASSIGN_OR_RETURN(w.qb, ctx.weight("q_bias_data"));
    ASSIGN_OR_RETURN(w.kw, ctx.weight("k_weight_data"));
    ASSIGN_OR_RETURN(w.kb, ctx.weight("k_bias_data"));
    ASSIGN_OR_RETURN(w.vw, ctx.weight("v_weight_data"));
    ASSIGN_OR_RETURN(w.vb, ctx.weight("v_bias_data"));
    ASSIGN_OR_RETURN(w.ow, ctx.weight("out_weight_data"));
    ASSIGN_OR_RETURN(w.ob, ctx.weight("out_bias_data"));
    const int qdim = p.get(P::weight_data_size) / embed;
    return std::unique_ptr<LayerForward>(new MultiHeadAttention(embed, heads, qdim, p.get(P::kdim), p.get(P::vdim), p.get(P::scale), mask, std::move(w)));
}

} // namespace

void register_attention_layers(LayerRegistry& r)
{
    r["SDPA"] = make_sdpa;
    r["MultiHeadAttention"] = make_multi_head_attention;
}

} // namespace ncnn_int8::engine
