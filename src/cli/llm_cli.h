// Shared by the ncnnllm2table and ncnnllm2int drop-ins: argument grammar
// (positional files, then key=value), report and log output.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "llm/llm.h"

namespace ncnn_int8::cli {

// Exit code of every refusal, as the reference's `return -1` from main.
constexpr int kExitFailure = 255;

struct LlmArgs {
    std::vector<std::string> positional; // up to the first key=value
    std::vector<std::pair<std::string, std::string>> keys;
    std::string report_path;
    bool quiet = false;
    bool help = false;
};

// Splits argv; --report FILE, --quiet and --help are ours, any other
// argument starting with '-' is an error.
Result<LlmArgs> parse_llm_args(int argc, char** argv);

// The reference's atoi for numeric options.
int atoi_option(const std::string& v);
// The reference's strict "%d%n" parse (ncnnllm2int's bits= / block=).
bool strict_int(const std::string& v, int& out);

int llm_fail(const char* tool, const std::string& message);
// Prints the log lines (unless quiet) and writes the JSON report if asked.
int llm_finish(const char* tool, const LlmArgs& args, const LlmReport& report);

} // namespace ncnn_int8::cli
