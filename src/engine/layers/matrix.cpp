// Gemm and MatMul. Gemm (ncnn's fp32 semantics: sum = beta * C + A x B, then times alpha;
// A and B from the layer's constants or from bottom blobs, either
// transposed; C as a scalar, per row, per column or full matrix).
#include <algorithm>
#include <vector>

#include "engine/layer_registry.h"
#include "kernels/engine_kernels.h"

namespace ncnn_int8::engine {

namespace {

// A 2-D (or 3-D with h == 1, rows = c) blob as rows x cols, dense.
struct Matrix {
    const float* data = nullptr;
    int rows = 0, cols = 0;
};

bool as_matrix(const Tensor& t, Matrix& m)
{
    if (t.dims == 2)
        m = {t.data.data(), t.h, t.w};
    else if (t.dims == 3 && t.h == 1 && t.d == 1)
        m = {t.data.data(), t.c, t.w};
    else if (t.dims == 1)
        m = {t.data.data(), 1, t.w};
    else
        return false;
    return true;
}

class Gemm final : public LayerForward {
public:
    struct Spec {
        float alpha = 1, beta = 1;
        bool transA = false, transB = false, constA = false, constB = false, constC = false;
        int M = 0, N = 0, K = 0, broadcast_C = 0;
        bool output_N1M = false, output_transpose = false;
    };
    Gemm(Spec s, Tensor A, Tensor B, Tensor C) : s_(s),
                                                 A_(std::move(A)),
                                                 B_(std::move(B)),
                                                 C_(std::move(C)) {}

