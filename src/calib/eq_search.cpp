#include "calib/eq_search.h"

#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "core/format.h"
#include "engine/layers/activation.h"
#include "kernels/engine_kernels.h"
#include "kernels/kernels.h"
#include "model/catalog/params.h"

namespace ncnn_int8 {

namespace eq {

// The running sums sum(b*b), sum(a*b) over [from, n), starting at sbb, sab:
// the float loop of ncnn2table's cosine_similarity, resumable.
void cosine_sums(const float* a, const float* b, size_t from, size_t n, float& sbb, float& sab)
{
    for (size_t i = from; i < n; i++) {
        const float bb = b[i] * b[i];
        const float ab = a[i] * b[i];
        sbb = sbb + bb;
        sab = sab + ab;
    }
}

// sum(a*b) / sqrt(sum(a*a)) / sqrt(sum(b*b)), every sum a float built in
// element order, as ncnn2table's cosine_similarity; `saa` is sum(a*a), and
// sbb / sab hold the sums over the first `from` values (a prefix that the
// candidates share).
float cosine(const float* a, const float* b, size_t from, size_t n, float saa, float sbb, float sab)
{
    cosine_sums(a, b, from, n, sbb, sab);
    return sab / std::sqrt(saa) / std::sqrt(sbb);
}

float self_dot(const float* a, size_t n)
{
    float s = 0.f;
    for (size_t i = 0; i < n; i++) {
        const float aa = a[i] * a[i];
        s = s + aa;
    }
    return s;
}

struct Shape {
    int dims = 0, w = 1, h = 1, d = 1, c = 1;
};

// Output values per output channel, and where value n of channel p lies in
// the blob (memory order, as the cosine reads it).
struct OutLayout {
    size_t per_channel = 1;
    bool row_major = false; // dense 2-D: [row][num_output]
    int num_output = 0;
    size_t at(int p, size_t n) const { return row_major ? n * num_output + p : p * per_channel + n; }
    size_t total() const { return per_channel * num_output; }
};

Status quantize_input(const Int8Layer& L, const Shape& s, const float* x, float scale, QuantInput& q, OutLayout& layout)
{
    if (L.dense) {
        const size_t num_input = L.per_output();
        const size_t total = static_cast<size_t>(s.w) * s.h * s.d * s.c;
        q.data.resize(total);
        layout.num_output = L.num_output;
        if (s.dims == 2 && static_cast<size_t>(s.w) == num_input) {
            q.rows = s.h;
            q.row_len = num_input;
            for (int r = 0; r < s.h; r++) kernels::quantize_row(x + r * num_input, num_input, scale, q.data.data() + r * num_input);
            layout.per_channel = static_cast<size_t>(s.h);
            layout.row_major = true;
            return Status::ok();
        }
        if (total != num_input)
            return Status::failure(format("%s: an input of %zu values does not fit InnerProduct weights for %zu inputs", L.name.c_str(), total, num_input));
        q.rows = 1;
        q.row_len = total;
        // ncnn quantizes a 1-D blob whole, a 2-D one per row, 3-D/4-D per channel.
        const size_t piece = s.dims == 1 ? total : (s.dims == 2 ? static_cast<size_t>(s.w) : static_cast<size_t>(s.w) * s.h * s.d);
        for (size_t o = 0; o < total; o += piece) kernels::quantize_row(x + o, piece, scale, q.data.data() + o);
        layout.per_channel = 1;
        return Status::ok();
    }
    if (s.dims != 3) return Status::failure(L.name + ": the int8 convolution needs a 3-D input");
    const int in_per_group = s.c / L.group;
    if (s.c % L.group != 0 || L.per_output() != static_cast<size_t>(in_per_group) * L.kw * L.kh)
        return Status::failure(format("%s: an input of %d channels does not fit the weights", L.name.c_str(), s.c));
    // ncnn's make_padding: explicit pads, or -233 / -234 (SAME upper / lower)
    const int ext_w = L.dw * (L.kw - 1) + 1, ext_h = L.dh * (L.kh - 1) + 1;
    int left = 0, right = 0, top = 0, bottom = 0;
    if (L.pad_left > 0 || L.pad_right > 0 || L.pad_top > 0 || L.pad_bottom > 0) {
        left = std::max(L.pad_left, 0);
        right = std::max(L.pad_right, 0);
        top = std::max(L.pad_top, 0);
        bottom = std::max(L.pad_bottom, 0);
    } else if (L.pad_left == -233 || L.pad_left == -234) {
        const int wpad = std::max(ext_w + (s.w - 1) / L.sw * L.sw - s.w, 0);
        const int hpad = std::max(ext_h + (s.h - 1) / L.sh * L.sh - s.h, 0);
        const bool upper = L.pad_left == -233;
        left = upper ? wpad / 2 : wpad - wpad / 2;
        right = wpad - left;
        top = upper ? hpad / 2 : hpad - hpad / 2;
        bottom = hpad - top;
    }
    q.w = s.w + left + right;
    q.h = s.h + top + bottom;
    q.c = s.c;
    if (q.w < ext_w || q.h < ext_h) return Status::failure(L.name + ": the input is smaller than the kernel");
    q.outw = (q.w - ext_w) / L.sw + 1;
    q.outh = (q.h - ext_h) / L.sh + 1;
    const size_t plane = static_cast<size_t>(s.w) * s.h, qplane = static_cast<size_t>(q.w) * q.h;
    q.data.assign(qplane * s.c, static_cast<int8_t>(static_cast<int>(L.pad_value)));
    std::vector<int8_t> tmp(plane);
    for (int ch = 0; ch < s.c; ch++) {
        kernels::quantize_row(x + plane * ch, plane, scale, tmp.data());
        for (int y = 0; y < s.h; y++)
            std::memcpy(q.data.data() + qplane * ch + static_cast<size_t>(y + top) * q.w + left, tmp.data() + static_cast<size_t>(y) * s.w, s.w);
    }
    layout.per_channel = static_cast<size_t>(q.outw) * q.outh;
    layout.num_output = L.num_output;
    return Status::ok();
}

namespace {

// What weights `w` of output channel p (one per input of a dense row, or
// per kernel tap, where zeros are skipped) add to its int32 sums.
template <typename Weight>
void accumulate_channel_sums(const Int8Layer& L, const QuantInput& q, int p, const Weight* w, int32_t* acc)
{
    if (L.dense) {
        for (int r = 0; r < q.rows; r++) {
            const int8_t* x = q.data.data() + static_cast<size_t>(r) * q.row_len;
            if constexpr (std::is_same_v<Weight, int8_t>)
                acc[r] += kernels::dot_i8(w, x, q.row_len);
            else
                acc[r] += kernels::dot_i16_i8(w, x, q.row_len);
        }
        return;
    }
    const int in_per_group = q.c / L.group;
    const int g = p / (L.num_output / L.group);
    const size_t qplane = static_cast<size_t>(q.w) * q.h;
    for (int ic = 0; ic < in_per_group; ic++) {
        const int8_t* plane = q.data.data() + qplane * (g * in_per_group + ic);
        for (int ky = 0; ky < L.kh; ky++)
            for (int kx = 0; kx < L.kw; kx++) {
                const int32_t wv = w[(ic * L.kh + ky) * L.kw + kx];
                if (wv == 0) continue;
                for (int y = 0; y < q.outh; y++) {
                    const int8_t* row = plane + static_cast<size_t>(y * L.sh + ky * L.dh) * q.w + kx * L.dw;
                    int32_t* a = acc + static_cast<size_t>(y) * q.outw;
                    if (L.sw == 1)
                        for (int x = 0; x < q.outw; x++) a[x] += wv * row[x];
                    else
                        for (int x = 0; x < q.outw; x++) a[x] += wv * row[static_cast<size_t>(x) * L.sw];
                }
            }
    }
}

} // namespace

void channel_sums(const Int8Layer& L, const QuantInput& q, int p, const int8_t* wq, int32_t* acc)
{
    std::fill(acc, acc + (L.dense ? static_cast<size_t>(q.rows) : static_cast<size_t>(q.outw) * q.outh), 0);
    accumulate_channel_sums(L, q, p, wq, acc);
}

void add_channel_sums(const Int8Layer& L, const QuantInput& q, int p, const int16_t* delta, int32_t* acc)
{
    accumulate_channel_sums(L, q, p, delta, acc);
}

// Dequantized (+ bias) and activated values of
// channel p, written to `out` at their blob positions.
void channel_values(const Int8Layer& L, const OutLayout& layout, int p, const int32_t* acc, float scale_in, float* out)
{
    const bool bias = !L.bias.empty();
    for (size_t n = 0; n < layout.per_channel; n++) {
        const float v = static_cast<float>(acc[n]);
        float y = v * scale_in;
        if (bias) y = L.fused_dequant ? std::fma(v, scale_in, L.bias[p]) : y + L.bias[p];
        L.act.apply(&y, 1);
        out[layout.at(p, n)] = y;
    }
}

float dequant_scale(float bottom_scale, float weight_scale) { return weight_scale == 0.f ? 0.f : 1.f / (bottom_scale * weight_scale); }

Result<std::vector<float>> load_weights(const ModelLayer& layer, const LayerBlobs& blobs, const CalibrationJob& job, const char* name)
{
    const BlobLocation* where = blobs.find(name);
    if (!where) return Status::failure(job.bin_name + ": " + layer.label() + " has no " + name);
    if (where->stored == StoredAs::Int8) return Status::failure(job.bin_name + ": " + layer.label() + " " + name + " is already int8");
    std::vector<float> values(where->count);
    RETURN_IF_ERROR(read_blob_f32(*job.bin, job.bin_name, *where, values.data()));
    return values;
}

Result<Int8Layer> make_layer(const ModelLayer& layer, const LayerBlobs& blobs, const CalibrationJob& job)
{
    Int8Layer L;
    L.name = layer.label();
    const LayerParams& p = layer.params;
    const std::string& type = layer.decl->type;
    bool bias_term = false;
    if (type == "InnerProduct") {
        using P = params::InnerProduct;
        L.dense = true;
        L.num_output = p.get(P::num_output);
        bias_term = p.get(P::bias_term) != 0;
        L.act.type = p.get(P::activation_type);
        L.act.params = p.get(P::activation_params);
    } else {
        auto conv = [&](auto P) {
            using T = decltype(P);
            L.num_output = p.get(T::num_output);
            L.kw = p.get(T::kernel_w);
            L.kh = p.get(T::kernel_h);
            L.dw = p.get(T::dilation_w);
            L.dh = p.get(T::dilation_h);
            L.sw = p.get(T::stride_w);
            L.sh = p.get(T::stride_h);
            L.pad_left = p.get(T::pad_left);
            L.pad_right = p.get(T::pad_right);
            L.pad_top = p.get(T::pad_top);
            L.pad_bottom = p.get(T::pad_bottom);
            L.pad_value = p.get(T::pad_value);
            bias_term = p.get(T::bias_term) != 0;
            L.act.type = p.get(T::activation_type);
            L.act.params = p.get(T::activation_params);
        };
        if (type == "Convolution") {
            conv(params::Convolution{});
            L.fused_dequant = true;
        } else {
            conv(params::ConvolutionDepthWise{});
            L.group = p.get(params::ConvolutionDepthWise::group);
        }
    }
    static const size_t kActParams[] = {0, 0, 1, 2, 0, 0, 2};
    if (L.act.type < 0 || L.act.type > 6 || L.act.params.size() < kActParams[L.act.type])
        return Status::failure(L.name + ": activation_type " + std::to_string(L.act.type) + " with " + std::to_string(L.act.params.size()) + " params is not one ncnn fuses");
    if (L.num_output <= 0 || L.group <= 0 || L.num_output % L.group != 0 || L.kw <= 0 || L.kh <= 0 || L.dw <= 0 || L.dh <= 0 || L.sw <= 0 || L.sh <= 0)
        return Status::failure(L.name + ": num_output, group, kernel, dilation and stride must be positive for method=eq");
    L.scale_count = type == "ConvolutionDepthWise" ? L.group : L.num_output;
    ASSIGN_OR_RETURN(L.weight, load_weights(layer, blobs, job, "weight_data"));
    if (L.weight.empty() || L.weight.size() % L.num_output != 0)
        return Status::failure(format("%s: %zu weights do not split into %d output channels", L.name.c_str(), L.weight.size(), L.num_output));
    if (bias_term) {
        ASSIGN_OR_RETURN(L.bias, load_weights(layer, blobs, job, "bias_data"));
        if (L.bias.size() < static_cast<size_t>(L.num_output)) return Status::failure(L.name + ": bias_data is shorter than num_output");
    }
    return L;
}

// The candidate with the highest sum of cosines over the files (the first
// on ties; NaN never wins), or `current` when none is above 0.
float pick(const std::vector<std::vector<float>>& sims, float lower, float step, float current)
{
    const size_t steps = sims.empty() ? 0 : sims[0].size();
    double best = 0.0;
    float chosen = current;
    for (size_t k = 0; k < steps; k++) {
        double sum = 0.0;
        for (const auto& f : sims) sum += f[k];
        if (best < sum) {
            best = sum;
            chosen = lower + static_cast<float>(static_cast<int>(k)) * step;
        }
    }
    return chosen;
}

constexpr int kSteps = 100;
constexpr size_t kMaxFiles = 50;

struct FileData {
    Shape in_shape;
    std::vector<float> in, out; // fp32 bottom and top of the layer
    float out_dot = 0.f;
    QuantInput q; // input quantized with the current activation scale
    OutLayout layout;
    std::vector<float> current; // int8 forward with the current scales
};

} // namespace eq

Status eq_search(const CalibrationJob& job, const std::vector<size_t>& layers, const std::vector<LayerBlobs>& index,
                 std::vector<ScaleLine>& weight_lines, std::vector<float>& activation_scales, ThreadTeam& team)
{
    using namespace eq;
    const Model& model = *job.model;
    const size_t files = std::min(job.lists.at(0).size(), kMaxFiles);
    const size_t threads = std::max<size_t>(1, std::min(team.size(), files));
    std::vector<std::string> wanted;
    for (size_t li : layers) {
        const LayerDecl& d = *model.layers[li].decl;
        if (d.bottoms.empty() || d.tops.empty()) return Status::failure(model.layers[li].label() + " needs a bottom and a top blob for method=eq");
        wanted.push_back(d.bottoms[0]);
        wanted.push_back(d.tops[0]);
    }
    std::vector<std::unique_ptr<ForwardRunner>> runners(threads);
    for (auto& r : runners) {
        ASSIGN_OR_RETURN(r, job.make_runner(wanted));
    }
    // Progress is one stage over all layers, counted in searches of one
    // scale's worth of work: a layer's weight scales one by one, then its
    // activation scale, which runs every output channel at each step and so
    // costs about as much as all its weight scales together.
    size_t searches = 0;
    for (size_t k = 0; k < layers.size(); k++) searches += 2 * weight_lines.at(k).values.size();
    size_t searched = 0; // by the layers before this one
    auto cancelled = [&](size_t done) { return job.on_progress && !job.on_progress({"eq", searched + done, searches}); };

    for (size_t k = 0; k < layers.size(); k++) {
        const ModelLayer& layer = model.layers[layers[k]];
        ASSIGN_OR_RETURN(Int8Layer L, make_layer(layer, index[layers[k]], job));
        std::vector<float>& ws = weight_lines.at(k).values;
        float& bs = activation_scales.at(k);
        if (ws.size() != static_cast<size_t>(L.scale_count)) return Status::failure(L.name + ": weight scale count does not match the layer");
        const std::string& bottom = layer.decl->bottoms[0];
        const std::string& top = layer.decl->tops[0];

        // fp32 bottom and top of every file, once per layer
        std::vector<FileData> fd(files);
        std::vector<Status> errors(files);
        {
            std::atomic<size_t> next{0};
            auto body = [&](size_t w) {
                for (size_t i; (i = next++) < files;) {
                    auto inputs = load_sample(job, i);
                    if (!inputs.is_ok()) {
                        errors[i] = inputs.status();
                        continue;
                    }
                    errors[i] = runners[w]->run(inputs.value(), {bottom, top}, [&](const std::string& blob, const BlobView& v) -> Status {
                        const size_t n = static_cast<size_t>(v.w) * v.h * v.d * v.c;
                        if (blob == bottom) {
                            fd[i].in_shape = {v.dims, v.w, v.h, v.d, v.c};
                            fd[i].in.assign(v.data, v.data + n);
                        }
                        if (blob == top) fd[i].out.assign(v.data, v.data + n);
                        return Status::ok();
                    });
                }
            };
            team.run([&](size_t w) {
                if (w < runners.size()) body(w);
            });
        }
        for (const Status& s : errors) RETURN_IF_ERROR(s);

        std::vector<int8_t> wq(L.weight.size());
        const size_t per_scale = L.weight.size() / L.scale_count;
        for (int j = 0; j < L.scale_count; j++) kernels::quantize_row(L.weight.data() + j * per_scale, per_scale, ws[j], wq.data() + j * per_scale);
        const size_t per_out = L.per_output();
        const int outs_per_scale = static_cast<int>(L.outputs_per_scale());

        // Full int8 forward of file i with bottom scale `b` into `dst`.
        auto forward_all = [&](FileData& f, const QuantInput& q, float b, std::vector<float>& dst, std::vector<int32_t>& acc) {
            dst.assign(f.layout.total(), 0.f);
            acc.resize(f.layout.per_channel);
            for (int p = 0; p < L.num_output; p++) {
                channel_sums(L, q, p, wq.data() + p * per_out, acc.data());
                channel_values(L, f.layout, p, acc.data(), dequant_scale(b, ws[p / outs_per_scale]), dst.data());
            }
        };
        std::vector<Status> prep(files);
        team.for_each(files, [&](size_t i) {
            FileData& f = fd[i];
            prep[i] = quantize_input(L, f.in_shape, f.in.data(), bs, f.q, f.layout);
            if (!prep[i].is_ok()) return;
            if (f.out.size() != f.layout.total()) {
                prep[i] = Status::failure(format("%s: the int8 forward makes %zu values where the fp32 layer made %zu", L.name.c_str(), f.layout.total(), f.out.size()));
                return;
            }
            f.out_dot = self_dot(f.out.data(), f.out.size());
            std::vector<int32_t> acc;
            forward_all(f, f.q, bs, f.current, acc);
        });
        for (const Status& s : prep) RETURN_IF_ERROR(s);

        // weight scales, one after the other (each search sees the earlier results)
        std::vector<std::vector<float>> sims(files, std::vector<float>(kSteps));
        std::vector<int8_t> cand_wq(static_cast<size_t>(kSteps) * per_scale);
        std::vector<int16_t> cand_delta(cand_wq.size()); // from the second candidate on
        for (int j = 0; j < L.scale_count; j++) {
            if (cancelled(static_cast<size_t>(j)))
                return Status::error(ErrorCode::Cancelled, Location{}, "cancelled");
            const float scale = ws[j];
            const float lower = scale * 0.5f, upper = scale * 2.0f;
            const float step = (upper - lower) / kSteps;
            std::vector<float> cand(kSteps);
            for (int s = 0; s < kSteps; s++) {
                cand[s] = lower + static_cast<float>(s) * step;
                kernels::quantize_row(L.weight.data() + j * per_scale, per_scale, cand[s], cand_wq.data() + s * per_scale);
            }
            // Each candidate's weights less the one before (the same for
            // every file): a step moves only some of the int8 weights, and
            // the sums, linear in the weights, are carried from one
            // candidate to the next by these differences alone.
            for (size_t i = per_scale; i < cand_delta.size(); i++) cand_delta[i] = static_cast<int16_t>(cand_wq[i] - cand_wq[i - per_scale]);
            team.for_each(files, [&](size_t i) {
                FileData& f = fd[i];
                std::vector<float> trial = f.current;
                // each output's sums, carried from one candidate to the next
                std::vector<int32_t> acc(f.layout.per_channel * static_cast<size_t>(outs_per_scale));
                // values before this scale's first output do not change: their sums once
                const size_t from = f.layout.at(j * outs_per_scale, 0);
                float sbb0 = 0.f, sab0 = 0.f;
                cosine_sums(f.out.data(), trial.data(), 0, from, sbb0, sab0);
                for (int s = 0; s < kSteps; s++) {
                    for (int o = 0; o < outs_per_scale; o++) {
                        const int p = j * outs_per_scale + o;
                        int32_t* sums = acc.data() + f.layout.per_channel * static_cast<size_t>(o);
                        const size_t w = s * per_scale + o * per_out;
                        if (s == 0)
                            channel_sums(L, f.q, p, cand_wq.data() + w, sums);
                        else
                            add_channel_sums(L, f.q, p, cand_delta.data() + w, sums);
                        channel_values(L, f.layout, p, sums, dequant_scale(bs, cand[s]), trial.data());
                    }
                    sims[i][s] = cosine(f.out.data(), trial.data(), from, trial.size(), f.out_dot, sbb0, sab0);
                }
            });
            ws[j] = pick(sims, lower, step, scale);
            kernels::quantize_row(L.weight.data() + j * per_scale, per_scale, ws[j], wq.data() + j * per_scale);
            team.for_each(files, [&](size_t i) {
                FileData& f = fd[i];
                std::vector<int32_t> acc(f.layout.per_channel);
                for (int o = 0; o < outs_per_scale; o++) {
                    const int p = j * outs_per_scale + o;
                    channel_sums(L, f.q, p, wq.data() + p * per_out, acc.data());
                    channel_values(L, f.layout, p, acc.data(), dequant_scale(bs, ws[j]), f.current.data());
                }
            });
        }

        // the activation scale
        if (cancelled(static_cast<size_t>(L.scale_count)))
            return Status::error(ErrorCode::Cancelled, Location{}, "cancelled");
        {
            const float scale = bs;
            const float lower = scale * 0.5f, upper = scale * 2.0f;
            const float step = (upper - lower) / kSteps;
            team.for_each(files, [&](size_t i) {
                FileData& f = fd[i];
                QuantInput q;
                OutLayout layout;
                std::vector<float> trial;
                std::vector<int32_t> acc;
                for (int s = 0; s < kSteps; s++) {
                    const float b = lower + static_cast<float>(s) * step;
                    (void)quantize_input(L, f.in_shape, f.in.data(), b, q, layout); // same shape: checked above
                    forward_all(f, q, b, trial, acc);
                    sims[i][s] = cosine(f.out.data(), trial.data(), 0, trial.size(), f.out_dot, 0.f, 0.f);
                }
            });
            bs = pick(sims, lower, step, scale);
        }
        searched += 2 * static_cast<size_t>(L.scale_count);
        if (cancelled(0)) return Status::error(ErrorCode::Cancelled, Location{}, "cancelled");
    }
    return Status::ok();
}

} // namespace ncnn_int8
