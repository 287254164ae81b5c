// Status: codes, locations and the one message format.
#include <gtest/gtest.h>

#include <string>

#include "core/status.h"
#include "model/model.h"
#include "model/param_file.h"
#include "test_util.h"

namespace ncnn_int8 {
namespace {

TEST(Status, CodeNames)
{
    EXPECT_STREQ(error_code_name(ErrorCode::Input), "input");
    EXPECT_STREQ(error_code_name(ErrorCode::Io), "io");
    EXPECT_STREQ(error_code_name(ErrorCode::Cancelled), "cancelled");
    EXPECT_STREQ(error_code_name(ErrorCode::OutOfMemory), "out_of_memory");
    EXPECT_STREQ(error_code_name(ErrorCode::Unsupported), "unsupported");
}

TEST(Status, MessageLeavesOutEmptyParts)
{
    EXPECT_EQ(Status::error(ErrorCode::Input, {"m.param", 12, "Convolution 'conv1'"}, "bad").message(),
              "m.param:12: Convolution 'conv1': bad");
    EXPECT_EQ(Status::error(ErrorCode::Input, {"m.param", 12, ""}, "bad").message(), "m.param:12: bad");
    EXPECT_EQ(Status::error(ErrorCode::Io, {"m.bin"}, "cannot open").message(), "m.bin: cannot open");
    EXPECT_EQ(Status::error(ErrorCode::Input, {"", 0, "ReLU 'r'"}, "bad").message(), "ReLU 'r': bad");
    EXPECT_EQ(Status::error(ErrorCode::Cancelled, {}, "cancelled").message(), "cancelled");
    // a line without a file says nothing on its own
    EXPECT_EQ(Status::error(ErrorCode::Input, {"", 7, ""}, "bad").message(), "bad");
}

TEST(Status, KeepsCodeLocationAndReason)
{
    const Status s = Status::error(ErrorCode::Unsupported, {"t.table", 3, "Gemm 'g'"}, "too many values");
    EXPECT_FALSE(s.is_ok());
    EXPECT_EQ(s.code(), ErrorCode::Unsupported);
    EXPECT_EQ(s.location().file, "t.table");
    EXPECT_EQ(s.location().line, 3);
    EXPECT_EQ(s.location().layer, "Gemm 'g'");
    EXPECT_EQ(s.reason(), "too many values");

    const Status longer = s.with_suffix("; note: more");
    EXPECT_EQ(longer.code(), ErrorCode::Unsupported);
    EXPECT_EQ(longer.location().line, 3);
    EXPECT_EQ(longer.reason(), "too many values; note: more");
    EXPECT_EQ(longer.message(), "t.table:3: Gemm 'g': too many values; note: more");

    EXPECT_TRUE(Status::ok().is_ok());
    EXPECT_EQ(Status::ok().message(), "");
    EXPECT_TRUE(Status::ok().with_suffix("x").is_ok());
}

TEST(Status, ResultAndMacrosCarryTheStatus)
{
    auto fails = []() -> Result<int> { return Status::error(ErrorCode::Io, {"x"}, "read failed"); };
    auto caller = [&]() -> Status {
        ASSIGN_OR_RETURN(int v, fails());
        (void)v;
        return Status::ok();
    };
    const Status s = caller();
    EXPECT_EQ(s.code(), ErrorCode::Io);
    EXPECT_EQ(s.message(), "x: read failed");
}

TEST(Status, ModelErrorsNameFileLineAndLayer)
{
    Result<ParamFile> file = read_param_text("7767517\n2 2\nInput data 0 1 data\nReLU relu1 1 1 data out 0=1e39\n", "m.param");
    ASSERT_TRUE(file.is_ok()) << file.status().message();
    Diagnostics diagnostics;
    Result<Model> model = build_model(std::move(file).value(), diagnostics);
    ASSERT_FALSE(model.is_ok());
    const Status s = model.status();
    EXPECT_EQ(s.code(), ErrorCode::Input);
    EXPECT_EQ(s.location().file, "m.param");
    EXPECT_EQ(s.location().line, 4);
    EXPECT_EQ(s.location().layer, "ReLU 'relu1'");
    EXPECT_EQ(s.message(), "m.param:4: ReLU 'relu1': " + s.reason());
}

TEST(Status, ParamLineErrorsNameFileAndLine)
{
    Result<ParamFile> file = read_param_text("7767517\n1 1\nInput data 0 1 data 0=1 0=2\n", "m.param");
    ASSERT_FALSE(file.is_ok());
    EXPECT_EQ(file.status().code(), ErrorCode::Input);
    EXPECT_EQ(file.status().location().file, "m.param");
    EXPECT_EQ(file.status().location().line, 3);
    EXPECT_EQ(file.status().message(), "m.param:3: " + file.status().reason());
}

} // namespace
} // namespace ncnn_int8
