// The text .param reader (model/param_file.h) and ncnn's number parsing
// (model/param_text.h).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>

#include "model/model.h"
#include "model/param_file.h"
#include "model/param_text.h"
#include "test_util.h"

namespace ncnn_int8 {
namespace {

using test::contains;

uint32_t bits(float f)
{
    uint32_t u;
    std::memcpy(&u, &f, 4);
    return u;
}

Result<ParamFile> read(const std::string& text) { return read_param_text(text, "m.param"); }

// A one-layer file around `line`; the blob count follows the line's names.
std::string one_layer(const std::string& line, int blobs = 1) { return "7767517\n1 " + std::to_string(blobs) + "\n" + line + "\n"; }

ParamFile must_read(const std::string& text)
{
    Result<ParamFile> r = read(text);
    EXPECT_TRUE(r.is_ok()) << r.status().message();
    return r.is_ok() ? std::move(r).value() : ParamFile{};
}

std::string error_of(const std::string& text)
{
    Result<ParamFile> r = read(text);
    EXPECT_FALSE(r.is_ok()) << "expected an error for:\n"
                            << text;
    return r.is_ok() ? "" : r.status().message();
}

// --- header --------------------------------------------------------------

TEST(ParamReader, EmptyFileIsAnError)
{
    EXPECT_TRUE(contains(error_of(""), "m.param"));
    EXPECT_TRUE(contains(error_of("\n\n  \n"), "empty"));
}

TEST(ParamReader, WrongMagicIsAnError)
{
    const std::string e = error_of("7767518\n1 1\nInput in 0 1 data\n");
    EXPECT_TRUE(contains(e, "m.param:1")) << e;
    EXPECT_TRUE(contains(e, "7767517")) << e;
    EXPECT_FALSE(read("magic\n1 1\nInput in 0 1 data\n").is_ok());
}

TEST(ParamReader, BinaryDataIsAnError)
{
    std::string text = "7767517\n1 1\nInput in 0 1 data\n";
    text[3] = '\0';
    EXPECT_TRUE(contains(error_of(text), "binary"));
}

TEST(ParamReader, HeaderCountLineErrors)
{
    EXPECT_TRUE(contains(error_of("7767517\n"), "m.param"));
    std::string e = error_of("7767517\nabc 1\nInput in 0 1 data\n");
    EXPECT_TRUE(contains(e, "m.param:2")) << e;
    e = error_of("7767517\n1 1 1\nInput in 0 1 data\n");
    EXPECT_TRUE(contains(e, "m.param:2")) << e;
    e = error_of("7767517\n0 1\n");
    EXPECT_TRUE(contains(e, "positive")) << e;
    e = error_of("7767517\n1 -1\nInput in 0 1 data\n");
    EXPECT_TRUE(contains(e, "positive")) << e;
}

// The counts on line 2 must match the file; the message names file:line of the header.
TEST(ParamReader, LayerCountMismatchNamesFileAndLine)
{
    const std::string e = error_of("7767517\n2 1\nInput in 0 1 data\n");
    EXPECT_TRUE(contains(e, "2 layers")) << e;
    EXPECT_TRUE(contains(e, "m.param:2")) << "header count errors must name file:line; got: " << e;
}

TEST(ParamReader, BlobCountMismatchNamesFileAndLine)
{
    const std::string e = error_of("7767517\n1 3\nInput in 0 1 data\n");
    EXPECT_TRUE(contains(e, "3 blobs")) << e;
    EXPECT_TRUE(contains(e, "m.param:2")) << "header count errors must name file:line; got: " << e;
}

TEST(ParamReader, BlobCountFollowsNcnnLoader)
{
    // A bottom seen before any top counts once; every top counts.
    const ParamFile f = must_read("7767517\n2 3\nInput in 0 1 a\nConcat cat 2 1 a b c\n");
    EXPECT_EQ(f.declared_layer_count, 2);
    EXPECT_EQ(f.declared_blob_count, 3);
    ASSERT_EQ(f.layers.size(), 2u);
}

// --- layer lines -----------------------------------------------------------

TEST(ParamReader, LayerLineParts)
{
    const ParamFile f = must_read("7767517\n2 2\nInput          in   0 1 data 0=224 1=224 2=3\n"
                                  "Convolution    conv 1 1 data out 0=8 1=3\n");
    ASSERT_EQ(f.layers.size(), 2u);
    const LayerDecl& in = f.layers[0];
    EXPECT_EQ(in.line, 3);
    EXPECT_EQ(in.type, "Input");
    EXPECT_EQ(in.name, "in");
    EXPECT_TRUE(in.bottoms.empty());
    ASSERT_EQ(in.tops.size(), 1u);
    EXPECT_EQ(in.tops[0], "data");
    ASSERT_EQ(in.params.size(), 3u);
    EXPECT_EQ(in.params[0].first, 0);
    EXPECT_EQ(in.params[0].second.kind, ValueKind::Int);
    EXPECT_EQ(in.params[0].second.as_int(), 224);
    EXPECT_EQ(in.params[2].first, 2);
    EXPECT_EQ(in.params[2].second.as_int(), 3);
    EXPECT_EQ(in.params_text, "0=224 1=224 2=3");
    const LayerDecl& conv = f.layers[1];
    EXPECT_EQ(conv.line, 4);
    ASSERT_EQ(conv.bottoms.size(), 1u);
    EXPECT_EQ(conv.bottoms[0], "data");
    EXPECT_EQ(conv.tops[0], "out");
    ASSERT_NE(conv.find(1), nullptr);
    EXPECT_EQ(conv.find(1)->as_int(), 3);
    EXPECT_EQ(conv.find(5), nullptr);
}

TEST(ParamReader, LayerLineErrors)
{
    std::string e = error_of(one_layer("Input"));
    EXPECT_TRUE(contains(e, "m.param:3")) << e;
    e = error_of(one_layer("Input in 0 x data"));
    EXPECT_TRUE(contains(e, "m.param:3")) << e;
    e = error_of(one_layer("Input in 0 2 data"));
    EXPECT_TRUE(contains(e, "names only 1")) << e;
    e = error_of(one_layer("Input in 0 2 data 0=1"));
    EXPECT_TRUE(contains(e, "looks like a param")) << e;
    e = error_of(one_layer("Input in -1 1 data"));
    EXPECT_TRUE(contains(e, "m.param:3")) << e;
    e = error_of(one_layer("Input in 0 1 data 0"));
    EXPECT_TRUE(contains(e, "id=value")) << e;
    e = error_of(one_layer("Input in 0 1 data x=1"));
    EXPECT_TRUE(contains(e, "not an integer")) << e;
    e = error_of(one_layer("Input in 0 1 data 0=1x"));
    EXPECT_TRUE(contains(e, "m.param:3")) << e;
    e = error_of(one_layer("Input in 0 1 data 0="));
    EXPECT_TRUE(contains(e, "missing value")) << e;
}

TEST(ParamReader, IntFloatAndStringValues)
{
    const ParamFile f = must_read(one_layer("Custom c 0 1 out 0=-7 1=2.5 2=\"hello big world\" 3=abc,def 4=+3 5=1e2 6=\"\""));
    const LayerDecl& l = f.layers[0];
    ASSERT_EQ(l.params.size(), 7u);
    EXPECT_EQ(l.find(0)->kind, ValueKind::Int);
    EXPECT_EQ(l.find(0)->as_int(), -7);
    EXPECT_EQ(l.find(1)->kind, ValueKind::Float);
    EXPECT_EQ(l.find(1)->as_float(), 2.5f);
    EXPECT_EQ(l.find(2)->kind, ValueKind::String);
    EXPECT_EQ(l.find(2)->text, "hello big world");
    EXPECT_EQ(l.find(3)->kind, ValueKind::String);
    EXPECT_EQ(l.find(3)->text, "abc,def"); // unquoted strings run to whitespace, commas included
    EXPECT_EQ(l.find(4)->as_int(), 3);
    EXPECT_EQ(l.find(5)->kind, ValueKind::Float);
    EXPECT_EQ(l.find(5)->as_float(), 100.f);
    EXPECT_EQ(l.find(6)->kind, ValueKind::String);
    EXPECT_EQ(l.find(6)->text, "");
}

TEST(ParamReader, UnterminatedStringIsAnError)
{
    EXPECT_TRUE(contains(error_of(one_layer("Custom c 0 1 out 2=\"abc def")), "closing quote"));
    EXPECT_TRUE(contains(error_of(one_layer("Custom c 0 1 out 2=" + std::string(256, 'a'))), "255"));
}

TEST(ParamReader, OldStyleArray)
{
    const ParamFile f = must_read(one_layer("Custom c 0 1 out -23301=3,1,2,3 -23302=0 -23303=2,1.5,-2"));
    const LayerDecl& l = f.layers[0];
    const ParamValue* a = l.find(1);
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->kind, ValueKind::IntArray);
    ASSERT_EQ(a->items.size(), 3u);
    EXPECT_EQ(a->item_int(0), 1);
    EXPECT_EQ(a->item_int(2), 3);
    const ParamValue* empty = l.find(2);
    ASSERT_NE(empty, nullptr);
    EXPECT_TRUE(is_array(empty->kind));
    EXPECT_TRUE(empty->items.empty());
    const ParamValue* mixed = l.find(3);
    ASSERT_NE(mixed, nullptr);
    ASSERT_EQ(mixed->items.size(), 2u);
    EXPECT_EQ(mixed->item_float(0), 1.5f);
    EXPECT_EQ(mixed->item_int(1), -2);
}

TEST(ParamReader, OldStyleArrayCountErrors)
{
    EXPECT_TRUE(contains(error_of(one_layer("Custom c 0 1 out -23301=3,1,2")), "declares 3"));
    EXPECT_TRUE(contains(error_of(one_layer("Custom c 0 1 out -23301=2,1,2,3")), "more values"));
    EXPECT_TRUE(contains(error_of(one_layer("Custom c 0 1 out -23301=-1")), "non-negative"));
    EXPECT_TRUE(contains(error_of(one_layer("Custom c 0 1 out -23301=x,1")), "non-negative"));
}

TEST(ParamReader, NewStyleArray)
{
    const ParamFile f = must_read(one_layer("Custom c 0 1 out 1=1,2,3 2=4.5,6"));
    const ParamValue* a = f.layers[0].find(1);
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->kind, ValueKind::IntArray);
    ASSERT_EQ(a->items.size(), 3u);
    EXPECT_EQ(a->item_int(1), 2);
    const ParamValue* b = f.layers[0].find(2);
    ASSERT_EQ(b->items.size(), 2u);
    EXPECT_EQ(b->item_float(0), 4.5f);
    EXPECT_EQ(b->item_int(1), 6);
}

