// float32 .npy files as ncnn2table reads them: format 1.0 or 2.0, dtype
// '<f4', C order; the shape reversed must equal the shape option
// (npy (c,h,w) <-> shape=[w,h,c]). Short data, other dtypes, Fortran order
// with more than one non-trivial axis and trailing bytes are errors.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace ncnn_int8 {

struct NpyArray {
    std::vector<uint64_t> shape; // as written in the header, outermost first
    std::vector<float> data;
};

// Refuses headers over 64 KiB and arrays over `max_elements`.
Result<NpyArray> parse_npy(const uint8_t* bytes, size_t size, const std::string& name, uint64_t max_elements = uint64_t(1) << 30);

// The reference's check: as many dims as `expected` ([w,h,...]) and
// expected[i] == shape[dims - 1 - i].
Status check_npy_shape(const NpyArray& array, const std::vector<int>& expected, const std::string& name);

} // namespace ncnn_int8
