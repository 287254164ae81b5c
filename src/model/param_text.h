// Number text as ncnn reads and the reference writes it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ncnn_int8 {

// ncnn treats a value as a float when it contains '.', 'e' or 'E'.
bool looks_like_float(std::string_view token);

// Whole-token integer ([+-]digits, within int32). False on anything else.
bool parse_ncnn_int(std::string_view token, int32_t* out);

// Whole-token float with ncnn's own algorithm (vstr_to_float): digits
// accumulated in 32-bit unsigned ints and a double, then rounded to float.
// Reproducing it (not strtof) keeps the bits identical for every input.
bool parse_ncnn_float(std::string_view token, float* out);

// printf("%d") and printf("%e"), as the reference writer prints values.
void append_int(std::string& out, int32_t v);
void append_float(std::string& out, float v);

} // namespace ncnn_int8