TEST(ParamReader, MixedArrayKindIsTheLastElements)
{
    // Each element keeps its own bits; the array's kind is the last element's (ncnn).
    const ParamFile f = must_read(one_layer("Custom c 0 1 out 1=1,2.5,3 2=1,2,3.5 -23303=2,0.5,7"));
    const ParamValue* a = f.layers[0].find(1);
    EXPECT_EQ(a->kind, ValueKind::IntArray);
    EXPECT_EQ(a->item_int(0), 1);
    EXPECT_EQ(a->items[1], bits(2.5f));
    EXPECT_EQ(a->item_int(2), 3);
    const ParamValue* b = f.layers[0].find(2);
    EXPECT_EQ(b->kind, ValueKind::FloatArray);
    EXPECT_EQ(b->item_int(0), 1);
    EXPECT_EQ(b->item_float(2), 3.5f);
    const ParamValue* c = f.layers[0].find(3);
    EXPECT_EQ(c->kind, ValueKind::IntArray);
    EXPECT_EQ(c->item_float(0), 0.5f);
}

TEST(ParamReader, ValuesLongerThan15CharsAreRejected)
{
    EXPECT_FALSE(contains(error_of(one_layer("Custom c 0 1 out 0=123456789012345")), "15 characters")); // 15 digits: length ok, but not an int32
    must_read(one_layer("Custom c 0 1 out 0=0.1234567890123"));                                         // 15 chars
    std::string e = error_of(one_layer("Custom c 0 1 out 0=0.12345678901234"));                         // 16
    EXPECT_TRUE(contains(e, "15")) << e;
    EXPECT_TRUE(contains(e, "m.param:3")) << e;
    e = error_of(one_layer("Custom c 0 1 out 1=1,0.12345678901234"));
    EXPECT_TRUE(contains(e, "15")) << e;
    e = error_of(one_layer("Custom c 0 1 out -23301=1,0.12345678901234"));
    EXPECT_TRUE(contains(e, "15")) << e;
}

