// ncnnllm2int IN.param IN.bin OUT.param OUT.bin [IN.llm.table] [method= bits= block=]
// A drop-in for ncnn's tool: weight-only int4/int6/int8 Gemm and
// MultiHeadAttention weights from a table, or directly with method/bits/block.
#include <cstdio>
#include <memory>
#include <string>

#include "cli/llm_cli.h"
#include "core/byte_io.h"
#include "llm/llm.h"

namespace {

const char kTool[] = "ncnnllm2int";
const char kUsage[] =
    "usage: ncnnllm2int IN.param IN.bin OUT.param OUT.bin [key=value...] [--report FILE.json] [--quiet]\n"
    "       ncnnllm2int IN.param IN.bin OUT.param OUT.bin IN.llm.table [--report FILE.json] [--quiet]\n"
    "  method=minmax/mseclip  default minmax (direct form)\n"
    "  bits=4/6/8             default 6\n"
    "  block=32/64/128        default 64\n"
    "  thread=N               default: one per hardware thread (ours; the reference has none)\n"
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
    if (args.positional.size() != 4 && args.positional.size() != 5) {
        std::fputs(kUsage, stderr);
        return cli::kExitFailure;
    }
    LlmQuantizeRequest request;
    for (const auto& kv : args.keys) {
        const std::string& k = kv.first;
        if (k == "method") {
            request.options.method = kv.second;
        } else if (k == "bits") {
            if (!cli::strict_int(kv.second, request.options.bits)) return cli::llm_fail(kTool, "malformed bits=" + kv.second);
        } else if (k == "block") {
            if (!cli::strict_int(kv.second, request.options.block)) return cli::llm_fail(kTool, "malformed block=" + kv.second);
        } else if (k == "thread") {
            if (!cli::strict_int(kv.second, request.options.threads) || request.options.threads < 1)
                return cli::llm_fail(kTool, "malformed thread=" + kv.second);
        } else {
            return cli::llm_fail(kTool, "unrecognized arg " + k);
        }
    }
    const std::string &in_param = args.positional[0], &in_bin = args.positional[1], &out_param = args.positional[2],
                      &out_bin = args.positional[3];
    if (in_bin == "null") return cli::llm_fail(kTool, "IN.bin 'null' (random weights) is not supported: give the model's weights");
    if (out_param == out_bin) return cli::llm_fail(kTool, "OUT.param and OUT.bin are the same file: " + out_param);

    // The table is read as a stream (a large model's table is hundreds of MB).
    std::unique_ptr<FileSource> table_source;
    if (args.positional.size() == 5) {
        Result<FileSource*> t = FileSource::open(args.positional[4]);
        if (!t.is_ok()) return cli::llm_fail(kTool, t.status().message());
        table_source.reset(t.value());
        request.table_source = table_source.get();
        request.table_name = args.positional[4];
    }
    Result<std::string> param_text = read_whole_file(in_param);
    if (!param_text.is_ok()) return cli::llm_fail(kTool, param_text.status().message());
    Result<FileSource*> bin = FileSource::open(in_bin);
    if (!bin.is_ok()) return cli::llm_fail(kTool, bin.status().message());
    std::unique_ptr<FileSource> bin_source(bin.value());
    request.param = {in_param, param_text.value()};
    request.bin_name = in_bin;
    request.bin = bin_source.get();
    request.read_file = [](const std::string& path) { return read_whole_file(path); };
    request.measure_error = !args.report_path.empty();

    Result<AtomicFileSink*> param_sink = AtomicFileSink::create(out_param);
    if (!param_sink.is_ok()) return cli::llm_fail(kTool, param_sink.status().message());
    std::unique_ptr<AtomicFileSink> param_out(param_sink.value());
    Result<AtomicFileSink*> bin_sink = AtomicFileSink::create(out_bin);
    if (!bin_sink.is_ok()) return cli::llm_fail(kTool, bin_sink.status().message());
    std::unique_ptr<AtomicFileSink> bin_out(bin_sink.value());

    Result<LlmReport> report = llm_quantize(request, *param_out, *bin_out);
    if (!report.is_ok()) return cli::llm_fail(kTool, report.status().message());
    return cli::llm_finish(kTool, args, report.value());
}
