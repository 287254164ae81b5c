// The .llm.table: one row per weight,
//   KEY bits=B block=S method=M [qweight=FILE] c0 c1 ... \n
// (awq adds `KEY_input_scale method=awq s0 ... s(K-1)` rows). Parsed as the
// reference's ncnnllm2int reads it; written as ncnnllm2table prints it
// (each value `%.9g` then one space).
//
// A table made for a large model holds hundreds of MB of text, so it is read
// as a stream: one pass checks every row and keeps an index (key, metadata,
// where the coefficients start, how many there are, the first one that is
// not positive); a row's coefficients are read again from the source when
// its layer is quantized. Memory stays near one layer's scales.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/byte_io.h"
#include "core/status.h"

namespace ncnn_int8 {

class ThreadTeam;

struct LlmTableRow {
    int line = 0;              // 1-based, for messages
    int bits = 0;              // 0: not given
    int block = 0;             // 0: not given
    std::string qweight;       // resolved path of a gptq qweight file, empty if none
    uint64_t coeff_offset = 0; // the first coefficient's byte in the source
    size_t coeff_count = 0;
    static constexpr size_t kAllPositive = ~size_t(0);
    size_t first_not_positive = kAllPositive; // index of the first coefficient <= 0 or NaN
    float not_positive_value = 0.f;
};

// Rows by key; a repeated key keeps its last row.
using LlmTable = std::map<std::string, LlmTableRow>;

// `name` is the table's path: messages name it, and relative qweight=
// paths are resolved against its folder. The source is read window_bytes
// at a time (the result does not depend on it).
Result<LlmTable> index_llm_table(ByteSource& source, const std::string& name, size_t window_bytes = size_t(1) << 20);

// The row's coefficients, read again from `source` (the one indexed), in
// windows of about window_bytes cut at separators; a large window's are
// parsed by the team's members, a share each. The source is read on the
// calling thread only. The result depends on neither.
Status read_llm_table_coeffs(ByteSource& source, const std::string& name, const LlmTableRow& row, std::vector<float>& out,
                             ThreadTeam* team = nullptr, size_t window_bytes = size_t(1) << 20);

// Appends one row as ncnnllm2table writes it: the start (key and
// metadata), then the numbers, then '\n'.
void append_llm_table_row_start(std::string& out, const std::string& key, int bits, int block, const char* method);
void append_llm_table_numbers(std::string& out, const float* coeffs, size_t count);
void append_llm_table_row(std::string& out, const std::string& key, int bits, int block, const char* method,
                          const float* coeffs, size_t count);

// append_llm_table_numbers on a team: each member formats a share of the
// numbers (the text is the same). A large model's table is tens of MB of
// numbers; one thread formatting them all is the table pass's slowest part.
// The shares' buffers are kept from window to window.
class TableNumberFormatter {
public:
    void append(std::string& out, const float* coeffs, size_t count, ThreadTeam& team);

private:
    std::vector<std::string> shares_; // members 1.. (member 0 appends to out)
};

// `%.9g` of one float (the table's number format), appended.
void append_table_number(std::string& out, float v);

// The same by exact integer rounding alone, the path every table number
// takes first (printf and <charconv> are the fallback): false, appending
// nothing, for zero, infinities, NaN and magnitudes below about 1e-22.
bool append_table_number_fast(std::string& out, float v);

} // namespace ncnn_int8
