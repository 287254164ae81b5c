#include "llm/llm_weights_io.h"

#include <cstring>

namespace ncnn_int8 {

Status read_weights(ByteSource& bin, const std::string& bin_name, const BlobLocation& where, WeightBuffer& out, BlobData& scratch)
{
    if (where.stored == StoredAs::Fp32 || where.stored == StoredAs::Raw) {
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

} // namespace ncnn_int8

namespace ncnn_int8 {

WeightPrefetcher::WeightPrefetcher(ByteSource& bin, std::string bin_name, std::vector<const BlobLocation*> order, bool background)
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
    reader_ = std::thread([this, i] { pending_ = read_weights(bin_, bin_name_, *order_[i], buffers_[i % 2], scratch_[i % 2]); });
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
    } else {
        RETURN_IF_ERROR(read_weights(bin_, bin_name_, *order_[i], buffers_[i % 2], scratch_[i % 2]));
    }
    return &buffers_[i % 2];
}

} // namespace ncnn_int8
