#include "cli/llm_cli.h"

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "core/byte_io.h"

namespace ncnn_int8::cli {

Result<LlmArgs> parse_llm_args(int argc, char** argv)
{
    LlmArgs a;
    bool keys_started = false;
    for (int i = 1; i < argc; i++) {
        const std::string arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            a.help = true;
        } else if (arg == "--quiet") {
            a.quiet = true;
        } else if (arg == "--report") {
            if (i + 1 >= argc) return Status::failure("--report needs a file name");
            a.report_path = argv[++i];
        } else if (!arg.empty() && arg[0] == '-') {
            return Status::failure("unknown option " + arg);
        } else if (arg.find('=') != std::string::npos) {
            keys_started = true;
            const size_t eq = arg.find('=');
            a.keys.emplace_back(arg.substr(0, eq), arg.substr(eq + 1));
        } else if (keys_started) {
            return Status::failure("unrecognized arg " + arg);
        } else {
            a.positional.push_back(arg);
        }
    }
    return a;
}

int atoi_option(const std::string& v) { return std::atoi(v.c_str()); }

bool strict_int(const std::string& v, int& out)
{
    int consumed = 0;
    return std::sscanf(v.c_str(), "%d%n", &out, &consumed) == 1 && v[size_t(consumed)] == '\0';
}

int llm_fail(const char* tool, const std::string& message)
{
    std::fprintf(stderr, "%s: error: %s\n", tool, message.c_str());
    return kExitFailure;
}

int llm_finish(const char* tool, const LlmArgs& args, const LlmReport& report)
{
    if (!args.quiet)
        for (const std::string& line : report.log) std::fprintf(stderr, "%s\n", line.c_str());
    if (args.report_path.empty()) return 0;
    const std::string json = llm_report_to_json(report);
    Result<AtomicFileSink*> sink = AtomicFileSink::create(args.report_path);
    if (!sink.is_ok()) return llm_fail(tool, sink.status().message());
    std::unique_ptr<AtomicFileSink> out(sink.value());
    Status s = out->write(json.data(), json.size());
    if (s.is_ok()) s = out->commit();
    return s.is_ok() ? 0 : llm_fail(tool, s.message());
}

} // namespace ncnn_int8::cli