TEST(ParamReader, IntOutsideInt32IsAnError)
{
    EXPECT_FALSE(read(one_layer("Custom c 0 1 out 0=2147483648")).is_ok());
    EXPECT_TRUE(read(one_layer("Custom c 0 1 out 0=-2147483648")).is_ok());
    EXPECT_TRUE(read(one_layer("Custom c 0 1 out 0=2147483647")).is_ok());
}

TEST(ParamReader, IdOutOfRange)
{
    EXPECT_TRUE(contains(error_of(one_layer("Custom c 0 1 out 32=1")), "out of range"));
    EXPECT_TRUE(contains(error_of(one_layer("Custom c 0 1 out -1=1")), "out of range"));
    EXPECT_TRUE(contains(error_of(one_layer("Custom c 0 1 out -23332=1,1")), "out of range"));
    const ParamFile f = must_read(one_layer("Custom c 0 1 out 0=1 -23329=1,1 31=0"));
    EXPECT_NE(f.layers[0].find(29), nullptr);
    EXPECT_NE(f.layers[0].find(31), nullptr);
}

TEST(ParamReader, DuplicateIds)
{
    EXPECT_TRUE(contains(error_of(one_layer("Custom c 0 1 out 0=1 0=2")), "twice"));
    EXPECT_TRUE(contains(error_of(one_layer("Custom c 0 1 out 1=1 -23301=1,2")), "twice"));
    const std::string e = error_of(one_layer("Custom c 0 1 out 5=1 5=1"));
    EXPECT_TRUE(contains(e, "m.param:3")) << e;
}

