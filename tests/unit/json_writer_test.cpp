// The JSON writer (core/json_writer.h) every report and the benchmark use.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "core/json_writer.h"

namespace ncnn_int8 {
namespace {

TEST(JsonWriter, CommasAndNesting)
{
    JsonWriter j;
    j.begin_object();
    j.string("a", "x").integer("b", -3).boolean("c", true);
    j.begin_array("d").number({}, 0.5).number({}, 2).begin_object().end_object().end_array();
    j.begin_object("e").end_object();
    j.begin_array("f").end_array();
    j.end_object();
    EXPECT_EQ(j.text(), R"({"a":"x","b":-3,"c":true,"d":[0.5,2,{}],"e":{},"f":[]})");
}

TEST(JsonWriter, EscapesStrings)
{
    std::string out;
    append_json_string(out, "q\"b\\n\n r\r t\t \x01 \x1f caf\xc3\xa9");
    EXPECT_EQ(out, "\"q\\\"b\\\\n\\n r\\r t\\t \\u0001 \\u001f caf\xc3\xa9\"");
}

TEST(JsonWriter, NumbersRoundTripAndNonFiniteIsZero)
{
    JsonWriter j;
    j.begin_array();
    j.number({}, 0.1).number({}, 1e300).number({}, std::numeric_limits<double>::infinity());
    j.number({}, std::numeric_limits<double>::quiet_NaN());
    j.end_array();
    EXPECT_EQ(j.text(), "[0.10000000000000001,1.0000000000000001e+300,0,0]");
}

TEST(JsonWriter, UnicodeEscapesForEveryControlCharacter)
{
    std::string out;
    append_json_string(out, "a\nb\tc\rd\x01\"\\", ControlEscapes::unicode);
    EXPECT_EQ(out, "\"a\\u000ab\\u0009c\\u000dd\\u0001\\\"\\\\\"");
    JsonWriter j(ControlEscapes::unicode);
    j.begin_object().string("k\n", "v\n").end_object();
    EXPECT_EQ(j.text(), "{\"k\\u000a\":\"v\\u000a\"}");
}

TEST(JsonWriter, SignificantDigitsAndNull)
{
    const double inf = std::numeric_limits<double>::infinity();
    JsonWriter j;
    j.begin_array();
    j.number({}, 1234567.0, 6).number({}, double(0.1f), 9).number({}, inf, 6);
    j.number_or_null({}, 2.0 / 3.0, 9).number_or_null({}, inf, 9).number_or_null({}, -inf).number_or_null({}, std::nan(""));
    j.end_array();
    EXPECT_EQ(j.text(), "[1.23457e+06,0.100000001,0,0.666666667,null,null,null]");
}

TEST(JsonWriter, LineBreakGoesAfterTheComma)
{
    JsonWriter j;
    j.begin_object().begin_array("a");
    j.line_break().begin_object().integer("x", 1).end_object();
    j.line_break().begin_object().end_object();
    j.end_array().line_break().boolean("b", false).end_object();
    EXPECT_EQ(j.text(), "{\"a\":[\n{\"x\":1},\n{}],\n\"b\":false}");
}

} // namespace
} // namespace ncnn_int8
