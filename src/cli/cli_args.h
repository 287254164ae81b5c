// The ncnn2int8 command line, for every front end that offers it (the native
// CLI, and `npx ncnn2int8` through the WebAssembly build): the usage text,
// the argument rules and their messages, written once.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ncnn_int8 {

extern const char kCliUsage[];

struct CliArgs {
    // Run: quantize. Help/Version: print and exit 0. Error: print `message`
    // and exit with `exit_code` (1: a bad option or value, 2: bad usage, the
    // usage text is the message).
    enum class Action { Run,
                        Help,
                        Version,
                        Error };
    Action action = Action::Run;
    int exit_code = 0;
    std::string message;

    std::string in_param, in_bin, out_param, out_bin;
    std::optional<std::string> table;
    std::string report_path; // empty: no report
    bool quiet = false;
};

// `real_dir` gives a folder's real path (nullopt if it does not exist): two
// spellings of the same output file are caught.
using RealDir = std::function<std::optional<std::string>(const std::string& dir)>;
CliArgs parse_cli_args(const std::vector<std::string>& args, const RealDir& real_dir);

} // namespace ncnn_int8