// --- ncnn's float parsing ----------------------------------------------------

float parsed(const std::string& s)
{
    float f = -12345.f;
    EXPECT_TRUE(parse_ncnn_float(s, &f)) << s;
    return f;
}

TEST(NcnnFloat, CommonForms)
{
    EXPECT_EQ(bits(parsed("0.1")), bits(static_cast<float>(0.0 + 1 / 10.0)));
    EXPECT_EQ(bits(parsed("0.1")), bits(0.1f));
    EXPECT_EQ(bits(parsed("1e-3")), bits(static_cast<float>(1.0 / 1000.0)));
    EXPECT_EQ(bits(parsed("-2.5E+2")), bits(-250.f));
    EXPECT_EQ(bits(parsed("+1.5")), bits(1.5f));
    EXPECT_EQ(bits(parsed(".5")), bits(0.5f));
    EXPECT_EQ(bits(parsed("5.")), bits(5.f));
    EXPECT_EQ(bits(parsed("1.5e10")), bits(static_cast<float>(1.5 * (1e8 * 10.0 * 10.0))));
    EXPECT_EQ(bits(parsed("-0.0")), bits(-0.f));
    EXPECT_EQ(bits(parsed("3.0e-45")), bits(static_cast<float>(3.0 / (1e8 * 1e8 * 1e8 * 1e8 * 1e8 * 10 * 10 * 10 * 10 * 10))));
}

TEST(NcnnFloat, FractionDigitsWrapAt32Bits)
{
    // "0.12345678901": v2 = 12345678901 mod 2^32 = 3755744309,
    // pow10 = 10^11 mod 2^32 = 1215752192, v = 0 + v2 / (double)pow10.
    EXPECT_EQ(bits(parsed("0.12345678901")), bits(static_cast<float>(3755744309.0 / 1215752192.0)));
    EXPECT_NEAR(parsed("0.12345678901"), 3.0892350673675537f, 1e-6f);
    // Integer part wraps too: 123456789012 mod 2^32 = 3197704724.
    EXPECT_EQ(bits(parsed("123456789012.5")), bits(static_cast<float>(3197704724.0 + 5 / 10.0)));
    // 10 fraction digits: pow10 = 10^10 mod 2^32 = 1410065408, v2 = 1234567890 (fits).
    EXPECT_EQ(bits(parsed("0.1234567890")), bits(static_cast<float>(1234567890.0 / 1410065408.0)));
    // Through the .param reader as well.
    const ParamFile f = must_read(one_layer("Custom c 0 1 out 0=0.12345678901"));
    EXPECT_EQ(f.layers[0].find(0)->bits, bits(static_cast<float>(3755744309.0 / 1215752192.0)));
}

