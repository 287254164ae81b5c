// Self-standing end-to-end checks on the project's own generated models
// (no shared corpus needed): every kind quantizes, the output is a valid
// ncnn model whose .bin matches its .param, and quantizing the int8 output
// again without a table changes nothing but the reference's re-fusion rule
// (pre-quantized layers pass through, fp16 blobs re-encode to the same bytes).
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <string>

#include "core/byte_io.h"
#include "model/bin_reader.h"
#include "model/model.h"
#include "model/param_file.h"
#include "model_generator.h"
#include "ncnn_int8.h"
#include "test_util.h"

namespace ncnn_int8 {
namespace {

using test::run_quantize;

class GeneratedModels : public ::testing::TestWithParam<std::string> {};

TEST_P(GeneratedModels, QuantizesToAValidModelAndIsIdempotent)
{
    Result<GeneratedModel> made = generate_model_in_memory(GetParam(), 11);
    ASSERT_TRUE(made.is_ok()) << made.status().message();
    const GeneratedModel& m = made.value();

    const test::RunResult first = run_quantize(m.param, m.bin, m.table);
    ASSERT_TRUE(first.ok) << first.error;
    EXPECT_GT(first.report.int8_layers, 0);
    EXPECT_TRUE(first.report.warnings.empty()) << first.report.warnings[0].message;
    EXPECT_LT(first.bin.size(), m.bin.size());

    // The output .bin is exactly what the output .param calls for.
    Result<ParamFile> pf = read_param_text(first.param, "out.param");
    ASSERT_TRUE(pf.is_ok()) << pf.status().message();
    Diagnostics d;
    Result<Model> model = build_model(std::move(pf).value(), d);
    ASSERT_TRUE(model.is_ok()) << model.status().message();
    MemorySource out_bin(first.bin.data(), first.bin.size());
    Result<std::vector<LayerBlobs>> index = index_bin(model.value(), out_bin, "out.bin");
    ASSERT_TRUE(index.is_ok()) << index.status().message();

    // Quantizing the int8 model again (no table) leaves it as it is, except
    // that the reference fuses an already fused Convolution again (102 -> 202,
    // same blobs).
    const test::RunResult second = run_quantize(first.param, first.bin, std::nullopt);
    ASSERT_TRUE(second.ok) << second.error;
    std::string second_without_refusion = second.param;
    for (size_t at; (at = second_without_refusion.find(" 8=202")) != std::string::npos;) second_without_refusion.replace(at, 6, " 8=102");
    EXPECT_EQ(second_without_refusion, first.param);
    EXPECT_EQ(second.bin, first.bin);
    EXPECT_EQ(second.report.int8_layers, 0) << "nothing left to quantize";
}

TEST_P(GeneratedModels, SameSeedSameBytes)
{
    Result<GeneratedModel> a = generate_model_in_memory(GetParam(), 5);
    Result<GeneratedModel> b = generate_model_in_memory(GetParam(), 5);
    ASSERT_TRUE(a.is_ok() && b.is_ok());
    const test::RunResult qa = run_quantize(a.value().param, a.value().bin, a.value().table);
    const test::RunResult qb = run_quantize(b.value().param, b.value().bin, b.value().table);
    ASSERT_TRUE(qa.ok) << qa.error;
    EXPECT_EQ(qa.param, qb.param);
    EXPECT_EQ(qa.bin, qb.bin);
}

INSTANTIATE_TEST_SUITE_P(Kinds, GeneratedModels, ::testing::Values("sample", "families", "fp16", "vit-tiny"));

// --layout: the .bin's size and the offsets of its tags, as the .bin itself
// has them (the page's worker makes its warm-up weights from this).
TEST(GeneratedLayout, SizeAndTagOffsetsAreTheBins)
{
    const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("ncnn_int8_layout_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    ASSERT_TRUE(generate_model("vit-tiny", dir.string(), 1, 0, true).is_ok());
    Result<std::string> layout = read_whole_file((dir / "model.layout.json").string());
    ASSERT_TRUE(layout.is_ok());
    EXPECT_FALSE(std::filesystem::exists(dir / "model.bin"));
    Result<std::string> param = read_whole_file((dir / "model.param").string());
    ASSERT_TRUE(param.is_ok());
    std::filesystem::remove_all(dir);

    Result<GeneratedModel> made = generate_model_in_memory("vit-tiny", 1);
    ASSERT_TRUE(made.is_ok());
    EXPECT_EQ(param.value(), made.value().param);
    const Model model = test::must_build(made.value().param);
    MemorySource source(made.value().bin.data(), made.value().bin.size());
    Result<std::vector<LayerBlobs>> index = index_bin(model, source, "m.bin");
    ASSERT_TRUE(index.is_ok()) << index.status().message();
    std::string tags;
    for (const LayerBlobs& layer : index.value())
        for (const BlobLocation& b : layer.blobs)
            if (b.stored != StoredAs::Raw) {
                EXPECT_EQ(b.stored, StoredAs::Fp32);
                tags += (tags.empty() ? "" : ", ") + std::to_string(b.offset);
            }
    EXPECT_EQ(layout.value(), "{\"bin_bytes\": " + std::to_string(made.value().bin.size()) + ", \"fp32_tags\": [" + tags + "]}\n");
    // An fp16 kind has no such layout.
    EXPECT_FALSE(generate_model("fp16", dir.string(), 1, 0, true).is_ok());
}

} // namespace
} // namespace ncnn_int8
