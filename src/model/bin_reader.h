// The .bin: indexed once (every blob's offset, tag and size, from the schema
// and the params), then each layer's blobs are loaded as fp32 or int8.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/byte_io.h"
#include "core/float_buffer.h"
#include "core/status.h"
#include "model/model.h"

namespace ncnn_int8 {

// How a blob is stored in the input .bin.
enum class StoredAs : uint8_t {
    Raw,        // untagged fp32
    Fp32,       // tag 0x00000000
    Fp16,       // tag 0x01306B47
    Int8,       // tag 0x000D4B38
    Fp32Scaled, // tag 0x0002C056: fp32 data
    Lookup,     // any other non-zero tag: 256 fp32 values + one uint8 index per element
};

constexpr uint32_t kTagFp32 = 0x00000000;
constexpr uint32_t kTagFp16 = 0x01306B47;
constexpr uint32_t kTagInt8 = 0x000D4B38;
constexpr uint32_t kTagFp32Scaled = 0x0002C056;

const char* stored_as_name(StoredAs s);

struct BlobLocation {
    const BlobSpec* spec = nullptr;
    uint64_t count = 0;  // elements
    uint64_t offset = 0; // first byte (the tag, for tagged blobs)
    uint64_t bytes = 0;  // tag + data + padding
    StoredAs stored = StoredAs::Raw;
    uint32_t tag = 0;
    bool tag_assumed = false; // taken from the first tag, not read: checked when the blob is read
};

struct LayerBlobs {
    std::vector<BlobLocation> blobs; // present blobs, in .bin order
    uint64_t bytes = 0;

    const BlobLocation* find(const std::string& name) const
    {
        for (const BlobLocation& b : blobs)
            if (b.spec->name == name) return &b;
        return nullptr;
    }
};

// Which blobs of the schema are present under `params`, with their counts.
struct PlannedBlob {
    const BlobSpec* spec;
    uint64_t count;
    bool tagged;
};
Result<std::vector<PlannedBlob>> present_blobs(const ModelLayer& layer, const LayerParams& params, const std::string& param_file);

// Walks the whole .bin reading only tags: sizes must add up exactly.
Result<std::vector<LayerBlobs>> index_bin(const Model& model, ByteSource& bin, const std::string& bin_name);

// The index from one read, where far reads are slow (a browser's File):
// every tagged blob taken as stored like the first one, where that is fp32
// or fp16 (how converters write a whole model) and the sizes then add up
// to the .bin's exactly; nullopt otherwise. Such blobs are tag_assumed:
// reading one checks its tag first (check_assumed_tag), so a blob is never
// read at a place the tags before it did not vouch for; whoever uses this
// index checks the tags of blobs it does not read, and starts again from
// index_bin where a check fails.
std::optional<std::vector<LayerBlobs>> index_bin_like_first_tag(const Model& model, ByteSource& bin, const std::string& bin_name);

// An error where `where`'s tag was assumed and the .bin holds another one there.
Status check_assumed_tag(ByteSource& bin, const std::string& bin_name, const BlobLocation& where);

// Runs `run(index)` (returning a Result) on an index of the .bin. With
// `like_first_tag`, first on index_bin_like_first_tag's where it can be
// laid out; any failure of that run but a cancel (a tag unlike the first
// among them) calls `rewind()` (returning a Status: the outputs start
// again) and runs again on index_bin's, so the result and the errors are
// always the file's.
template <class Run, class Rewind>
auto run_on_index(const Model& model, ByteSource& bin, const std::string& bin_name, bool like_first_tag, Run run, Rewind rewind)
    -> decltype(run(std::declval<const std::vector<LayerBlobs>&>()))
{
    if (like_first_tag) {
        if (std::optional<std::vector<LayerBlobs>> guessed = index_bin_like_first_tag(model, bin, bin_name)) {
            auto result = run(*guessed);
            if (result.is_ok() || result.status().code() == ErrorCode::Cancelled) return result;
            RETURN_IF_ERROR(rewind());
        }
    }
    ASSIGN_OR_RETURN(std::vector<LayerBlobs> index, index_bin(model, bin, bin_name));
    return run(index);
}

// A loaded blob: fp32 values, or int8 values for int8-tagged blobs.
struct BlobData {
    const BlobSpec* spec = nullptr;
    StoredAs stored = StoredAs::Raw;
    bool is_int8 = false;
    Floats f32; // not zeroed when sized: load_blob reads every value in
    std::vector<int8_t> i8;
};

Status load_blob(ByteSource& bin, const std::string& bin_name, const BlobLocation& where, BlobData& out);

// A float-valued blob (fp32, fp16 or lookup-table stored) read into `out`,
// where.count values the caller provides (uninitialized storage is fine:
// every value is written); an int8-stored blob is an error.
Status read_blob_f32(ByteSource& bin, const std::string& bin_name, const BlobLocation& where, float* out);

// Reads one raw fp32 value (for the requantize planner: a consumer's stored scale).
Result<float> read_raw_float(ByteSource& bin, const std::string& bin_name, const BlobLocation& where, size_t index);

} // namespace ncnn_int8
