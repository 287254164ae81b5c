// ncnn2int8 IN.param IN.bin OUT.param OUT.bin [TABLE] [--report FILE]
// A drop-in for ncnn's tool; see README for where it deliberately differs.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/cli_args.h"
#include "cli/warning_summary.h"
#include "core/byte_io.h"
#include "ncnn_int8.h"

namespace {

// The folder's real path (symlinks, ".", ".." resolved), if it exists.
std::optional<std::string> real_dir(const std::string& dir)
{
    char* real = ::realpath(dir.c_str(), nullptr);
    if (!real) return std::nullopt;
    std::string out(real);
    std::free(real);
    return out;
}

int fail(const std::string& message)
{
    std::fprintf(stderr, "ncnn2int8: error: %s\n", message.c_str());
    return 1;
}

} // namespace

int main(int argc, char** argv)
{
    using namespace ncnn_int8;
    const CliArgs args = parse_cli_args(std::vector<std::string>(argv + 1, argv + argc), real_dir);
    switch (args.action) {
    case CliArgs::Action::Help: std::fputs(kCliUsage, stdout); return 0;
    case CliArgs::Action::Version: std::printf("ncnn2int8 (ncnn-int8) %s\n", kVersion); return 0;
    case CliArgs::Action::Error:
        if (args.exit_code == 2) {
            std::fputs(args.message.c_str(), stderr);
            return 2;
        }
        return fail(args.message);
    case CliArgs::Action::Run: break;
    }
    const std::string &in_param = args.in_param, &in_bin = args.in_bin, &out_param = args.out_param, &out_bin = args.out_bin;
    const std::string& report_path = args.report_path;
    const bool quiet = args.quiet;

    Result<std::string> param_text = read_whole_file(in_param);
    if (!param_text.is_ok()) return fail(param_text.status().message());
    std::optional<std::string> table_text;
    if (args.table) {
        Result<std::string> t = read_whole_file(*args.table);
        if (!t.is_ok()) return fail(t.status().message());
        table_text = std::move(t).value();
    }
    Result<FileSource*> bin = FileSource::open(in_bin);
    if (!bin.is_ok()) return fail(bin.status().message());
    std::unique_ptr<FileSource> bin_source(bin.value());

    QuantizeRequest request;
    request.param = {in_param, param_text.value()};
    request.bin_name = in_bin;
    request.bin = bin_source.get();
    if (table_text) request.table = TextInput{*args.table, *table_text};

    Result<AtomicFileSink*> param_sink = AtomicFileSink::create(out_param);
    if (!param_sink.is_ok()) return fail(param_sink.status().message());
    std::unique_ptr<AtomicFileSink> param_out(param_sink.value());
    Result<AtomicFileSink*> bin_sink = AtomicFileSink::create(out_bin);
    if (!bin_sink.is_ok()) return fail(bin_sink.status().message());
    std::unique_ptr<AtomicFileSink> bin_out(bin_sink.value());

    Result<Report> result = quantize_model(request, *param_out, *bin_out);
    if (!result.is_ok()) return fail(result.status().message());
    const Report& report = result.value();
    if (!report_path.empty()) {
        const std::string json = report_to_json(report);
        Result<AtomicFileSink*> sink = AtomicFileSink::create(report_path);
        if (!sink.is_ok()) return fail(sink.status().message());
        std::unique_ptr<AtomicFileSink> out(sink.value());
        Status s = out->write(json.data(), json.size());
        if (s.is_ok()) s = out->commit();
        if (!s.is_ok()) return fail(s.message());
    }
    std::fputs((quiet ? warning_summary(report.warnings) : cli_summary(report)).c_str(), stderr);
    return 0;
}
