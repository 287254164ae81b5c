// ncnn2table's key=value options, its decimal reader, list files and .npy.
#include <gtest/gtest.h>

#include <cstring>

#include "calib/calib_options.h"
#include "calib/list_file.h"
#include "calib/npy_reader.h"
#include "test_util.h"

namespace ncnn_int8 {
namespace {

using test::contains;

CalibOptions parse_ok(const std::vector<std::string>& args)
{
    auto r = parse_calib_options(args);
    EXPECT_TRUE(r.is_ok()) << r.status().message();
    return r.is_ok() ? r.value() : CalibOptions{};
}

std::string parse_error(const std::vector<std::string>& args)
{
    auto r = parse_calib_options(args);
    EXPECT_FALSE(r.is_ok());
    return r.is_ok() ? "" : r.status().message();
}

TEST(CalibOptions, ReferenceArgumentsOfTheCorpus)
{
    CalibOptions o = parse_ok({"mean=[123.675,116.28,103.53]", "norm=[0.01712475,0.017507,0.01742919]", "shape=[224,224,3]", "pixel=RGB",
                               "type=0", "thread=1", "method=aciq"});
    ASSERT_EQ(o.means.size(), 1u);
    EXPECT_EQ(o.means[0], (std::vector<float>{123.675f, 116.28f, 103.53f}));
    EXPECT_EQ(o.norms[0][0], 0.01712475f);
    EXPECT_EQ(o.shapes[0], (std::vector<int>{224, 224, 3}));
    EXPECT_EQ(o.pixels[0], PixelOrder::Rgb);
    EXPECT_EQ(o.threads, 1);
    EXPECT_EQ(o.method, CalibMethod::Aciq);
    EXPECT_TRUE(check_calib_options(o, 1, true).is_ok());

    CalibOptions two = parse_ok({"shape=[96,16],[96,16]", "type=1"});
    ASSERT_EQ(two.shapes.size(), 2u);
    EXPECT_EQ(two.shapes[1], (std::vector<int>{96, 16}));
    EXPECT_TRUE(check_calib_options(two, 2, true).is_ok());
    EXPECT_FALSE(check_calib_options(two, 1, true).is_ok());

    CalibOptions bare = parse_ok({"mean=104,117,123", "shape=227,0,3"});
    EXPECT_EQ(bare.means[0], (std::vector<float>{104, 117, 123}));
    EXPECT_EQ(bare.shapes[0], (std::vector<int>{227, 0, 3}));
}

TEST(CalibOptions, DecimalReaderSumsInDouble)
{
    // integer part + fraction / 10^digits in double, then float: the same
    // float as the correctly rounded value for these
    for (const char* s : {"0.01712475", "123.675", "-0.5", "+2", "1e3", "2.5E-2", "0.017507"}) {
        auto r = parse_reference_decimal(s, "x");
        ASSERT_TRUE(r.is_ok()) << s;
        EXPECT_EQ(r.value(), std::strtof(s, nullptr)) << s;
    }
    // 17 fraction digits: v2 / 1e17 in double
    auto r = parse_reference_decimal("0.10000000000000001", "x");
    ASSERT_TRUE(r.is_ok());
    EXPECT_EQ(r.value(), 0.1f);
    // a huge exponent ends at once (the reference loops once per 8 of it)
    EXPECT_FALSE(parse_reference_decimal("1E4752475271", "x").is_ok());
    EXPECT_EQ(parse_reference_decimal("1e-4752475271", "x").value(), 0.f);
    for (const char* bad : {"", "-", ".", "1..2", "abc", "1e", "1.5x", " 1", "12345678901234567890"})
        EXPECT_FALSE(parse_reference_decimal(bad, "x").is_ok()) << bad;
}

TEST(CalibOptions, BadOptionsNameTheProblem)
{
    EXPECT_TRUE(contains(parse_error({"mena=[1]"}), "unknown option 'mena'"));
    EXPECT_TRUE(contains(parse_error({"shape"}), "not key=value"));
    EXPECT_TRUE(contains(parse_error({"method=ql"}), "unknown method 'ql'"));
    EXPECT_TRUE(contains(parse_error({"pixel=RGBX"}), "unknown pixel order 'RGBX'"));
    EXPECT_TRUE(contains(parse_error({"pixel=RAW"}), "RAW is not supported"));
    EXPECT_TRUE(contains(parse_error({"thread=-1"}), "option thread"));
    EXPECT_TRUE(contains(parse_error({"thread=2x"}), "not an integer"));
    EXPECT_TRUE(contains(parse_error({"type=2"}), "option type"));
    EXPECT_TRUE(contains(parse_error({"shape=[224,224"}), "missing ']'"));
    EXPECT_TRUE(contains(parse_error({"shape=[224,,3]"}), "empty value"));
    EXPECT_TRUE(contains(parse_error({"shape=[1.5,2]"}), "not an integer"));
    EXPECT_TRUE(contains(parse_error({"mean=[1,2][3]"}), "separated by ','"));
    EXPECT_TRUE(contains(parse_error({"mean=[1]", "mean=[2]"}), "given twice"));
    EXPECT_TRUE(contains(parse_error({"precision=high"}), "option precision"));
}

TEST(CalibOptions, ChecksAgainstTheModelInputs)
{
    auto check = [](const std::vector<std::string>& args, size_t inputs) {
        auto o = parse_calib_options(args);
        EXPECT_TRUE(o.is_ok()) << o.status().message();
        Status s = check_calib_options(o.value(), inputs, true);
        return s.is_ok() ? std::string() : s.message();
    };
    const std::vector<std::string> good = {"mean=[1,2,3]", "norm=[1,1,1]", "shape=[8,8]", "pixel=BGR"};
    EXPECT_EQ(check(good, 1), "");
    EXPECT_TRUE(contains(check({"mean=[1,2,3]", "norm=[1,0,1]", "shape=[8,8]", "pixel=BGR"}, 1), "channel 1 is 0"));
    EXPECT_TRUE(contains(check({"mean=[1,2]", "norm=[1,1,1]", "shape=[8,8]", "pixel=BGR"}, 1), "option mean: input 0 has 2 values"));
    EXPECT_TRUE(contains(check({"mean=[1]", "norm=[1]", "shape=[8,8,3]", "pixel=GRAY"}, 1), "c=3 but pixel=GRAY gives 1"));
    EXPECT_TRUE(contains(check({"mean=[1,2,3]", "norm=[1,1,1]", "pixel=BGR"}, 1), "option shape is missing"));
    EXPECT_TRUE(contains(check({"norm=[1,1,1]", "shape=[8,8]", "pixel=BGR"}, 1), "option mean is missing"));
    EXPECT_TRUE(contains(check(good, 2), "2 Input layers, got 1 array"));
    EXPECT_TRUE(contains(check({"mean=[1,2,3]", "norm=[1,1,1]", "shape=[8]", "pixel=BGR"}, 1), "an image shape is [w,h]"));
    EXPECT_TRUE(contains(check({"shape=[8,0]", "type=1"}, 1), "npy sizes must be positive"));
    EXPECT_TRUE(contains(check({"shape=[1,2,3,4,5]", "type=1"}, 1), "1 to 4 values"));
    // without lists nothing is required
    EXPECT_TRUE(check_calib_options(CalibOptions{}, 3, false).is_ok());
}

TEST(CalibLists, FirstTokenPerLineBlankLinesSkipped)
{
    auto r = parse_list_text("a.png\n\n  b.png trailing words\r\n\tc.npy", "list.txt");
    ASSERT_TRUE(r.is_ok());
    EXPECT_EQ(r.value(), (std::vector<std::string>{"a.png", "b.png", "c.npy"}));
    EXPECT_TRUE(contains(parse_list_text("\n \n", "l.txt").status().message(), "l.txt: the list names no input file"));
    EXPECT_TRUE(contains(parse_list_text("ok\n" + std::string(256, 'x') + "\n", "l.txt").status().message(), "l.txt:2: path longer than 255"));
    EXPECT_EQ(split_list_argument("a.txt,b.txt"), (std::vector<std::string>{"a.txt", "b.txt"}));
    EXPECT_EQ(split_list_argument(",a.txt,,"), (std::vector<std::string>{"a.txt"}));
}

std::vector<uint8_t> npy(const std::string& dict, size_t floats, int version = 1, size_t extra_bytes = 0)
{
    std::string header = dict;
    const size_t prefix = version == 1 ? 10 : 12;
    while ((prefix + header.size() + 1) % 16) header += ' ';
    header += '\n';
    std::vector<uint8_t> b = {0x93, 'N', 'U', 'M', 'P', 'Y', static_cast<uint8_t>(version), 0};
    const size_t n = header.size();
    b.push_back(n & 0xff);
    b.push_back((n >> 8) & 0xff);
    if (version == 2) {
        b.push_back(0);
        b.push_back(0);
    }
    b.insert(b.end(), header.begin(), header.end());
    for (size_t i = 0; i < floats; i++) {
        const float f = static_cast<float>(i) * 0.5f;
        uint8_t raw[4];
        std::memcpy(raw, &f, 4);
        b.insert(b.end(), raw, raw + 4);
    }
    b.resize(b.size() + extra_bytes, 0);
    return b;
}

std::string npy_error(const std::vector<uint8_t>& b)
{
    auto r = parse_npy(b.data(), b.size(), "x.npy");
    EXPECT_FALSE(r.is_ok());
    return r.is_ok() ? "" : r.status().message();
}

TEST(CalibNpy, ReadsFloat32AndChecksTheShapeReversed)
{
    for (int version : {1, 2}) {
        const auto b = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", 6, version);
        auto r = parse_npy(b.data(), b.size(), "x.npy");
        ASSERT_TRUE(r.is_ok()) << r.status().message();
        EXPECT_EQ(r.value().shape, (std::vector<uint64_t>{2, 3}));
        EXPECT_EQ(r.value().data[5], 2.5f);
        EXPECT_TRUE(check_npy_shape(r.value(), {3, 2}, "x.npy").is_ok());
        EXPECT_TRUE(contains(check_npy_shape(r.value(), {2, 3}, "x.npy").message(), "npy shape (2, 3) does not match shape=[2,3]"));
        EXPECT_FALSE(check_npy_shape(r.value(), {6}, "x.npy").is_ok());
    }
    const auto one = npy("{'descr': '<f4', 'fortran_order': True, 'shape': (1760,), }", 1760);
    auto r = parse_npy(one.data(), one.size(), "x.npy");
    ASSERT_TRUE(r.is_ok()) << r.status().message(); // Fortran order of one axis is C order
    EXPECT_TRUE(check_npy_shape(r.value(), {1760}, "x.npy").is_ok());
}

TEST(CalibNpy, BadFilesAreRefusedWithTheReason)
{
    EXPECT_TRUE(contains(npy_error({'P', 'K', 3, 4, 0, 0, 0, 0, 0, 0, 0}), "no \\x93NUMPY magic"));
    EXPECT_TRUE(contains(npy_error(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", 4)), "dtype '<f8' is not float32"));
    EXPECT_TRUE(contains(npy_error(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", 3)), "truncated .npy data"));
    EXPECT_TRUE(contains(npy_error(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", 4, 1, 4)), "bytes after the .npy data"));
    EXPECT_TRUE(contains(npy_error(npy("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", 6)), "Fortran-order"));
    EXPECT_TRUE(contains(npy_error(npy("{'descr': '<f4', 'fortran_order': Maybe, 'shape': (2,), }", 2)), "fortran_order"));
    EXPECT_TRUE(contains(npy_error(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (a,), }", 2)), "shape holds"));
    EXPECT_TRUE(contains(npy_error(npy("{'descr': '<f4', 'fortran_order': False}", 0)), "lacks"));
    EXPECT_TRUE(contains(npy_error(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999, 99999999, 99999999), }", 0)), "too large"));
    auto b = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", 2);
    b[6] = 3;
    EXPECT_TRUE(contains(npy_error(b), "version 3.0"));
    b = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", 2);
    b.resize(20);
    EXPECT_TRUE(contains(npy_error(b), "truncated .npy header"));
}

} // namespace
} // namespace ncnn_int8
