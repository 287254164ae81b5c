// Reads weights as fp32 into reused buffers that are never zero-filled first
// (std::vector::resize would write every byte once more before the read
// overwrites it: for a 1.4 GB model that is 1.4 GB of memset). A large
// weight is read in pieces of whole rows (block quantization works per row),
// so memory stays near one window whatever the size of a layer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

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

// Rows [row_begin, row_end) of one N x K weight. A weight not stored as
// plain fp32 (or whose element count is not N x K) is one piece read whole.
struct WeightPiece {
    const BlobLocation* where = nullptr;
    int k = 0;
    int row_begin = 0, row_end = 0;
    bool whole = false;
    bool last = false; // the weight's last piece
};

// Appends the pieces of an n x k weight stored at `where`: about
// window_bytes of fp32 rows each (at least one row).
void append_weight_pieces(const BlobLocation& where, int n, int k, size_t window_bytes, std::vector<WeightPiece>& out);

// fp32-stored blobs are read straight into `out`; fp16 / lookup-table ones
// go through load_blob (into `scratch`) and are copied.
Status read_weights(ByteSource& bin, const std::string& bin_name, const BlobLocation& where, WeightBuffer& out, BlobData& scratch);

// Where the index was laid out from the first tag: checks the tags of the
// blobs of `blobs` at offsets in [from, to) that a pass does not read
// (`is_read(name)` false); a blob that is read checks its own
// (read_weights, read_piece, load_blob). A pass calls it as it passes them,
// so the reads go forward.
Status check_unread_tags(ByteSource& bin, const std::string& bin_name, const LayerBlobs& blobs, const std::function<bool(const std::string&)>& is_read,
                         uint64_t from = 0, uint64_t to = UINT64_MAX);

// Reads one piece into `out`.
Status read_piece(ByteSource& bin, const std::string& bin_name, const WeightPiece& piece, WeightBuffer& out, BlobData& scratch);

// Hands out the pieces of `order` one after the other; with `background`
// the next one is read on its own thread while the caller works on the
// current one (two buffers: a piece stays valid until the next call).
class WeightPrefetcher {
public:
    WeightPrefetcher(ByteSource& bin, std::string bin_name, std::vector<WeightPiece> order, bool background);
    ~WeightPrefetcher();
    WeightPrefetcher(const WeightPrefetcher&) = delete;
    WeightPrefetcher& operator=(const WeightPrefetcher&) = delete;

    // The rows of order[i], for i = 0, 1, ... in turn.
    Result<const WeightBuffer*> next();
    // The piece the last next() returned.
    const WeightPiece& current() const { return order_[next_ - 1]; }

private:
    void start(size_t i);
    Status finish();

    ByteSource& bin_;
    std::string bin_name_;
    std::vector<WeightPiece> order_;
    bool background_;
    size_t next_ = 0;
    WeightBuffer buffers_[2];
    BlobData scratch_[2];
    std::thread reader_;
    Status pending_;
};

} // namespace ncnn_int8
