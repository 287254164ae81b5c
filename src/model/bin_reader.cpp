#include "model/bin_reader.h"

#include <cstdio>
#include <cstring>

#include "kernels/kernels.h"
#include "model/catalog/shape.h"

namespace ncnn_int8 {

namespace {

uint64_t align4(uint64_t n) { return (n + 3) & ~uint64_t(3); }

std::string hex32(uint32_t v)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%08X", v);
    return buf;
}

StoredAs classify_tag(uint32_t tag)
{
    if (tag == kTagFp16) return StoredAs::Fp16;
    if (tag == kTagInt8) return StoredAs::Int8;
    if (tag == kTagFp32Scaled) return StoredAs::Fp32Scaled;
    const uint32_t byte_sum = (tag & 0xFF) + ((tag >> 8) & 0xFF) + ((tag >> 16) & 0xFF) + (tag >> 24);
    return byte_sum != 0 ? StoredAs::Lookup : StoredAs::Fp32;
}

uint64_t data_bytes(StoredAs stored, uint64_t count)
{
    switch (stored) {
    case StoredAs::Raw:
    case StoredAs::Fp32:
    case StoredAs::Fp32Scaled: return count * 4;
    case StoredAs::Fp16: return align4(count * 2);
    case StoredAs::Int8: return align4(count);
    case StoredAs::Lookup: return 256 * 4 + align4(count);
    }
    return 0;
}

Status read_exact(ByteSource& bin, const std::string& bin_name, uint64_t offset, void* dst, size_t size, const std::string& what)
{
    ASSIGN_OR_RETURN(size_t got, bin.read_at(offset, dst, size));
    if (got != size)
        return Status::error(ErrorCode::Input, {bin_name}, "truncated: " + what + " needs " + std::to_string(size) + " bytes at offset " + std::to_string(offset) + ", the file has " + std::to_string(bin.size()));
    return Status::ok();
}

} // namespace

const char* stored_as_name(StoredAs s)
{
    switch (s) {
    case StoredAs::Raw: return "raw fp32";
    case StoredAs::Fp32: return "fp32";
    case StoredAs::Fp16: return "fp16";
    case StoredAs::Int8: return "int8";
    case StoredAs::Fp32Scaled: return "fp32 (scaled)";
    case StoredAs::Lookup: return "lookup table";
    }
    return "?";
}

// Element count of `spec` for `params`, or an error naming the layer.
static Result<uint64_t> blob_count(const ModelLayer& layer, const BlobSpec& spec, const LayerParams& params, const std::string& param_file)
{
    const int64_t n = spec.count(params);
    const Location at{param_file, layer.decl->line, layer.label()};
    if (n == kInvalidCount || n < 0)
        return Status::error(ErrorCode::Input, at, "the size of weight blob " + spec.name + " cannot be computed from the params (a zero divisor, a negative size or more than 2^31-1 values)");
    if (n == 0) return Status::error(ErrorCode::Input, at, "weight blob " + spec.name + " would have 0 values; ncnn cannot load such a layer");
    return static_cast<uint64_t>(n);
}

Result<std::vector<PlannedBlob>> present_blobs(const ModelLayer& layer, const LayerParams& params, const std::string& param_file)
{
    std::vector<PlannedBlob> out;
    if (!layer.schema) return out;
    for (const BlobSpec& spec : layer.schema->blobs) {
        if (spec.present && !spec.present(params)) continue;
        ASSIGN_OR_RETURN(uint64_t count, blob_count(layer, spec, params, param_file));
        bool tagged = spec.encoding == BlobEncoding::Tagged;
        if (spec.encoding == BlobEncoding::ByLoadType) {
            const int32_t load_type = params.get(params::MemoryData::load_type);
            if (load_type != 0 && load_type != 1)
                return Status::error(ErrorCode::Input, {param_file, layer.decl->line, layer.label()}, "load_type (param 21) must be 0 or 1, got " + std::to_string(load_type));
            tagged = load_type == 0;
        }
        out.push_back({&spec, count, tagged});
    }
    return out;
}

// Lays the blobs out front to back, each tagged blob's tag from
// `tag_at(offset, what)`; the sizes must add up to the .bin's exactly.
template <class TagAt>
static Result<std::vector<LayerBlobs>> lay_out(const Model& model, uint64_t size, const std::string& bin_name, TagAt tag_at)
{
    std::vector<LayerBlobs> index(model.layers.size());
    uint64_t offset = 0;
    std::string suspicious; // the first unknown tag read as a lookup table: likely where a mismatch starts
    for (size_t li = 0; li < model.layers.size(); li++) {
        const ModelLayer& layer = model.layers[li];
        ASSIGN_OR_RETURN(std::vector<PlannedBlob> blobs, present_blobs(layer, layer.params, model.file.file_name));
        for (const PlannedBlob& pb : blobs) {
            BlobLocation loc;
            loc.spec = pb.spec;
            loc.count = pb.count;
            loc.offset = offset;
            const std::string what = layer.label() + " weight blob " + pb.spec->name + " (" + std::to_string(pb.count) + " values)";
            uint64_t header = 0;
            if (pb.tagged) {
                Result<uint32_t> tag = tag_at(offset, what);
                if (!tag.is_ok()) return tag.status().with_suffix(suspicious);
                loc.tag = tag.value();
                loc.stored = classify_tag(loc.tag);
                header = 4;
                if (loc.stored == StoredAs::Lookup && suspicious.empty())
                    suspicious = "; note: " + layer.label() + " blob " + pb.spec->name + " at offset " + std::to_string(offset) + " has the unusual tag " + hex32(loc.tag) + ", which usually means the .bin does not match the .param from there on";
            }
            loc.bytes = header + data_bytes(loc.stored, pb.count);
            if (offset + loc.bytes > size)
                return Status::error(ErrorCode::Input, {bin_name}, "truncated: " + what + " stored as " + stored_as_name(loc.stored) + " needs " + std::to_string(loc.bytes) + " bytes at offset " + std::to_string(offset) + ", but the file ends at " + std::to_string(size) + suspicious);
            offset += loc.bytes;
            index[li].bytes += loc.bytes;
            index[li].blobs.push_back(loc);
        }
    }
    if (offset != size) {
        std::string last = "the first layer";
        for (size_t li = model.layers.size(); li-- > 0;)
            if (!index[li].blobs.empty()) {
                last = model.layers[li].label();
                break;
            }
        return Status::error(ErrorCode::Input, {bin_name}, std::to_string(size - offset) + " bytes are left after the weights of the last layer that has any (" + last + ", ending at offset " + std::to_string(offset) + "); the .bin does not match the .param" + suspicious);
    }
    return index;
}

