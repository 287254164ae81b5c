#include "llm/llm_weights_io.h"

#include <algorithm>
#include <cstring>

namespace ncnn_int8 {

void append_weight_pieces(const BlobLocation& where, int n, int k, size_t window_bytes, std::vector<WeightPiece>& out)
{
    const bool plain = where.stored == StoredAs::Fp32 || where.stored == StoredAs::Raw;
    if (!plain || n <= 0 || k <= 0 || where.count != uint64_t(n) * uint64_t(k)) {
        out.push_back({&where, k, 0, n, true, true});
        return;
    }
    const size_t row_bytes = size_t(k) * 4;
    const int rows = int(std::max<size_t>(1, std::min<size_t>(size_t(n), window_bytes / row_bytes)));
    for (int r = 0; r < n; r += rows) {
        const int end = std::min(n, r + rows);
        out.push_back({&where, k, r, end, false, end == n});
    }
}

Status read_weights(ByteSource& bin, const std::string& bin_name, const BlobLocation& where, WeightBuffer& out, BlobData& scratch)
{
    if (where.stored == StoredAs::Fp32 || where.stored == StoredAs::Raw) {
        RETURN_IF_ERROR(check_assumed_tag(bin, bin_name, where));
        const uint64_t offset = where.offset + (where.stored == StoredAs::Raw ? 0 : 4);
        const size_t bytes = size_t(where.count) * 4;
        float* dst = out.reserve(size_t(where.count));
        ASSIGN_OR_RETURN(size_t got, bin.read_at(offset, dst, bytes));
        if (got != bytes)
            return Status::failure(bin_name + ": truncated: weight blob " + where.spec->name + " needs " + std::to_string(bytes) + " bytes at offset " + std::to_string(offset) + ", the file has " + std::to_string(bin.size()));
        return Status::ok();
    }
    RETURN_IF_ERROR(load_blob(bin, bin_name, where, scratch));
    if (scratch.is_int8) return Status::failure(bin_name + ": weight blob " + where.spec->name + " is stored as int8, not float");
    std::memcpy(out.reserve(scratch.f32.size()), scratch.f32.data(), scratch.f32.size() * 4);
    return Status::ok();
}

Status check_unread_tags(ByteSource& bin, const std::string& bin_name, const LayerBlobs& blobs, const std::function<bool(const std::string&)>& is_read,
                         uint64_t from, uint64_t to)
{
    for (const BlobLocation& b : blobs.blobs)
        if (b.tag_assumed && b.offset >= from && b.offset < to && !is_read(b.spec->name)) RETURN_IF_ERROR(check_assumed_tag(bin, bin_name, b));
    return Status::ok();
}

Status read_piece(ByteSource& bin, const std::string& bin_name, const WeightPiece& piece, WeightBuffer& out, BlobData& scratch)
{
    if (piece.whole) return read_weights(bin, bin_name, *piece.where, out, scratch);
    const BlobLocation& where = *piece.where;
    if (piece.row_begin == 0) RETURN_IF_ERROR(check_assumed_tag(bin, bin_name, where));
    const size_t row_floats = size_t(piece.k);
    const uint64_t offset = where.offset + (where.stored == StoredAs::Raw ? 0 : 4) + uint64_t(piece.row_begin) * row_floats * 4;
    const size_t count = size_t(piece.row_end - piece.row_begin) * row_floats;
    float* dst = out.reserve(count);
    ASSIGN_OR_RETURN(size_t got, bin.read_at(offset, dst, count * 4));
    if (got != count * 4)
        return Status::failure(bin_name + ": truncated: weight blob " + where.spec->name + " needs " + std::to_string(count * 4) + " bytes at offset " + std::to_string(offset) + ", the file has " + std::to_string(bin.size()));
    return Status::ok();
}

WeightPrefetcher::WeightPrefetcher(ByteSource& bin, std::string bin_name, std::vector<WeightPiece> order, bool background)
    : bin_(bin),
      bin_name_(std::move(bin_name)),
      order_(std::move(order)),
      background_(background)
{
    if (background_ && !order_.empty()) start(0);
}

WeightPrefetcher::~WeightPrefetcher()
{
    if (reader_.joinable()) reader_.join();
}

void WeightPrefetcher::start(size_t i)
{
    reader_ = std::thread([this, i] { pending_ = read_piece(bin_, bin_name_, order_[i], buffers_[i % 2], scratch_[i % 2]); });
}

Status WeightPrefetcher::finish()
{
    if (reader_.joinable()) reader_.join();
    return pending_;
}

Result<const WeightBuffer*> WeightPrefetcher::next()
{
    const size_t i = next_++;
    if (i >= order_.size()) return Status::failure(bin_name_ + ": no more weights to read");
    if (background_) {
        RETURN_IF_ERROR(finish());
        if (i + 1 < order_.size()) start(i + 1);
        return &buffers_[i % 2];
    }
    // In turn, one buffer is enough.
    RETURN_IF_ERROR(read_piece(bin_, bin_name_, order_[i], buffers_[0], scratch_[0]));
    return &buffers_[0];
}

} // namespace ncnn_int8
