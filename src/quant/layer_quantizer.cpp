#include "quant/layer_quantizer.h"

#include <algorithm>
#include <cmath>

#include "model/catalog/params.h"

namespace ncnn_int8 {

namespace {

const BlobSpec* schema_blob(const LayerSchema& schema, const std::string& name)
{
    for (const BlobSpec& b : schema.blobs)
        if (b.name == name) return &b;
    return nullptr;
}

class LayerQuantizer {
public:
    LayerQuantizer(const ModelLayer& layer, const LayerPlan& plan, LayerBlobSet& blobs, const std::string& where,
                   Diagnostics& diagnostics, kernels::ErrorSums& error)
        : layer_(layer),
          plan_(plan),
          blobs_(blobs),
          where_(where),
          diagnostics_(diagnostics),
          error_(error)
    {
    }

    Status run()
    {
        const LayerParams& p = layer_.params;
        if (plan_.quantize_weights && plan_.int8) {
            const Int8Facts& f = *plan_.int8;
            if (f.scheme == Int8Scheme::WeightAbsMax) RETURN_IF_ERROR(gemm());
            if (f.scheme == Int8Scheme::TableScales) {
                // Each weight blob row by row with its key's scales; a blob
                // of one row takes one scale for all of it (Embed, attention out).
                for (size_t k = 0; k < f.weights.size(); k++) {
                    const Int8Weight& w = f.weights[k];
                    const size_t n_rows = static_cast<size_t>(w.rows(p));
                    RETURN_IF_ERROR(rows(w.weight, n_rows, scales(w.scales, k, n_rows)));
                }
                for (size_t k = 0; k < f.weights.size(); k++) set_table_scales(f.weights[k].scales, k);
                if (f.needs_input_scale) set_input_scale();
            }
        }
        if (plan_.top_scale) set_blob("top_blob_int8_scales", {*plan_.top_scale});
        return Status::ok();
    }

private:
    BlobData* blob(const std::string& name) { return blobs_.find(name); }

    Location at() const { return {where_, 0, layer_.label()}; }

    BlobData& set_blob(const std::string& name, const std::vector<float>& values)
    {
        BlobData* b = blob(name);
        if (!b) {
            blobs_.blobs.emplace_back();
            b = &blobs_.blobs.back();
            b->spec = schema_blob(*layer_.schema, name);
        }
        b->stored = StoredAs::Raw;
        b->is_int8 = false;
        b->f32.assign(values.begin(), values.end());
        b->i8.clear();
        return *b;
    }

    // Per-row scales: the table's entry for the layer's k-th int8 weight, or
    // (int8 flag already set) the stored blob, which ncnn expands from one
    // value to `count` when needed.
    std::vector<float> scales(const std::string& stored_name, size_t k, size_t count)
    {
        if (!plan_.scales_from_bin) return plan_.weight_scales[k];
        BlobData* b = blob(stored_name);
        std::vector<float> s = b ? std::vector<float>(b->f32.begin(), b->f32.end()) : std::vector<float>{};
        if (s.size() == 1 && count > 1) s.assign(count, s[0]);
        s.resize(count, 0.f);
        return s;
    }

    void set_table_scales(const std::string& name, size_t k)
    {
        if (!plan_.scales_from_bin) set_blob(name, plan_.weight_scales[k]);
    }

    void set_input_scale()
    {
        if (!plan_.scales_from_bin) set_blob("bottom_blob_int8_scales", {plan_.input_scale});
    }

    // An infinite or zero weight scale is what ncnn2table writes for an
    // all-zero channel; anything else with it would be destroyed.
    Status check_scale(const std::string& blob_name, size_t row, float scale, const float* x, size_t n)
    {
        if (!plan_.scales_from_bin && (std::isinf(scale) || scale == 0.f)) {
            const bool all_zero = std::all_of(x, x + n, [](float v) { return v == 0.f; });
            const std::string what = blob_name + " row " + std::to_string(row) + " has weight scale " + (scale == 0.f ? "0" : "inf");
            if (!all_zero) return Status::error(ErrorCode::Input, at(), what + " but non-zero weights; the table does not match the model");
            diagnostics_.warn(where_, layer_.label(), what + " for all-zero weights (as ncnn2table writes); kept as the reference does");
        }
        return Status::ok();
    }

