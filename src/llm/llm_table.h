// The .llm.table: one row per weight,
//   KEY bits=B block=S method=M [qweight=FILE] c0 c1 ... \n
// (awq adds `KEY_input_scale method=awq s0 ... s(K-1)` rows). Parsed as the
// reference's ncnnllm2int reads it; written as ncnnllm2table prints it
// (each value `%.9g` then one space).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace ncnn_int8 {

struct LlmTableRow {
    int line = 0;        // 1-based, for messages
    int bits = 0;        // 0: not given
    int block = 0;       // 0: not given
    std::string qweight; // resolved path of a gptq qweight file, empty if none
    std::vector<float> coeffs;
};

// Rows by key; a repeated key keeps its last row.
using LlmTable = std::map<std::string, LlmTableRow>;

// `name` is the table's path: messages name it, and relative qweight=
// paths are resolved against its folder.
Result<LlmTable> read_llm_table(std::string_view text, const std::string& name);

// Appends one row as ncnnllm2table writes it.
void append_llm_table_row(std::string& out, const std::string& key, int bits, int block, const char* method,
                          const float* coeffs, size_t count);

// `%.9g` of one float (the table's number format), appended.
void append_table_number(std::string& out, float v);

} // namespace ncnn_int8
