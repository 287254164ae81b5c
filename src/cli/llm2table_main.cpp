// ncnnllm2table IN.param IN.bin OUT.llm.table [method= bits= block= thread=]
// A drop-in for ncnn's tool: per-block weight scales of every qualifying
// Gemm / MultiHeadAttention, one table row per weight.
#include <cstdio>
#include <memory>
#include <string>

#include "cli/llm_cli.h"
#include "core/byte_io.h"
#include "llm/llm.h"

namespace {

const char kTool[] = "ncnnllm2table";
const char kUsage[] =
    "usage: ncnnllm2table IN.param IN.bin OUT.llm.table [key=value...] [--report FILE.json] [--quiet]\n"
    "  method=minmax/mseclip  (awq/gptq need calibration data: not supported yet)\n"
    "  bits=4/6/8             default 6\n"
    "  block=32/64/128        default 64\n"
    "  thread=N               default: one per hardware thread\n"
    "  --report FILE          per layer bits, block, method, bytes and SQNR as JSON\n";

} // namespace

int main(int argc, char** argv)
{
    using namespace ncnn_int8;
    Result<cli::LlmArgs> parsed = cli::parse_llm_args(argc, argv);
    if (!parsed.is_ok()) {
        std::fputs(kUsage, stderr);
        return cli::llm_fail(kTool, parsed.status().message());
    }
    const cli::LlmArgs& args = parsed.value();
    if (args.help) {
        std::fputs(kUsage, stdout);
        return 0;
    }
    if (args.positional.size() == 4)
        return cli::llm_fail(kTool, "calibration list " + args.positional[2] + ": method=awq/gptq need calibration data, which is not supported yet; use method=minmax or mseclip");
    if (args.positional.size() != 3) {
        std::fputs(kUsage, stderr);
        return cli::kExitFailure;
    }
    LlmTableRequest request;
    for (const auto& kv : args.keys) {
        const std::string& k = kv.first;
        if (k == "method")
            request.options.method = kv.second;
        else if (k == "bits")
            request.options.bits = cli::atoi_option(kv.second);
        else if (k == "block")
            request.options.block = cli::atoi_option(kv.second);
        else if (k == "thread") {
            request.options.threads = cli::atoi_option(kv.second);
            if (request.options.threads < 1) return cli::llm_fail(kTool, "malformed thread " + std::to_string(request.options.threads));
        } else if (k == "type" || k == "shape" || k == "awq_steps" || k == "awq_samples" || k == "awq_max_scale" || k == "awq_inner" || k == "gptq_samples" || k == "gptq_damp")
            continue; // calibration options: only meaningful with a calibration list
        else
            return cli::llm_fail(kTool, "unrecognized arg " + k);
    }
    const std::string &in_param = args.positional[0], &in_bin = args.positional[1], &out_table = args.positional[2];
    if (in_bin == "null") return cli::llm_fail(kTool, "IN.bin 'null' (random weights) is not supported: give the model's weights");

    Result<std::string> param_text = read_whole_file(in_param);
    if (!param_text.is_ok()) return cli::llm_fail(kTool, param_text.status().message());
    Result<FileSource*> bin = FileSource::open(in_bin);
    if (!bin.is_ok()) return cli::llm_fail(kTool, bin.status().message());
    std::unique_ptr<FileSource> bin_source(bin.value());
    request.param = {in_param, param_text.value()};
    request.bin_name = in_bin;
    request.bin = bin_source.get();
    request.measure_error = !args.report_path.empty();

    Result<AtomicFileSink*> sink = AtomicFileSink::create(out_table);
    if (!sink.is_ok()) return cli::llm_fail(kTool, sink.status().message());
    std::unique_ptr<AtomicFileSink> table_out(sink.value());
    Result<LlmReport> report = make_llm_table(request, *table_out);
    if (!report.is_ok()) return cli::llm_fail(kTool, report.status().message());
    return cli::llm_finish(kTool, args, report.value());
}