Result<std::vector<LayerBlobs>> index_bin(const Model& model, ByteSource& bin, const std::string& bin_name)
{
    return lay_out(model, bin.size(), bin_name, [&](uint64_t offset, const std::string& what) -> Result<uint32_t> {
        uint32_t tag = 0;
        RETURN_IF_ERROR(read_exact(bin, bin_name, offset, &tag, 4, what));
        return tag;
    });
}

std::optional<std::vector<LayerBlobs>> index_bin_like_first_tag(const Model& model, ByteSource& bin, const std::string& bin_name)
{
    std::optional<uint32_t> first;
    Result<std::vector<LayerBlobs>> laid = lay_out(model, bin.size(), bin_name, [&](uint64_t offset, const std::string& what) -> Result<uint32_t> {
        if (!first) {
            uint32_t tag = 0;
            RETURN_IF_ERROR(read_exact(bin, bin_name, offset, &tag, 4, what));
            first = tag;
        }
        return *first;
    });
    // No tags, nothing to gain; any failure is reported by index_bin.
    if (!laid.is_ok() || !first) return std::nullopt;
    const StoredAs stored = classify_tag(*first);
    if (stored != StoredAs::Fp32 && stored != StoredAs::Fp16) return std::nullopt;
    std::vector<LayerBlobs> index = std::move(laid).value();
    for (LayerBlobs& layer : index)
        for (BlobLocation& b : layer.blobs) b.tag_assumed = b.stored != StoredAs::Raw;
    return index;
}

Status check_assumed_tag(ByteSource& bin, const std::string& bin_name, const BlobLocation& where)
{
    if (!where.tag_assumed) return Status::ok();
    uint32_t tag = 0;
    RETURN_IF_ERROR(read_exact(bin, bin_name, where.offset, &tag, 4, "the tag of weight blob " + where.spec->name));
    if (tag == where.tag) return Status::ok();
    return Status::error(ErrorCode::Input, {bin_name}, "weight blob " + where.spec->name + " at offset " + std::to_string(where.offset) + " has the tag " + hex32(tag) + ", not the first blob's " + hex32(where.tag) + ": the .bin is not stored alike throughout");
}

Status read_blob_f32(ByteSource& bin, const std::string& bin_name, const BlobLocation& where, float* out)
{
    RETURN_IF_ERROR(check_assumed_tag(bin, bin_name, where));
    const uint64_t n = where.count;
    const std::string what = "weight blob " + where.spec->name;
    const uint64_t pos = where.offset + (where.stored == StoredAs::Raw ? 0 : 4);
    switch (where.stored) {
    case StoredAs::Raw:
    case StoredAs::Fp32:
    case StoredAs::Fp32Scaled: return read_exact(bin, bin_name, pos, out, n * 4, what);
    case StoredAs::Fp16: {
        std::vector<uint16_t> half(n);
        RETURN_IF_ERROR(read_exact(bin, bin_name, pos, half.data(), n * 2, what));
        kernels::fp16_to_fp32(half.data(), n, out);
        return Status::ok();
    }
    case StoredAs::Lookup: {
        float table[256];
        RETURN_IF_ERROR(read_exact(bin, bin_name, pos, table, sizeof table, what));
        std::vector<uint8_t> index(n);
        RETURN_IF_ERROR(read_exact(bin, bin_name, pos + sizeof table, index.data(), n, what));
        kernels::lut_to_fp32(table, index.data(), n, out);
        return Status::ok();
    }
    case StoredAs::Int8: break;
    }
    return Status::error(ErrorCode::Input, {bin_name}, what + " is stored as int8, not as float values");
}

Status load_blob(ByteSource& bin, const std::string& bin_name, const BlobLocation& where, BlobData& out)
{
    out.spec = where.spec;
    out.stored = where.stored;
    out.is_int8 = where.stored == StoredAs::Int8;
    if (out.is_int8) {
        RETURN_IF_ERROR(check_assumed_tag(bin, bin_name, where));
        out.i8.resize(where.count);
        return read_exact(bin, bin_name, where.offset + 4, out.i8.data(), where.count, "weight blob " + where.spec->name);
    }
    out.f32.resize(where.count);
    return read_blob_f32(bin, bin_name, where, out.f32.data());
}

Result<float> read_raw_float(ByteSource& bin, const std::string& bin_name, const BlobLocation& where, size_t index)
{
    float v = 0;
    RETURN_IF_ERROR(read_exact(bin, bin_name, where.offset + index * 4, &v, 4, "weight blob " + where.spec->name));
    return v;
}

} // namespace ncnn_int8