    Status forward(const std::vector<TensorPtr>& bottoms, std::vector<TensorPtr>& tops) const override
    {
        size_t next = 0;
        const Tensor& A0 = s_.constA ? A_ : *bottoms.at(next++);
        const Tensor& B0 = s_.constB ? B_ : *bottoms.at(next++);
        Matrix a, b;
        if (!as_matrix(A0, a) || !as_matrix(B0, b)) return shape_error("A and B must be 2-D blobs, got " + A0.shape_text() + " and " + B0.shape_text());
        const int M = s_.transA ? a.cols : a.rows, K = s_.transA ? a.rows : a.cols;
        const int N = s_.transB ? b.rows : b.cols, KB = s_.transB ? b.cols : b.rows;
        if (K != KB) return shape_error("A has K = " + std::to_string(K) + ", B has " + std::to_string(KB));
        // Row-major A (M x K) and B (K x N) for the kernel.
        std::vector<float> at, bt;
        const float* pa = a.data;
        const float* pb = b.data;
        if (s_.transA) {
            at.resize(static_cast<size_t>(M) * K);
            for (int i = 0; i < M; i++)
                for (int k = 0; k < K; k++) at[static_cast<size_t>(i) * K + k] = a.data[static_cast<size_t>(k) * a.cols + i];
            pa = at.data();
        }
        if (s_.transB) {
            bt.resize(static_cast<size_t>(K) * N);
            for (int k = 0; k < K; k++)
                for (int j = 0; j < N; j++) bt[static_cast<size_t>(k) * N + j] = b.data[static_cast<size_t>(j) * b.cols + k];
            pb = bt.data();
        }
        std::vector<float> ab(static_cast<size_t>(M) * N);
        kernels::gemm_f32(M, N, K, pa, K, pb, N, nullptr, ab.data(), N);

        // C: constant, or the bottom after A / B.
        const Tensor* C = s_.constC ? &C_ : (next < bottoms.size() ? bottoms[next].get() : nullptr);
        int type = s_.broadcast_C;
        if (C && !s_.constC) {
            type = 0;
            if (C->dims == 1 && C->w == M) type = 1;
            if (C->dims == 1 && C->w == N) type = 4;
            if (C->dims == 2 && C->w == 1 && C->h == M) type = 2;
            if (C->dims == 2 && C->w == N && C->h == M) type = 3;
            if (C->dims == 2 && C->w == N && C->h == 1) type = 4;
        }
        if (C && C->data.empty()) C = nullptr;
        const size_t need[] = {1, static_cast<size_t>(M), static_cast<size_t>(M), static_cast<size_t>(M) * N, static_cast<size_t>(N)};
        if (C && (type < 0 || type > 4 || C->data.size() < need[type])) return shape_error("C does not match M = " + std::to_string(M) + ", N = " + std::to_string(N));

        Tensor out;
        if (s_.output_transpose)
            out = s_.output_N1M ? Tensor::make3(M, 1, N) : Tensor::make2(M, N);
        else
            out = s_.output_N1M ? Tensor::make3(N, 1, M) : Tensor::make2(N, M);
        for (int i = 0; i < M; i++)
            for (int j = 0; j < N; j++) {
                float sum = 0.f;
                if (C) {
                    const float* c = C->data.data();
                    sum = type == 0 ? c[0] : type == 1 || type == 2 ? c[i]
                                         : type == 3                ? c[static_cast<size_t>(i) * N + j]
                                                                    : c[j];
                    sum *= s_.beta;
                }
                sum = (sum + ab[static_cast<size_t>(i) * N + j]) * s_.alpha;
                if (s_.output_transpose)
                    out.data[static_cast<size_t>(j) * M + i] = sum;
                else
                    out.data[static_cast<size_t>(i) * N + j] = sum;
            }
        tops.push_back(std::make_shared<Tensor>(std::move(out)));
        return Status::ok();
    }

private:
    Spec s_;
    Tensor A_, B_, C_;
};

Result<std::unique_ptr<LayerForward>> make_gemm(const LayerContext& ctx)
{
    using P = params::Gemm;
    const LayerParams& p = ctx.params();
    Gemm::Spec s;
    s.alpha = p.get(P::alpha);
    s.beta = p.get(P::beta);
    s.transA = p.get(P::transA) != 0;
    s.transB = p.get(P::transB) != 0;
    s.constA = p.get(P::constantA) != 0;
    s.constB = p.get(P::constantB) != 0;
    s.constC = p.get(P::constantC) != 0 && p.get(P::constant_broadcast_type_C) != -1;
    s.M = p.get(P::constantM);
    s.N = p.get(P::constantN);
    s.K = p.get(P::constantK);
    s.broadcast_C = p.get(P::constant_broadcast_type_C);
    s.output_N1M = p.get(P::output_N1M) != 0;
    s.output_transpose = p.get(P::output_transpose) != 0;
    if (p.get(P::quantize_term) != 0) return ctx.error("a quantized Gemm (quantize_term) is not an fp32 layer");
    if (p.get(P::output_elemtype) > 1) return ctx.error("output_elemtype other than fp32 is not supported by the engine");
    Tensor A, B, C;
    if (s.constA) {
        A = s.transA ? Tensor::make2(s.M, s.K) : Tensor::make2(s.K, s.M);
        ASSIGN_OR_RETURN(A.data, ctx.weight_values("A_data"));
    }
    if (s.constB) {
        B = s.transB ? Tensor::make2(s.K, s.N) : Tensor::make2(s.N, s.K);
        ASSIGN_OR_RETURN(B.data, ctx.weight_values("B_data"));
    }
    if (s.constC) {
        C = Tensor::make1(1);
        ASSIGN_OR_RETURN(C.data, ctx.weight_values("C_data"));
        C.w = static_cast<int>(C.data.size());
    }
    const size_t needed = (s.constA ? 0 : 1) + (s.constB ? 0 : 1);
    if (ctx.bottom_count() < needed) return ctx.error("needs " + std::to_string(needed) + " bottom blobs for its non-constant operands");
    return std::unique_ptr<LayerForward>(new Gemm(s, std::move(A), std::move(B), std::move(C)));
}

// ---------------------------------------------------------------- MatMul

// A stack of rows x cols matrices over (bc, bd) batches, dense.
struct Batched {
    const float* data = nullptr;
    int rows = 1, cols = 1, bd = 1, bc = 1;
    const float* at(int c, int d) const
    {
        const int ci = bc == 1 ? 0 : c, di = bd == 1 ? 0 : d;
        return data + (static_cast<size_t>(ci) * bd + di) * rows * cols;
    }
};

// ncnn's MatMul: numpy matmul over ncnn axes (w = columns, h = rows, then
// d and c as batch axes; a 3-D operand against a 4-D one batches along d).
class MatMul final : public LayerForward {
public:
    explicit MatMul(bool transB) : transB_(transB) {}
    Status forward(const std::vector<TensorPtr>& bottoms, std::vector<TensorPtr>& tops) const override
    {
        const Tensor& A = *bottoms.at(0);
        const Tensor& B = *bottoms.at(1);
        const int maxdims = std::max(A.dims, B.dims);
        Batched a{A.data.data(), A.dims == 1 ? 1 : A.h, A.w, 1, 1};
        Batched b{B.data.data(), B.dims == 1 ? 1 : B.h, B.w, 1, 1};
        bool b_rows_are_n = transB_ || B.dims == 1; // B given as N x K
        if (A.dims == 1 && B.dims == 1) b_rows_are_n = true;
        auto batch = [&](const Tensor& t, Batched& m) {
            if (t.dims == 3 && maxdims == 4)
                m.bd = t.c; // reshaped to (w, h, c, 1)
            else if (t.dims == 3)
                m.bc = t.c;
            else if (t.dims == 4) {
                m.bd = t.d;
                m.bc = t.c;
            }
        };
        batch(A, a);
        batch(B, b);
        const int K = a.cols;
        const int N = b_rows_are_n ? b.rows : b.cols;
        const int KB = b_rows_are_n ? b.cols : b.rows;
        if (K != KB) return shape_error("A has K = " + std::to_string(K) + ", B has " + std::to_string(KB));
        const int M = a.rows;
        if ((a.bc != 1 && b.bc != 1 && a.bc != b.bc) || (a.bd != 1 && b.bd != 1 && a.bd != b.bd))
            return shape_error("cannot broadcast the batches of " + A.shape_text() + " and " + B.shape_text());
        const int bc = std::max(a.bc, b.bc), bd = std::max(a.bd, b.bd);
        Tensor out;
        if (A.dims == 1 && B.dims == 1)
            out = Tensor::make1(1);
        else if (A.dims == 1)
            out = B.dims == 2 ? Tensor::make1(N) : B.dims == 3 ? Tensor::make2(N, bc)
                                                               : Tensor::make3(N, bd, bc);
        else if (B.dims == 1)
            out = A.dims == 2 ? Tensor::make1(M) : A.dims == 3 ? Tensor::make2(M, bc)
                                                               : Tensor::make3(M, bd, bc);
        else if (maxdims == 2)
            out = Tensor::make2(N, M);
        else if (maxdims == 3)
            out = Tensor::make3(N, M, bc);
        else
            out = Tensor::make4(N, M, bd, bc);
        std::vector<float> bt;
        float* o = out.data.data();
        for (int c = 0; c < bc; c++)
            for (int d = 0; d < bd; d++) {
                const float* pb = b.at(c, d);
                if (b_rows_are_n) { // to K x N
                    bt.resize(static_cast<size_t>(K) * N);
                    for (int k = 0; k < K; k++)
                        for (int j = 0; j < N; j++) bt[static_cast<size_t>(k) * N + j] = pb[static_cast<size_t>(j) * K + k];
                    pb = bt.data();
                }
                kernels::gemm_f32(M, N, K, a.at(c, d), K, pb, N, nullptr, o, N);
                o += static_cast<size_t>(M) * N;
            }
        tops.push_back(std::make_shared<Tensor>(std::move(out)));
        return Status::ok();
    }

private:
    bool transB_;
};

Result<std::unique_ptr<LayerForward>> make_matmul(const LayerContext& ctx)
{
    using P = params::MatMul;
    if (ctx.bottom_count() != 2) return ctx.error("MatMul takes two bottom blobs");
    return std::unique_ptr<LayerForward>(new MatMul(ctx.params().get(P::transB) != 0));
}

} // namespace

void register_matrix_layers(LayerRegistry& r)
{
    r["Gemm"] = make_gemm;
    r["MatMul"] = make_matmul;
}

} // namespace ncnn_int8::engine
