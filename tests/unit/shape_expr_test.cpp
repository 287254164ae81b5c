// The list-expression evaluator Reshape's load_param runs (model/shape_expr.h).
#include <gtest/gtest.h>

#include "model/shape_expr.h"

namespace ncnn_int8 {
namespace {

TEST(ShapeExpr, EmptyIsAccepted)
{
    EXPECT_TRUE(shape_expr_loads(""));
}

TEST(ShapeExpr, WellFormedExpressions)
{
    EXPECT_TRUE(shape_expr_loads("0w,0h,0c"));
    EXPECT_TRUE(shape_expr_loads("*(0w,0h),-1"));
    EXPECT_TRUE(shape_expr_loads("//(0c,2),0n")); // 0 // 2
    EXPECT_TRUE(shape_expr_loads("+(1,2.5)"));    // int + float
    EXPECT_TRUE(shape_expr_loads("floor(sqrt(10))"));
    EXPECT_TRUE(shape_expr_loads("max(0w,min(3,4))"));
    EXPECT_TRUE(shape_expr_loads("and(lshift(1,40),7)")); // shift counts wrap as on x86
    EXPECT_TRUE(shape_expr_loads("neg(abs(-2147483648))"));
}

TEST(ShapeExpr, IntegerDivisionByZeroIsRefused)
{
    EXPECT_FALSE(shape_expr_loads("//(1,0w)")); // blob extents are 0 at load time
    EXPECT_FALSE(shape_expr_loads("//(0c,0)"));
    EXPECT_FALSE(shape_expr_loads("//(-2147483648,-1)")); // traps in C
    EXPECT_TRUE(shape_expr_loads("//(1.5,0)"));           // float division: inf, no trap
}

TEST(ShapeExpr, MalformedExpressionsAreRefused)
{
    EXPECT_FALSE(shape_expr_loads("abc"));  // not a literal, op or blob reference
    EXPECT_FALSE(shape_expr_loads("+(1)")); // stack underflow
    EXPECT_FALSE(shape_expr_loads("sqrt()"));
    EXPECT_FALSE(shape_expr_loads(",")); // no value at all
}

} // namespace
} // namespace ncnn_int8
