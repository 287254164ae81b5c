// Block scales and packed rows of one N x K weight matrix, as the reference
// computes them, with rows spread over a run's thread team (results do not
// depend on the thread count: every row is computed the same way by
// whichever thread).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/thread_team.h"

namespace ncnn_int8 {

enum class LlmMethod { MinMax,
                       MseClip };
const char* llm_method_name(LlmMethod m);

// scales[n * blocks + b] for every row n and block b: minmax qmax/absmax, or
// the mseclip search over 21 clip ratios; an all-zero block gets 1.
void llm_make_scales(const float* w, int n, int k, int block, int bits, LlmMethod method, ThreadTeam& team, float* scales);

// Packs every row at `bits` with the given block scales. With input_scales
// (awq) each weight is first divided by its column's input scale.
// out gets n * ceil(k*bits/8) bytes. signal/noise (optional) receive the
// sums of w^2 and (w - q/scale)^2 for the report's SQNR.
void llm_pack_matrix(const float* w, int n, int k, const float* scales, int block, int bits, const float* input_scales,
                     ThreadTeam& team, uint8_t* out, double* signal, double* noise);

// 0 (or less): one per hardware thread.
int llm_resolve_threads(int threads);

// Runs fn(begin, end) over [0, n) rows in runs of rows spread over the
// team (at least 16 rows a run: fewer are not worth a thread's wake-up).
void llm_parallel_rows(int n, ThreadTeam& team, const std::function<void(int, int)>& fn);

} // namespace ncnn_int8
