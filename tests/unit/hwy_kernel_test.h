// How the kernel tests register a per-target test function (a void() in the
// HWY_NAMESPACE of a foreach_target test file). Natively: Highway's
// HWY_EXPORT_AND_TEST_P, one test instance per compiled target this CPU
// supports. In the WASM build (one target, static dispatch, no libhwy): a
// plain test of that target.
#pragma once

#include <gtest/gtest.h>

#include "hwy/highway.h"

#ifdef NCNN_INT8_STATIC_DISPATCH
#define NI8_KERNEL_TEST_SUITE(suite) static_assert(true, "")
#define NI8_KERNEL_TEST(suite, func) \
    TEST(suite, func)                \
    {                                \
        HWY_STATIC_DISPATCH(func)    \
        ();                          \
    }                                \
    static_assert(true, "")
#else
#include "hwy/tests/hwy_gtest.h"
#define NI8_KERNEL_TEST_SUITE(suite) HWY_BEFORE_TEST(suite)
#define NI8_KERNEL_TEST(suite, func) HWY_EXPORT_AND_TEST_P(suite, func)
#endif
