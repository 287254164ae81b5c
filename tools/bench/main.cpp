// ncnn_int8_bench: how close end-to-end quantization gets to the I/O bound,
// and how much memory it needs, on a ViT-B-sized and a ResNet-50-sized model.
// A harness that prints a report, not a pass/fail test.
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>

#include "bench_options.h"
#include "bench_report.h"
#include "core/byte_io.h"

namespace {

using namespace ncnn_int8;
using namespace ncnn_int8::bench;

void remove_outputs(const std::string& out_dir)
{
    ::unlink((out_dir + "/int8.param").c_str());
    ::unlink((out_dir + "/int8.bin").c_str());
}

Result<ModelResult> bench_model(const BenchOptions& options, const std::string& kind)
{
    ModelResult result;
    result.kind = kind;
    std::fprintf(stderr, "[%s] preparing model in %s/%s ...\n", kind.c_str(), options.models_dir.c_str(), kind.c_str());
    ASSIGN_OR_RETURN(result.model, ensure_model(options.models_dir, kind, options.seed));
    ASSIGN_OR_RETURN(result.stats, model_stats(result.model.dir));

    std::fprintf(stderr, "[%s] measuring read/write/memcpy (%d repeats) ...\n", kind.c_str(), options.repeats);
    ASSIGN_OR_RETURN(result.io, measure_io_bound(result.model.dir + "/model.bin", result.model.dir, options.repeats));

    // The parent's I/O buffers are freed by now, so each forked child starts small.
    const std::string out_dir = result.model.dir + "/int8-out";
    RETURN_IF_ERROR(make_directories(out_dir));
    for (int r = 0; r < options.repeats; r++) {
        // Each run writes fresh files: replacing the previous output would
        // free its page cache inside the timed window.
        remove_outputs(out_dir);
        std::fprintf(stderr, "[%s] quantize run %d/%d ...\n", kind.c_str(), r + 1, options.repeats);
        ASSIGN_OR_RETURN(QuantizeRun run, run_quantize_in_child(result.model.dir, out_dir));
        result.runs.push_back(run);
    }
    remove_outputs(out_dir);
    ::rmdir(out_dir.c_str());
    return result;
}

Status write_json(const std::string& path, const std::string& json)
{
    ASSIGN_OR_RETURN(AtomicFileSink * raw, AtomicFileSink::create(path));
    std::unique_ptr<AtomicFileSink> sink(raw);
    RETURN_IF_ERROR(sink->write(json.data(), json.size()));
    return sink->commit();
}

int fail(const std::string& message)
{
    std::fprintf(stderr, "ncnn_int8_bench: error: %s\n", message.c_str());
    return 1;
}

} // namespace

int main(int argc, char** argv)
{
    Result<BenchOptions> parsed = parse_bench_options(argc, argv);
    if (!parsed.is_ok()) {
        std::fprintf(stderr, "ncnn_int8_bench: error: %s\n\n%s", parsed.status().message().c_str(), kBenchUsage);
        return 2;
    }
    const BenchOptions& options = parsed.value();
    if (options.help) {
        std::fputs(kBenchUsage, stdout);
        return 0;
    }
    const Status dir = make_directories(options.models_dir);
    if (!dir.is_ok()) return fail(dir.message());

    BenchResults results;
    results.repeats = options.repeats;
    for (const std::string& kind : options.kinds) {
        Result<ModelResult> model = bench_model(options, kind);
        if (!model.is_ok()) return fail(kind + ": " + model.status().message());
        results.models.push_back(std::move(model).value());
    }
    std::fputs(results_to_text(results).c_str(), stdout);
    if (!options.json_path.empty()) {
        const Status written = write_json(options.json_path, results_to_json(results));
        if (!written.is_ok()) return fail(written.message());
        std::fprintf(stderr, "JSON written to %s\n", options.json_path.c_str());
    }
    return 0;
}
