// Reading decimal numbers as floats exactly as strtof does, fast. strtof is
// slow in WebAssembly (its long double arithmetic is done in software), and
// the tables hold tens of thousands of numbers.
#pragma once

namespace ncnn_int8 {

// A plain decimal ([+-]digits[.digits][e[+-]digits], nothing after it)
// read exactly as strtof would, where a fast exact path exists; false
// leaves it to strtof. The text is [first, last), or a C string.
bool parse_decimal_exact(const char* first, const char* last, float& v);
bool parse_decimal_exact(const char* s, float& v);

} // namespace ncnn_int8
