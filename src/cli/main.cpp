// ncnn2int8 IN.param IN.bin OUT.param OUT.bin [TABLE] [--report FILE]
// A drop-in for ncnn's tool; see README for where it deliberately differs.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "cli/warning_summary.h"
#include "core/byte_io.h"
#include "ncnn_int8.h"

namespace {

const char kUsage[] =
    "usage: ncnn2int8 IN.param IN.bin OUT.param OUT.bin [TABLE] [--report FILE.json] [--quiet]\n"
    "\n"
    "Turns an fp32/fp16 ncnn model into an int8 one, byte for byte as ncnn's\n"
    "ncnn2int8 does. TABLE is the calibration table from ncnn2table; without it\n"
    "only Gemm and SDPA layers are quantized (models with Embed,\n"
    "MultiHeadAttention, RNN, LSTM or GRU need a table).\n"
    "\n"
    "  --report FILE  write the run's report (per layer: action, bytes) as JSON\n"
    "  --quiet        print only warnings and errors\n"
    "  --help         this text\n"
    "  --version      print the version\n";

// The path with its folder resolved (symlinks, ".", ".."), so that two
// spellings of the same output file compare equal; the path itself when the
// folder does not exist (creating the output fails then anyway).
std::string resolved_path(const std::string& path)
{
    const size_t slash = path.rfind('/');
    const std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
    const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
    char* real = ::realpath(dir.c_str(), nullptr);
    if (!real) return path;
    std::string out = std::string(real) + "/" + name;
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
    std::vector<std::string> positional;
    std::string report_path;
    bool quiet = false;
    for (int i = 1; i < argc; i++) {
        const std::string arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            std::fputs(kUsage, stdout);
            return 0;
        }
        if (arg == "--version") {
            std::printf("ncnn2int8 (ncnn-int8) %s\n", kVersion);
            return 0;
        }
        if (arg == "--quiet") {
            quiet = true;
        } else if (arg == "--report") {
            if (i + 1 >= argc) return fail("--report needs a file name");
            report_path = argv[++i];
        } else if (arg.size() > 2 && arg.compare(0, 2, "--") == 0) {
            return fail("unknown option " + arg + "\n" + kUsage);
        } else {
            positional.push_back(arg);
        }
    }
    if (positional.size() != 4 && positional.size() != 5) {
        std::fputs(kUsage, stderr);
        return 2;
    }
    const std::string &in_param = positional[0], &in_bin = positional[1], &out_param = positional[2], &out_bin = positional[3];
    if (in_bin == "null") return fail("IN.bin 'null' (random weights) is not supported: give the model's weights");
    if (out_param == out_bin || resolved_path(out_param) == resolved_path(out_bin)) return fail("OUT.param and OUT.bin are the same file: " + out_param);

    Result<std::string> param_text = read_whole_file(in_param);
    if (!param_text.is_ok()) return fail(param_text.status().message());
    std::optional<std::string> table_text;
    if (positional.size() == 5) {
        Result<std::string> t = read_whole_file(positional[4]);
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
    if (table_text) request.table = TextInput{positional[4], *table_text};

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
