#include "llm/llm_quantize.h"

#include <algorithm>
#include <thread>

#include "kernels/kernels.h"
#include "kernels/llm_kernels.h"

namespace ncnn_int8 {

namespace {

constexpr int kSearchSteps = 20;

float choose_scale(const float* w, int size, int bits, LlmMethod method)
{
    const float absmax = kernels::abs_max(w, size_t(size));
    if (absmax == 0.f) return 1.f;
    const int qmax = (1 << (bits - 1)) - 1;
    if (method != LlmMethod::MseClip) return float(qmax) / absmax;

    float candidates[kSearchSteps + 1], errors[kSearchSteps + 1];
    candidates[0] = float(qmax) / absmax;
    for (int s = 1; s <= kSearchSteps; s++) {
        const float shrink = 1.f - 0.5f * float(s) / float(kSearchSteps);
        candidates[s] = float(qmax) / (absmax * shrink);
    }
    kernels::llm_candidate_errors(w, size_t(size), candidates, kSearchSteps + 1, qmax, errors);
    // A later candidate wins only when strictly better.
    float best_scale = candidates[0], best_error = errors[0];
    for (int s = 1; s <= kSearchSteps; s++)
        if (errors[s] < best_error) {
            best_error = errors[s];
            best_scale = candidates[s];
        }
    return best_scale;
}

} // namespace

const char* llm_method_name(LlmMethod m) { return m == LlmMethod::MseClip ? "mseclip" : "minmax"; }

int llm_resolve_threads(int threads)
{
    return threads > 0 ? threads : int(std::max(1u, std::thread::hardware_concurrency()));
}

void llm_parallel_rows(int n, ThreadTeam& team, const std::function<void(int, int)>& fn)
{
    const int t = std::max(1, std::min(int(team.size()), n / 16));
    if (t <= 1) {
        fn(0, n);
        return;
    }
    const int per = (n + t - 1) / t;
    team.for_each(size_t(t), [&](size_t i) { fn(std::min(n, int(i) * per), std::min(n, (int(i) + 1) * per)); });
}

void llm_make_scales(const float* w, int n, int k, int block, int bits, LlmMethod method, ThreadTeam& team, float* scales)
{
    const int blocks = (k + block - 1) / block;
    llm_parallel_rows(n, team, [&](int begin, int end) {
        for (int r = begin; r < end; r++) {
            const float* row = w + size_t(r) * size_t(k);
            for (int b = 0; b < blocks; b++) {
                const int k0 = b * block;
                scales[size_t(r) * size_t(blocks) + size_t(b)] = choose_scale(row + k0, std::min(block, k - k0), bits, method);
            }
        }
    });
}

void llm_pack_matrix(const float* w, int n, int k, const float* scales, int block, int bits, const float* input_scales,
                     ThreadTeam& team, uint8_t* out, double* signal, double* noise)
{
    const int blocks = (k + block - 1) / block;
    const size_t row_bytes = (size_t(k) * size_t(bits) + 7) / 8;
    const int qmax = (1 << (bits - 1)) - 1;
    std::vector<double> row_signal(signal ? size_t(n) : 0), row_noise(noise ? size_t(n) : 0);
    llm_parallel_rows(n, team, [&](int begin, int end) {
        std::vector<int8_t> q(static_cast<size_t>(k));
        std::vector<float> scaled(input_scales ? size_t(k) : 0);
        for (int r = begin; r < end; r++) {
            const float* row = w + size_t(r) * size_t(k);
            if (input_scales) {
                for (int i = 0; i < k; i++) scaled[size_t(i)] = row[i] / input_scales[i];
                row = scaled.data();
            }
            kernels::ErrorSums sums;
            for (int b = 0; b < blocks; b++) {
                const int k0 = b * block, len = std::min(block, k - k0);
                const float scale = scales[size_t(r) * size_t(blocks) + size_t(b)];
                if (signal)
                    kernels::llm_quantize_block_with_error(row + k0, size_t(len), scale, qmax, q.data() + k0, sums);
                else
                    kernels::llm_quantize_block(row + k0, size_t(len), scale, qmax, q.data() + k0);
            }
            kernels::llm_pack_row(q.data(), size_t(k), bits, out + size_t(r) * row_bytes);
            if (signal) {
                row_signal[size_t(r)] = sums.signal;
                row_noise[size_t(r)] = sums.noise;
            }
        }
    });
    if (signal) {
        for (int r = 0; r < n; r++) {
            *signal += row_signal[size_t(r)];
            *noise += row_noise[size_t(r)];
        }
    }
}

} // namespace ncnn_int8