TEST(NcnnFloat, Rejects)
{
    float f = 0;
    EXPECT_FALSE(parse_ncnn_float("1.2.3", &f));
    EXPECT_FALSE(parse_ncnn_float("e5", &f));
    EXPECT_FALSE(parse_ncnn_float(".", &f));
    EXPECT_FALSE(parse_ncnn_float("1.5x", &f));
    EXPECT_FALSE(parse_ncnn_float("", &f));
}

TEST(NcnnInt, ParseAndLooksLikeFloat)
{
    int32_t v = 0;
    EXPECT_TRUE(parse_ncnn_int("-23330", &v));
    EXPECT_EQ(v, -23330);
    EXPECT_FALSE(parse_ncnn_int("1.0", &v));
    EXPECT_FALSE(parse_ncnn_int("", &v));
    EXPECT_FALSE(parse_ncnn_int("-", &v));
    EXPECT_TRUE(looks_like_float("1e5"));
    EXPECT_TRUE(looks_like_float("1E5"));
    EXPECT_TRUE(looks_like_float("1."));
    EXPECT_FALSE(looks_like_float("15"));
    std::string s;
    append_float(s, 0.5f);
    EXPECT_EQ(s, "5.000000e-01");
    s.clear();
    append_int(s, -3);
    EXPECT_EQ(s, "-3");
}

// --- shape hints and feature mask -----------------------------------------------

BlobShape shape_of(const std::string& hint, int tops = 1)
{
    std::string line = "Input in 0 " + std::to_string(tops);
    for (int i = 0; i < tops; i++) line += " t" + std::to_string(i);
    const ParamFile f = must_read(one_layer(line + " " + hint, tops));
    if (f.layers.empty() || f.layers[0].top_shapes.empty()) return BlobShape{};
    return f.layers[0].top_shapes[0];
}

void expect_shape(const BlobShape& s, int dims, int w, int h, int d, int c)
{
    EXPECT_EQ(s.dims, dims);
    EXPECT_EQ(s.w, w);
    EXPECT_EQ(s.h, h);
    EXPECT_EQ(s.d, d);
    EXPECT_EQ(s.c, c);
}

TEST(ShapeHints, FourIntForm)
{
    expect_shape(shape_of("-23330=4,1,7,0,0"), 1, 7, 1, 1, 1);
    expect_shape(shape_of("-23330=4,2,7,8,0"), 2, 7, 8, 1, 1);
    expect_shape(shape_of("-23330=4,3,10,20,3"), 3, 10, 20, 1, 3);
}

TEST(ShapeHints, FiveIntForm)
{
    expect_shape(shape_of("-23330=5,1,7,0,0,0"), 1, 7, 1, 1, 1);
    expect_shape(shape_of("-23330=5,2,7,8,0,0"), 2, 7, 8, 1, 1);
    expect_shape(shape_of("-23330=5,3,7,8,1,9"), 3, 7, 8, 1, 9);
    expect_shape(shape_of("-23330=5,4,10,20,5,3"), 4, 10, 20, 5, 3);
}

TEST(ShapeHints, PerTopStep)
{
    const ParamFile f = must_read(one_layer("Split s 0 2 a b -23330=10,3,4,5,1,6,1,9,1,1,1", 2));
    ASSERT_EQ(f.layers[0].top_shapes.size(), 2u);
    expect_shape(f.layers[0].top_shapes[0], 3, 4, 5, 1, 6);
    expect_shape(f.layers[0].top_shapes[1], 1, 9, 1, 1, 1);
    // 4-int form for two tops
    const ParamFile g = must_read(one_layer("Split s 0 2 a b -23330=8,2,3,4,0,0,0,0,0", 2));
    expect_shape(g.layers[0].top_shapes[0], 2, 3, 4, 1, 1);
    EXPECT_EQ(g.layers[0].top_shapes[1].dims, 0); // dims 0: unknown
}

