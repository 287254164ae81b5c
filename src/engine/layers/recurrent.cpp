// RNN, LSTM (with projection) and GRU over a 2-D blob (w = features, h = time
// steps), one or both directions (bidirectional: forward then reverse
// outputs side by side per step), zero initial state. Gate orders and the
// sums' order follow ncnn: LSTM I F O G, GRU R U N with N's hidden part
// scaled by R before the input part is added.
#include <cmath>
#include <type_traits>
#include <vector>

#include "engine/layer_registry.h"

namespace ncnn_int8::engine {

namespace {

enum class Cell { Rnn,
                  Lstm,
                  Gru };

// Unclamped, as in ncnn's RNN, LSTM and GRU (its Sigmoid layer clamps).
float gate_sigmoid(float v) { return 1.f / (1.f + std::exp(-v)); }

class Recurrent final : public LayerForward {
public:
    Recurrent(Cell cell, int num_output, int hidden, int directions, std::vector<float> xc, std::vector<float> bias, std::vector<float> hc, std::vector<float> hr)
        : cell_(cell),
          num_output_(num_output),
          hidden_(hidden),
          directions_(directions),
          xc_(std::move(xc)),
          bias_(std::move(bias)),
          hc_(std::move(hc)),
          hr_(std::move(hr))
    {
    }

    Status forward(const std::vector<TensorPtr>& bottoms, std::vector<TensorPtr>& tops) const override
    {
        const Tensor& in = *bottoms.at(0);
        if (in.dims != 2) return shape_error("needs a 2-D blob (w = features, h = time steps), got " + in.shape_text());
        const int size = in.w, T = in.h;
        const int gates = cell_ == Cell::Rnn ? 1 : cell_ == Cell::Lstm ? 4
                                                                       : 3;
        const int rows = cell_ == Cell::Lstm ? hidden_ : num_output_;
        if (xc_.size() != static_cast<size_t>(directions_) * gates * rows * size)
            return shape_error("weight_xc_data does not fit " + std::to_string(size) + " input features");
        Tensor out = Tensor::make2(num_output_ * directions_, T);
        for (int dir = 0; dir < directions_; dir++) {
            const bool reverse = directions_ == 2 ? dir == 1 : direction_reverse_;
            std::vector<float> h(num_output_, 0.f), c(hidden_, 0.f), next(rows), hid(hidden_);
            const float* xc = xc_.data() + static_cast<size_t>(dir) * gates * rows * size;
            const float* hc = hc_.data() + static_cast<size_t>(dir) * gates * rows * num_output_;
            const size_t bias_rows = cell_ == Cell::Rnn ? 1 : 4;
            const float* bias = bias_.data() + static_cast<size_t>(dir) * bias_rows * rows;
            for (int t = 0; t < T; t++) {
                const int ti = reverse ? T - 1 - t : t;
                const float* x = in.data.data() + static_cast<size_t>(ti) * size;
                auto dot_x = [&](int row) {
                    float s = 0.f;
                    const float* w = xc + static_cast<size_t>(row) * size;
                    for (int i = 0; i < size; i++) s += w[i] * x[i];
                    return s;
                };
                auto dot_h = [&](int row) {
                    float s = 0.f;
                    const float* w = hc + static_cast<size_t>(row) * num_output_;
                    for (int i = 0; i < num_output_; i++) s += w[i] * h[i];
                    return s;
                };
                float* o = out.data.data() + static_cast<size_t>(ti) * num_output_ * directions_ + static_cast<size_t>(dir) * num_output_;
                if (cell_ == Cell::Rnn) {
                    for (int q = 0; q < rows; q++) next[q] = std::tanh(bias[q] + dot_x(q) + dot_h(q));
                    h = next;
                } else if (cell_ == Cell::Lstm) {
                    for (int q = 0; q < rows; q++) {
                        const float I = gate_sigmoid(bias[q] + dot_x(q) + dot_h(q));
                        const float F = gate_sigmoid(bias[rows + q] + dot_x(rows + q) + dot_h(rows + q));
                        const float O = gate_sigmoid(bias[2 * rows + q] + dot_x(2 * rows + q) + dot_h(2 * rows + q));
                        const float G = std::tanh(bias[3 * rows + q] + dot_x(3 * rows + q) + dot_h(3 * rows + q));
                        c[q] = F * c[q] + I * G;
                        hid[q] = O * std::tanh(c[q]);
                    }
                    if (num_output_ == hidden_) {
                        h = hid;
                    } else {
                        const float* hr = hr_.data() + static_cast<size_t>(dir) * num_output_ * hidden_;
                        for (int q = 0; q < num_output_; q++) {
                            float s = 0.f;
                            for (int i = 0; i < hidden_; i++) s += hr[static_cast<size_t>(q) * hidden_ + i] * hid[i];
                            h[q] = s;
                        }
                    }
                } else {
                    for (int q = 0; q < rows; q++) {
                        const float R = gate_sigmoid(bias[q] + dot_x(q) + dot_h(q));
                        const float U = gate_sigmoid(bias[rows + q] + dot_x(rows + q) + dot_h(rows + q));
                        float N = bias[3 * rows + q] + dot_h(2 * rows + q);
                        N = bias[2 * rows + q] + R * N + dot_x(2 * rows + q);
                        N = std::tanh(N);
                        next[q] = (1 - U) * N + U * h[q];
                    }
                    h = next;
                }
                std::copy(h.begin(), h.end(), o);
            }
        }
        tops.push_back(std::make_shared<Tensor>(std::move(out)));
        return Status::ok();
    }

