#include "model/bin_writer.h"

#include "kernels/kernels.h"

namespace ncnn_int8 {

Status BlobWriter::put(const void* data, size_t size)
{
    total_ += size;
    return sink_.write(data, size);
}

Result<uint64_t> BlobWriter::write(const BlobData& blob, bool tagged)
{
    const uint64_t before = total_;
    static const uint8_t zeros[4] = {0, 0, 0, 0};
    if (blob.is_int8) {
        const uint32_t tag = kTagInt8;
        RETURN_IF_ERROR(put(&tag, 4));
        RETURN_IF_ERROR(put(blob.i8.data(), blob.i8.size()));
        RETURN_IF_ERROR(put(zeros, (4 - blob.i8.size() % 4) % 4));
    } else if (tagged) {
        const uint32_t tag = kTagFp16;
        half_.resize(blob.f32.size());
        kernels::fp32_to_fp16(blob.f32.data(), blob.f32.size(), half_.data());
        RETURN_IF_ERROR(put(&tag, 4));
        RETURN_IF_ERROR(put(half_.data(), half_.size() * 2));
        RETURN_IF_ERROR(put(zeros, (half_.size() % 2) * 2));
    } else {
        raw_.assign(blob.f32.begin(), blob.f32.end());
        kernels::flush_tiny_to_zero(raw_.data(), raw_.size());
        RETURN_IF_ERROR(put(raw_.data(), raw_.size() * 4));
    }
    return total_ - before;
}

} // namespace ncnn_int8
