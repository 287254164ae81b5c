// Reads one weight blob as fp32 into a reused buffer that is never zero-filled
// first (std::vector::resize would write every byte once more before the
// read overwrites it: for a 1.4 GB model that is 1.4 GB of memset).
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "core/byte_io.h"
#include "core/status.h"
#include "model/bin_reader.h"

namespace ncnn_int8 {

class WeightBuffer {
public:
    float* reserve(size_t n)
    {
        if (n > capacity_) {
            data_.reset(new float[n]);
            capacity_ = n;
        }
        size_ = n;
        return data_.get();
    }
    const float* data() const { return data_.get(); }
    size_t size() const { return size_; }

private:
    std::unique_ptr<float[]> data_;
    size_t capacity_ = 0, size_ = 0;
};

// fp32-stored blobs are read straight into `out`; fp16 / lookup-table ones
// go through load_blob (into `scratch`) and are copied.
Status read_weights(ByteSource& bin, const std::string& bin_name, const BlobLocation& where, WeightBuffer& out, BlobData& scratch);

} // namespace ncnn_int8

#include <thread>
#include <vector>

namespace ncnn_int8 {

// Hands out the weights of `order` one after the other; with `background`
// the next one is read on its own thread while the caller works on the
// current one (two buffers: a weight stays valid until the next call).
class WeightPrefetcher {
public:
    WeightPrefetcher(ByteSource& bin, std::string bin_name, std::vector<const BlobLocation*> order, bool background);
    ~WeightPrefetcher();
    WeightPrefetcher(const WeightPrefetcher&) = delete;
    WeightPrefetcher& operator=(const WeightPrefetcher&) = delete;

    // The weights of order[i], for i = 0, 1, ... in turn.
    Result<const WeightBuffer*> next();

private:
    void start(size_t i);
    Status finish();

    ByteSource& bin_;
    std::string bin_name_;
    std::vector<const BlobLocation*> order_;
    bool background_;
    size_t next_ = 0;
    WeightBuffer buffers_[2];
    BlobData scratch_[2];
    std::thread reader_;
    Status pending_;
};

} // namespace ncnn_int8
