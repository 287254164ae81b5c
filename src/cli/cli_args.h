// The ncnn2int8 command line, for every front end that offers it (the native
// CLI, and `npx ncnn2int8` through the WebAssembly build): the usage text,
// the argument rules and their messages, written once.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ncnn_int8 {

// What a tool's parsed command line says to do, the part every tool shares:
// Run, print something and exit 0 (Help, Version, ...), or Error: print
// `message` and exit with `exit_code` (1: a bad option or value, 2: bad
// usage, the usage text is the message).
template <typename ActionEnum>
struct CliDecision {
    using Action = ActionEnum;
    Action action = Action::Run;
    int exit_code = 0;
    std::string message;
};

// The arguments as an Error.
template <typename Args>
Args cli_error(int exit_code, std::string message)
{
    Args a;
    a.action = Args::Action::Error;
    a.exit_code = exit_code;
    a.message = std::move(message);
    return a;
}

// --help / -h and --version answer without running, in every tool: sets
// out.action and returns true for them.
template <typename Args>
bool take_info_flag(const std::string& arg, Args& out)
{
    if (arg == "--help" || arg == "-h")
        out.action = Args::Action::Help;
    else if (arg == "--version")
        out.action = Args::Action::Version;
    else
        return false;
    return true;
}

extern const char kCliUsage[];

enum class CliAction { Run,
                       Help,
                       Version,
                       Error };

// ncnn2int8's arguments. Run: quantize.
struct CliArgs : CliDecision<CliAction> {
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
