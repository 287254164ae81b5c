// The JSON writer (core/json_writer.h) the report and the benchmark use.
#include <gtest/gtest.h>

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

} // namespace
} // namespace ncnn_int8