    // Turns a float blob into int8 of the same size, quantized by `fn`.
    template <typename Fn>
    Status to_int8(const std::string& name, Fn fn)
    {
        BlobData* b = blob(name);
        if (!b) return Status::error(ErrorCode::Input, at(), "missing weight blob " + name);
        if (b->is_int8) return Status::error(ErrorCode::Input, at(), name + " is already int8 in the .bin; it cannot be quantized again");
        b->i8.resize(b->f32.size());
        RETURN_IF_ERROR(fn(b->f32.data(), b->f32.size(), b->i8.data()));
        b->is_int8 = true;
        b->stored = StoredAs::Int8;
        b->f32.clear();
        b->f32.shrink_to_fit();
        return Status::ok();
    }

    Status rows(const std::string& name, size_t n_rows, const std::vector<float>& row_scales)
    {
        return to_int8(name, [&](const float* x, size_t n, int8_t* q) -> Status {
            if (n_rows == 0 || n % n_rows != 0)
                return Status::error(ErrorCode::Input, at(), name + " has " + std::to_string(n) + " values, not a multiple of " + std::to_string(n_rows) + " rows");
            const size_t len = n / n_rows;
            for (size_t r = 0; r < n_rows; r++) {
                RETURN_IF_ERROR(check_scale(name, r, row_scales[r], x + r * len, len));
                kernels::quantize_row_with_error(x + r * len, len, row_scales[r], q + r * len, error_);
            }
            return Status::ok();
        });
    }

    // 1D blobs (depthwise groups, Embed, attention out, Gemm's transposed B)
    // are one row each (per group), as the reference notes describe. (ncnn's
    // Quantize layer would split a 1D blob per thread, which makes the
    // reference's bytes depend on its machine's core count in rare tie cases.)
    Status whole(const std::string& name, float scale) { return rows(name, 1, {scale}); }

    static float gemm_scale(float absmax) { return absmax == 0.f ? 1.f : 127.f / absmax; }

    // Gemm: scales from the weights. Constant A becomes M rows of K (transposed
    // first when transA=1), one scale per row; constant B one scale.
    Status gemm()
    {
        using G = params::Gemm;
        const LayerParams& p = layer_.params;
        const size_t M = static_cast<size_t>(p.get(G::constantM)), N = static_cast<size_t>(p.get(G::constantN)),
                     K = static_cast<size_t>(p.get(G::constantK));
        if (BlobData* a = blob("A_data")) {
            if (p.get(G::transA) == 1) transpose(a->f32, K, M); // stored K rows of M
            std::vector<float> s(M);
            for (size_t r = 0; r < M; r++) s[r] = gemm_scale(kernels::abs_max(a->f32.data() + r * K, K));
            RETURN_IF_ERROR(rows("A_data", M, s));
            set_blob("A_data_int8_scales", s);
        }
        if (BlobData* b = blob("B_data")) {
            float scale;
            if (p.get(G::transB) == 0) {
                transpose(b->f32, K, N); // stored K rows of N -> N rows of K
                scale = gemm_scale(kernels::abs_max(b->f32.data(), b->f32.size()));
                RETURN_IF_ERROR(whole("B_data", scale));
            } else {
                // As loaded (N rows of K) the reference takes absmax over the
                // first row only, then quantizes every row with that scale.
                scale = gemm_scale(kernels::abs_max(b->f32.data(), K));
                RETURN_IF_ERROR(rows("B_data", N, std::vector<float>(N, scale)));
            }
            set_blob("B_data_int8_scale", {scale});
        }
        return Status::ok();
    }

    // `v` holds `rows` rows of `cols`; afterwards it holds `cols` rows of `rows`.
    static void transpose(Floats& v, size_t rows, size_t cols)
    {
        Floats t(v.size()); // every value written below
        for (size_t r = 0; r < rows; r++)
            for (size_t c = 0; c < cols; c++) t[c * rows + r] = v[r * cols + c];
        v.swap(t);
    }

    const ModelLayer& layer_;
    const LayerPlan& plan_;
    LayerBlobSet& blobs_;
    const std::string& where_;
    Diagnostics& diagnostics_;
    kernels::ErrorSums& error_;
};

} // namespace

Status quantize_layer(const ModelLayer& layer, const LayerPlan& plan, LayerBlobSet& blobs, const std::string& where,
                      Diagnostics& diagnostics, kernels::ErrorSums& error)
{
    return LayerQuantizer(layer, plan, blobs, where, diagnostics, error).run();
}

} // namespace ncnn_int8