    bool direction_reverse_ = false;

private:
    Cell cell_;
    int num_output_, hidden_, directions_;
    std::vector<float> xc_, bias_, hc_, hr_;
};

template <typename P>
Result<std::unique_ptr<LayerForward>> make_recurrent(const LayerContext& ctx, Cell cell)
{
    const LayerParams& p = ctx.params();
    const int num_output = p.get(P::num_output);
    const int direction = p.get(P::direction);
    int hidden = num_output;
    if constexpr (std::is_same_v<P, params::LSTM>) hidden = p.get(P::hidden_size);
    if (num_output <= 0 || hidden <= 0) return ctx.error("num_output (and hidden_size) must be positive");
    if (direction < 0 || direction > 2) return ctx.error("direction must be 0, 1 or 2");
    if (p.get(P::int8_scale_term)) return ctx.error("an int8 recurrent layer is not an fp32 layer");
    if (ctx.bottom_count() != 1 || ctx.top_count() != 1) return ctx.error("initial or final hidden states as extra blobs are not supported by the engine");
    ASSIGN_OR_RETURN(std::vector<float> xc, ctx.weight("weight_xc_data"));
    ASSIGN_OR_RETURN(std::vector<float> bias, ctx.weight("bias_c_data"));
    ASSIGN_OR_RETURN(std::vector<float> hc, ctx.weight("weight_hc_data"));
    std::vector<float> hr;
    if (cell == Cell::Lstm && num_output != hidden) {
        ASSIGN_OR_RETURN(hr, ctx.weight("weight_hr_data"));
    }
    auto layer = std::make_unique<Recurrent>(cell, num_output, hidden, direction == 2 ? 2 : 1, std::move(xc), std::move(bias), std::move(hc), std::move(hr));
    layer->direction_reverse_ = direction == 1;
    return std::unique_ptr<LayerForward>(std::move(layer));
}

Result<std::unique_ptr<LayerForward>> make_rnn(const LayerContext& ctx) { return make_recurrent<params::RNN>(ctx, Cell::Rnn); }
Result<std::unique_ptr<LayerForward>> make_lstm(const LayerContext& ctx) { return make_recurrent<params::LSTM>(ctx, Cell::Lstm); }
Result<std::unique_ptr<LayerForward>> make_gru(const LayerContext& ctx) { return make_recurrent<params::GRU>(ctx, Cell::Gru); }

} // namespace

void register_recurrent_layers(LayerRegistry& r)
{
    r["RNN"] = make_rnn;
    r["LSTM"] = make_lstm;
    r["GRU"] = make_gru;
}

} // namespace ncnn_int8::engine
