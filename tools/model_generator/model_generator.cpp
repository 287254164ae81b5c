#include "model_generator.h"

#include <memory>

#include "core/byte_io.h"
#include "kinds.h"
#include "model_builder.h"

namespace ncnn_int8 {

namespace {

using generator::ModelBuilder;
using generator::WeightEncoding;

struct KindInfo {
    const char* name;
    Status (*build)(ModelBuilder&);
    WeightEncoding encoding;
};

const KindInfo kKinds[] = {
    {"sample", generator::build_sample, WeightEncoding::Fp32},
    {"families", generator::build_families, WeightEncoding::Fp32},
    {"cnn", generator::build_cnn, WeightEncoding::Fp32},
    {"vit", generator::build_vit, WeightEncoding::Fp32},
    {"vit-tiny", generator::build_vit_tiny, WeightEncoding::Fp32},
    {"fp16", generator::build_sample, WeightEncoding::Fp16},
    {"decoder", generator::build_decoder, WeightEncoding::Fp32},
    {"decoder-0.5b", generator::build_decoder_05b, WeightEncoding::Fp32},
    {"decoder-4g", generator::build_decoder_4g, WeightEncoding::Fp32},
    {"proj-out-0.5b", generator::build_proj_out_05b, WeightEncoding::Fp32},
};

Result<const KindInfo*> find_kind(const std::string& kind)
{
    for (const KindInfo& k : kKinds)
        if (kind == k.name) return &k;
    std::string known;
    for (const KindInfo& k : kKinds) known += std::string(known.empty() ? "" : ", ") + k.name;
    return Status::failure("unknown model kind '" + kind + "' (known: " + known + ")");
}

// Builds the model, streaming weights into `bin`; returns param and table
// text, and with `layout` the .bin's layout (see generate_model).
Status build(const KindInfo& kind, uint64_t seed, int blocks, ByteSink& bin, std::string* param, std::string* table, std::string* layout = nullptr)
{
    ModelBuilder builder(bin, kind.encoding, seed);
    builder.set_blocks(blocks);
    RETURN_IF_ERROR(kind.build(builder));
    *param = builder.param_text();
    *table = builder.table_text();
    if (layout) {
        *layout = "{\"bin_bytes\": " + std::to_string(builder.bin_bytes()) + ", \"fp32_tags\": [";
        for (size_t i = 0; i < builder.tag_offsets().size(); i++) *layout += (i ? ", " : "") + std::to_string(builder.tag_offsets()[i]);
        *layout += "]}\n";
    }
    return Status::ok();
}

// Takes the bytes and keeps only their count.
class DiscardSink final : public ByteSink {
public:
    Status write(const void*, size_t) override { return Status::ok(); }
    Status commit() override { return Status::ok(); }
};

Status write_text_file(const std::string& path, const std::string& text)
{
    ASSIGN_OR_RETURN(AtomicFileSink * raw, AtomicFileSink::create(path));
    std::unique_ptr<AtomicFileSink> sink(raw);
    RETURN_IF_ERROR(sink->write(text.data(), text.size()));
    return sink->commit();
}

} // namespace

const std::vector<std::string>& model_kinds()
{
    static const std::vector<std::string> names = [] {
        std::vector<std::string> v;
        for (const auto& k : kKinds) v.push_back(k.name);
        return v;
    }();
    return names;
}

Status generate_model(const std::string& kind, const std::string& out_dir, uint64_t seed, int blocks, bool layout_only)
{
    ASSIGN_OR_RETURN(const KindInfo* info, find_kind(kind));
    if (layout_only) {
        if (info->encoding != WeightEncoding::Fp32) return Status::failure("--layout: kind '" + kind + "' is not stored as fp32");
        DiscardSink bin;
        std::string param, table, layout;
        RETURN_IF_ERROR(build(*info, seed, blocks, bin, &param, &table, &layout));
        RETURN_IF_ERROR(write_text_file(out_dir + "/model.param", param));
        RETURN_IF_ERROR(write_text_file(out_dir + "/model.table", table));
        return write_text_file(out_dir + "/model.layout.json", layout);
    }
    ASSIGN_OR_RETURN(AtomicFileSink * raw_bin, AtomicFileSink::create(out_dir + "/model.bin"));
    std::unique_ptr<AtomicFileSink> bin(raw_bin);
    std::string param, table;
    RETURN_IF_ERROR(build(*info, seed, blocks, *bin, &param, &table));
    RETURN_IF_ERROR(bin->commit());
    RETURN_IF_ERROR(write_text_file(out_dir + "/model.param", param));
    return write_text_file(out_dir + "/model.table", table);
}

Result<GeneratedModel> generate_model_in_memory(const std::string& kind, uint64_t seed)
{
    ASSIGN_OR_RETURN(const KindInfo* info, find_kind(kind));
    MemorySink bin;
    GeneratedModel model;
    RETURN_IF_ERROR(build(*info, seed, 0, bin, &model.param, &model.table));
    model.bin = std::move(bin.bytes());
    return model;
}

} // namespace ncnn_int8