TEST(ShapeHints, UnknownDimsLeaveShapeUnknown)
{
    EXPECT_EQ(shape_of("-23330=4,0,1,2,3").dims, 0);
    EXPECT_EQ(shape_of("-23330=5,7,1,2,3,4").dims, 0);
    // no hint: one unknown shape per top
    const ParamFile f = must_read(one_layer("Input in 0 1 t0"));
    ASSERT_EQ(f.layers[0].top_shapes.size(), 1u);
    EXPECT_EQ(f.layers[0].top_shapes[0].dims, 0);
}

TEST(ShapeHints, BadForms)
{
    std::string e = error_of(one_layer("Input in 0 1 t -23330=3,1,2,3"));
    EXPECT_TRUE(contains(e, "4 or 5")) << e;
    e = error_of(one_layer("Input in 0 1 t -23330=6,1,2,3,4,5,6"));
    EXPECT_TRUE(contains(e, "4 or 5")) << e;
    e = error_of(one_layer("Input in 0 1 t -23330=4,4,1,2,3"));
    EXPECT_TRUE(contains(e, "too short")) << e;
    e = error_of(one_layer("Input in 0 1 t 30=5"));
    EXPECT_TRUE(contains(e, "array")) << e;
    e = error_of("7767517\n1 1\nInput in 1 0 t -23330=4,1,1,1,1\n");
    EXPECT_TRUE(contains(e, "without outputs")) << e;
}

TEST(FeatureMask, Param31)
{
    Diagnostics diag;
    const Model m = test::must_build(one_layer("ReLU r 0 1 t 31=5"), &diag);
    ASSERT_EQ(m.layers.size(), 1u);
    EXPECT_EQ(m.layers[0].feature_mask, 5);
    // given as a float: error from build_model
    Result<ParamFile> f = read(one_layer("ReLU r 0 1 t 31=1.5"));
    ASSERT_TRUE(f.is_ok());
    Diagnostics d2;
    Result<Model> bad = build_model(std::move(f).value(), d2);
    ASSERT_FALSE(bad.is_ok());
    EXPECT_TRUE(contains(bad.status().message(), "feature mask")) << bad.status().message();
}

// --- line ends, whitespace, encodings ----------------------------------------------------

TEST(ParamReader, CrlfTrailingSpacesAndNoFinalNewline)
{
    const ParamFile a = must_read("7767517\r\n2 2\r\nInput in 0 1 data 0=4   \r\nReLU r 1 1 data out 0=0.5\t \r\n");
    ASSERT_EQ(a.layers.size(), 2u);
    EXPECT_EQ(a.layers[0].find(0)->as_int(), 4);
    EXPECT_EQ(a.layers[0].params_text, "0=4");
    EXPECT_EQ(a.layers[1].tops[0], "out");
    EXPECT_EQ(a.layers[1].find(0)->as_float(), 0.5f);
    EXPECT_EQ(a.layers[1].line, 4);
    const ParamFile b = must_read("7767517\n1 1\nInput in 0 1 data 0=4");
    ASSERT_EQ(b.layers.size(), 1u);
    EXPECT_EQ(b.layers[0].find(0)->as_int(), 4);
    // blank lines are skipped but counted for line numbers
    const ParamFile c = must_read("7767517\n1 1\n\n\nInput in 0 1 data\n\n");
    ASSERT_EQ(c.layers.size(), 1u);
    EXPECT_EQ(c.layers[0].line, 5);
}

TEST(ParamReader, Utf8Names)
{
    const ParamFile f = must_read("7767517\n2 2\nInput 输入层 0 1 数据\nReLU relu_é 1 1 数据 sortie_ü\n");
    ASSERT_EQ(f.layers.size(), 2u);
    EXPECT_EQ(f.layers[0].name, "输入层");
    EXPECT_EQ(f.layers[1].bottoms[0], "数据");
    EXPECT_EQ(f.layers[1].tops[0], "sortie_ü");
}

TEST(ParamReader, ErrorsNameTheLine)
{
    const std::string e = error_of("7767517\n3 3\nInput in 0 1 a\nReLU r 1 1 a b\nReLU r2 1 1 b c 0=1,zz\n");
    EXPECT_TRUE(contains(e, "m.param:5")) << e;
}

} // namespace
} // namespace ncnn_int8
