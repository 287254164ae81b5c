// The .bin reader and writer (model/bin_reader.h, model/bin_writer.h) and the
// memory byte source/sink (core/byte_io.h).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "core/byte_io.h"
#include "kernels/scalar_reference.h"
#include "model/bin_reader.h"
#include "model/bin_writer.h"
#include "test_util.h"

namespace ncnn_int8 {
namespace {

using test::BinBuilder;
using test::contains;

const char kParam[] = "7767517\n2 2\nInput in 0 1 a\nInnerProduct ip 1 1 a b 0=1 1=1 2=5\n";
const std::vector<float> kWeights = {1.5f, -2.25f, 0.125f, 3.0f, -0.5f};
const std::vector<float> kBias = {0.75f};

struct Indexed {
    Model model;
    Result<std::vector<LayerBlobs>> index = Status::failure("not run");
};

Indexed index_of(const std::vector<uint8_t>& bin)
{
    Indexed r;
    r.model = test::must_build(kParam);
    MemorySource src(bin.data(), bin.size());
    r.index = index_bin(r.model, src, "m.bin");
    return r;
}

// A blob's float values as a plain vector, to compare.
std::vector<float> values(const BlobData& d) { return {d.f32.begin(), d.f32.end()}; }

BlobData load(const std::vector<uint8_t>& bin, const BlobLocation& where)
{
    MemorySource src(bin.data(), bin.size());
    BlobData out;
    Status s = load_blob(src, "m.bin", where, out);
    EXPECT_TRUE(s.is_ok()) << s.message();
    return out;
}

TEST(MemoryIo, SourceReadsAndSinkAppends)
{
    const uint8_t data[5] = {1, 2, 3, 4, 5};
    MemorySource src(data, 5);
    EXPECT_EQ(src.size(), 5u);
    uint8_t buf[8] = {};
    Result<size_t> n = src.read_at(3, buf, 8);
    ASSERT_TRUE(n.is_ok());
    EXPECT_EQ(n.value(), 2u);
    EXPECT_EQ(buf[0], 4);
    EXPECT_EQ(buf[1], 5);
    EXPECT_EQ(src.read_at(9, buf, 1).value(), 0u);
    MemorySink sink;
    ASSERT_TRUE(sink.write(data, 2).is_ok());
    ASSERT_TRUE(sink.write(data + 4, 1).is_ok());
    EXPECT_EQ(sink.bytes(), (std::vector<uint8_t>{1, 2, 5}));
    EXPECT_TRUE(sink.commit().is_ok());
}

TEST(BinReader, Fp32TagAndRawBlob)
{
    BinBuilder b;
    b.fp32(kWeights).raw(kBias);
    Indexed ix = index_of(b.bytes);
    ASSERT_TRUE(ix.index.is_ok()) << ix.index.status().message();
    const std::vector<LayerBlobs>& index = ix.index.value();
    ASSERT_EQ(index.size(), 2u);
    EXPECT_TRUE(index[0].blobs.empty());
    ASSERT_EQ(index[1].blobs.size(), 2u);
    const BlobLocation& w = index[1].blobs[0];
    EXPECT_EQ(w.spec->name, "weight_data");
    EXPECT_EQ(w.stored, StoredAs::Fp32);
    EXPECT_EQ(w.offset, 0u);
    EXPECT_EQ(w.bytes, 24u);
    EXPECT_EQ(w.count, 5u);
    const BlobLocation& bias = index[1].blobs[1];
    EXPECT_EQ(bias.stored, StoredAs::Raw);
    EXPECT_EQ(bias.offset, 24u);
    EXPECT_EQ(bias.bytes, 4u);
    EXPECT_EQ(index[1].bytes, 28u);
    EXPECT_EQ(values(load(b.bytes, w)), kWeights);
    EXPECT_EQ(values(load(b.bytes, bias)), kBias);
    EXPECT_FALSE(load(b.bytes, w).is_int8);
}

TEST(BinReader, Fp16TagPaddedToFourBytes)
{
    std::vector<uint16_t> half;
    for (float f : kWeights) half.push_back(scalar::fp32_to_fp16_rne(f));
    half[4] = 0x7D01; // a signaling NaN in the scalar tail stays signaling (payload kept)
    BinBuilder b;
    b.fp16(half).raw(kBias);
    ASSERT_EQ(b.bytes.size(), 4u + 12u + 4u);
    Indexed ix = index_of(b.bytes);
    ASSERT_TRUE(ix.index.is_ok()) << ix.index.status().message();
    const BlobLocation& w = ix.index.value()[1].blobs[0];
    EXPECT_EQ(w.stored, StoredAs::Fp16);
    EXPECT_EQ(w.bytes, 16u);
    EXPECT_EQ(ix.index.value()[1].blobs[1].offset, 16u);
    const BlobData d = load(b.bytes, w);
    ASSERT_EQ(d.f32.size(), 5u);
    for (int i = 0; i < 4; i++) EXPECT_EQ(d.f32[i], kWeights[i]);
    EXPECT_EQ(scalar::bits_of(d.f32[4]), scalar::bits_of(scalar::fp16_to_fp32_exact(0x7D01)));
}

TEST(BinReader, Int8TagPadded)
{
    BinBuilder b;
    b.int8({1, -2, 3, -127, 127}).raw(kBias);
    ASSERT_EQ(b.bytes.size(), 4u + 8u + 4u);
    Indexed ix = index_of(b.bytes);
    ASSERT_TRUE(ix.index.is_ok()) << ix.index.status().message();
    const BlobLocation& w = ix.index.value()[1].blobs[0];
    EXPECT_EQ(w.stored, StoredAs::Int8);
    EXPECT_EQ(w.bytes, 12u);
    const BlobData d = load(b.bytes, w);
    EXPECT_TRUE(d.is_int8);
    EXPECT_EQ(d.i8, (std::vector<int8_t>{1, -2, 3, -127, 127}));
}

TEST(BinReader, Fp32ScaledTag)
{
    BinBuilder b;
    b.u32(kTagFp32Scaled).raw(kWeights).raw(kBias);
    Indexed ix = index_of(b.bytes);
    ASSERT_TRUE(ix.index.is_ok()) << ix.index.status().message();
    const BlobLocation& w = ix.index.value()[1].blobs[0];
    EXPECT_EQ(w.stored, StoredAs::Fp32Scaled);
    EXPECT_EQ(w.tag, 0x0002C056u);
    EXPECT_EQ(w.bytes, 24u);
    EXPECT_EQ(values(load(b.bytes, w)), kWeights);
}

TEST(BinReader, LookupTable)
{
    std::vector<float> table(256);
    for (int i = 0; i < 256; i++) table[i] = static_cast<float>(i) * 0.5f - 10.f;
    const uint8_t idx[5] = {0, 255, 7, 7, 100};
    BinBuilder b;
    b.u32(0x12345678).raw(table).put(idx, 5).pad().raw(kBias);
    ASSERT_EQ(b.bytes.size(), 4u + 1024u + 8u + 4u);
    Indexed ix = index_of(b.bytes);
    ASSERT_TRUE(ix.index.is_ok()) << ix.index.status().message();
    const BlobLocation& w = ix.index.value()[1].blobs[0];
    EXPECT_EQ(w.stored, StoredAs::Lookup);
    EXPECT_EQ(w.bytes, 4u + 1024u + 8u);
    const BlobData d = load(b.bytes, w);
    EXPECT_EQ(values(d), (std::vector<float>{table[0], table[255], table[7], table[7], table[100]}));
}

TEST(BinReader, TruncatedDataNamesLayerAndOffset)
{
    BinBuilder b;
    b.fp32(kWeights).raw(kBias);
    std::vector<uint8_t> cut(b.bytes.begin(), b.bytes.end() - 1); // bias short by 1 byte
    Indexed ix = index_of(cut);
    ASSERT_FALSE(ix.index.is_ok());
    std::string e = ix.index.status().message();
    EXPECT_TRUE(contains(e, "m.bin")) << e;
    EXPECT_TRUE(contains(e, "InnerProduct 'ip'")) << e;
    EXPECT_TRUE(contains(e, "bias_data")) << e;
    EXPECT_TRUE(contains(e, "offset 24")) << e;

    std::vector<uint8_t> cut2(b.bytes.begin(), b.bytes.begin() + 14); // weights short
    Indexed ix2 = index_of(cut2);
    ASSERT_FALSE(ix2.index.is_ok());
    e = ix2.index.status().message();
    EXPECT_TRUE(contains(e, "InnerProduct 'ip'")) << e;
    EXPECT_TRUE(contains(e, "weight_data")) << e;
    EXPECT_TRUE(contains(e, "offset 0")) << e;

    Indexed ix3 = index_of(std::vector<uint8_t>{0, 0}); // not even a tag
    ASSERT_FALSE(ix3.index.is_ok());
    EXPECT_TRUE(contains(ix3.index.status().message(), "InnerProduct 'ip'")) << ix3.index.status().message();
}

TEST(BinReader, LeftoverBytesNameTheLastLayer)
{
    BinBuilder b;
    b.fp32(kWeights).raw(kBias).raw({9.f});
    Indexed ix = index_of(b.bytes);
    ASSERT_FALSE(ix.index.is_ok());
    const std::string e = ix.index.status().message();
    EXPECT_TRUE(contains(e, "4 bytes")) << e;
    EXPECT_TRUE(contains(e, "InnerProduct 'ip'")) << e;
    EXPECT_TRUE(contains(e, "offset 28")) << e;
}

TEST(BinReader, ReadRawFloat)
{
    BinBuilder b;
    b.fp32(kWeights).raw(kBias);
    Indexed ix = index_of(b.bytes);
    ASSERT_TRUE(ix.index.is_ok());
    MemorySource src(b.bytes.data(), b.bytes.size());
    Result<float> v = read_raw_float(src, "m.bin", ix.index.value()[1].blobs[1], 0);
    ASSERT_TRUE(v.is_ok());
    EXPECT_EQ(v.value(), 0.75f);
}

// --- writer ---------------------------------------------------------------

TEST(BlobWriter, TaggedFloatBecomesPaddedFp16WithTailRule)
{
    // 1 + 2^-11 + 2^-20: RNE rounds up (0x3C01), truncation gives 0x3C00.
    const float above_half = 1.f + std::ldexp(1.f, -11) + std::ldexp(1.f, -20);
    BlobData d;
    d.f32 = {above_half, 2.f, -3.f, std::ldexp(1.f, -20), above_half};
    MemorySink sink;
    BlobWriter w(sink);
    Result<uint64_t> n = w.write(d, true);
    ASSERT_TRUE(n.is_ok());
    EXPECT_EQ(n.value(), 16u);
    EXPECT_EQ(w.total(), 16u);
    test::BinCursor c(sink.bytes());
    const std::vector<uint16_t> h = c.fp16(5);
    EXPECT_TRUE(c.at_end());
    EXPECT_EQ(h[0], 0x3C01);
    EXPECT_EQ(h[1], 0x4000);
    EXPECT_EQ(h[2], 0xC200);
    EXPECT_EQ(h[3], 0x0010); // 2^-20 kept as an fp16 subnormal (vector part)
    EXPECT_EQ(h[4], 0x3C00); // tail: truncated
    EXPECT_EQ(h, test::expected_fp16(values(d)));
}

TEST(BlobWriter, EvenCountNeedsNoPadding)
{
    BlobData d;
    d.f32 = {1.f, 2.f};
    MemorySink sink;
    BlobWriter w(sink);
    EXPECT_EQ(w.write(d, true).value(), 8u);
}

TEST(BlobWriter, Int8WithTagAndPadding)
{
    BlobData d;
    d.is_int8 = true;
    d.i8 = {5, -5, 127, -127, 0, 1};
    MemorySink sink;
    BlobWriter w(sink);
    EXPECT_EQ(w.write(d, true).value(), 12u);
    test::BinCursor c(sink.bytes());
    EXPECT_EQ(c.int8(6), d.i8);
    EXPECT_TRUE(c.at_end());
}

TEST(BlobWriter, RawFlushesTinyToPositiveZero)
{
    const float tiny_float_of_1e30 = static_cast<float>(1e-30); // slightly above 1e-30 as a double: kept
    const float below = std::nextafter(tiny_float_of_1e30, 0.f);
    const float denorm = std::numeric_limits<float>::denorm_min();
    BlobData d;
    d.f32 = {1e-31f, -1e-31f, 0.5f, -0.f, tiny_float_of_1e30, below, -denorm, std::nanf(""), -1e-29f};
    MemorySink sink;
    BlobWriter w(sink);
    ASSERT_EQ(w.write(d, false).value(), d.f32.size() * 4);
    test::BinCursor c(sink.bytes());
    const std::vector<float> out = c.raw(d.f32.size());
    EXPECT_EQ(scalar::bits_of(out[0]), 0u);
    EXPECT_EQ(scalar::bits_of(out[1]), 0u); // +0, not -0
    EXPECT_EQ(out[2], 0.5f);
    EXPECT_EQ(scalar::bits_of(out[3]), 0x80000000u); // -0 stays -0
    EXPECT_EQ(out[4], tiny_float_of_1e30);
    EXPECT_EQ(scalar::bits_of(out[5]), 0u);
    EXPECT_EQ(scalar::bits_of(out[6]), 0u);
    EXPECT_TRUE(std::isnan(out[7]));
    EXPECT_EQ(out[8], -1e-29f);
    // the input is not modified
    EXPECT_EQ(d.f32[0], 1e-31f);
}

} // namespace
} // namespace ncnn_int8
