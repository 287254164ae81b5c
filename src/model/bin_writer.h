// Writes blobs as the reference stores them: tagged float data as fp16,
// int8 data with the int8 tag (both padded to 4 bytes), raw blobs as fp32
// with magnitudes below 1e-30 flushed to zero.
#pragma once

#include <cstdint>
#include <vector>

#include "core/byte_io.h"
#include "core/status.h"
#include "model/bin_reader.h"

namespace ncnn_int8 {

class BlobWriter {
public:
    explicit BlobWriter(ByteSink& sink) : sink_(sink) {}
    // Returns the bytes written.
    Result<uint64_t> write(const BlobData& blob, bool tagged);
    uint64_t total() const { return total_; }

private:
    Status put(const void* data, size_t size);
    ByteSink& sink_;
    uint64_t total_ = 0;
    std::vector<uint16_t> half_;
    std::vector<float> raw_;
};

} // namespace ncnn_int8
