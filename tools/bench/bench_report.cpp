#include "bench_report.h"

#include <algorithm>
#include <cstdio>

#include "core/format.h"
#include "core/json_writer.h"
#include "kernels/kernels.h"
#include "ncnn_int8.h"
#include "timing.h"

namespace ncnn_int8::bench {

namespace {

constexpr double kMB = 1e6;
constexpr double kMiB = 1024.0 * 1024.0;

double mb_per_s(uint64_t bytes, double seconds) { return seconds > 0 ? double(bytes) / kMB / seconds : 0; }

struct Throughputs {
    double read, write, read_write, memcpy_bw, quantize;
};

Throughputs throughputs(const ModelResult& m)
{
    return {mb_per_s(m.io.bytes, m.io.read_seconds), mb_per_s(m.io.bytes, m.io.write_seconds),
            mb_per_s(m.io.bytes, m.io.read_write_seconds), mb_per_s(m.io.bytes, m.io.memcpy_seconds),
            mb_per_s(m.stats.bin_bytes, m.quantize_seconds())};
}

double ratio(double a, double b) { return b > 0 ? a / b : 0; }

std::string model_details(const ModelResult& m)
{
    const Throughputs t = throughputs(m);
    const QuantizeRun& last = m.runs.back();
    std::string s;
    s += format("model %s: %s/model.bin, %.1f MB fp32, %zu layers, %s\n", m.kind.c_str(), m.model.dir.c_str(),
                double(m.stats.bin_bytes) / kMB, m.stats.layers,
                m.model.generated ? format("generated in %.2f s", m.model.generate_seconds).c_str() : "reused (already generated)");
    s += format("  largest layer: %s, %.2f MB fp32\n", m.stats.largest_layer.c_str(), double(m.stats.largest_layer_fp32_bytes) / kMB);
    s += format("  %-40s %10s %10s\n", "measurement (median)", "seconds", "MB/s");
    s += format("  %-40s %10.4f %10.0f\n", "read .bin (page cache)", m.io.read_seconds, t.read);
    s += format("  %-40s %10.4f %10.0f\n", "write same bytes to a new file", m.io.write_seconds, t.write);
    s += format("  %-40s %10.4f %10.0f\n", "read + write (physical bound)", m.io.read_write_seconds, t.read_write);
    s += format("  %-40s %10.4f %10.0f\n", "memcpy of the same size", m.io.memcpy_seconds, t.memcpy_bw);
    s += format("  %-40s %10.4f %10.0f\n", "quantize_model, file -> file", m.quantize_seconds(), t.quantize);
    std::string runs;
    for (const QuantizeRun& r : m.runs) runs += format(" %.4f", r.seconds);
    s += format("  quantize runs (s):%s\n", runs.c_str());
    s += format("  ratios: quantize / (read+write) = %.2fx, quantize / memcpy = %.2fx\n", ratio(t.quantize, t.read_write),
                ratio(t.quantize, t.memcpy_bw));
    s += "  (read+write moves the whole fp32 .bin twice; quantize writes only ~1/4 of it back as int8)\n";
    s += format("  output: %.1f MB -> %.1f MB int8 .bin, %zu warnings\n", double(last.bin_bytes_in) / kMB,
                double(last.bin_bytes_out) / kMB, last.warnings);
    s += format("  peak RSS of the quantize child: %.1f MiB (ru_maxrss; VmHWM %.1f MiB; %.1f MiB inherited at fork)\n",
                double(m.peak_rss_kb()) / 1024, double(last.vm_hwm_kb) / 1024, double(last.start_rss_kb) / 1024);
    s += format("  RSS target: <= 64 MiB + largest layer %.1f MiB = %.1f MiB: %s\n",
                double(m.stats.largest_layer_fp32_bytes) / kMiB, double(m.rss_limit_kb()) / 1024,
                m.peak_rss_kb() <= m.rss_limit_kb() ? "PASS" : "FAIL");
    return s;
}

} // namespace

double ModelResult::quantize_seconds() const
{
    std::vector<double> seconds;
    for (const QuantizeRun& r : runs) seconds.push_back(r.seconds);
    return median(seconds);
}

uint64_t ModelResult::peak_rss_kb() const
{
    uint64_t peak = 0;
    for (const QuantizeRun& r : runs) peak = std::max(peak, r.peak_rss_kb);
    return peak;
}

std::string results_to_text(const BenchResults& results)
{
    std::string s = format("ncnn_int8_bench: ncnn-int8 %s, SIMD target %s, %d repeats (medians), MB = 1e6 bytes, MiB = 2^20 bytes\n\n",
                           kVersion, kernels::active_target(), results.repeats);
    for (const ModelResult& m : results.models) s += model_details(m) + "\n";

    s += format("%-6s %9s %9s %10s %10s %10s %8s %8s %9s %9s %6s\n", "model", "fp32 MB", "quant s", "quant MB/s", "r+w MB/s",
                "memcpy MB/s", "q/(r+w)", "q/memcpy", "RSS MiB", "limit MiB", "RSS ok");
    for (const ModelResult& m : results.models) {
        const Throughputs t = throughputs(m);
        s += format("%-6s %9.1f %9.4f %10.0f %10.0f %10.0f %8.2f %8.2f %9.1f %9.1f %6s\n", m.kind.c_str(),
                    double(m.stats.bin_bytes) / kMB, m.quantize_seconds(), t.quantize, t.read_write, t.memcpy_bw,
                    ratio(t.quantize, t.read_write), ratio(t.quantize, t.memcpy_bw), double(m.peak_rss_kb()) / 1024,
                    double(m.rss_limit_kb()) / 1024, m.peak_rss_kb() <= m.rss_limit_kb() ? "yes" : "NO");
    }
    return s;
}

std::string results_to_json(const BenchResults& results)
{
    JsonWriter j;
    j.begin_object();
    j.string("tool_version", kVersion);
    j.string("simd_target", kernels::active_target());
    j.integer("repeats", results.repeats);
    j.begin_object("units").string("throughput", "MB/s (1e6 bytes)").string("rss", "KiB").string("time", "seconds").end_object();
    j.begin_array("models");
    for (const ModelResult& m : results.models) {
        const Throughputs t = throughputs(m);
        const QuantizeRun& last = m.runs.back();
        j.begin_object();
        j.string("kind", m.kind);
        j.string("dir", m.model.dir);
        j.boolean("generated", m.model.generated);
        j.number("generate_seconds", m.model.generate_seconds);
        j.integer("bin_bytes", static_cast<int64_t>(m.stats.bin_bytes));
        j.integer("layers", static_cast<int64_t>(m.stats.layers));
        j.string("largest_layer", m.stats.largest_layer);
        j.integer("largest_layer_fp32_bytes", static_cast<int64_t>(m.stats.largest_layer_fp32_bytes));
        j.begin_object("io_bound")
            .number("read_seconds", m.io.read_seconds)
            .number("write_seconds", m.io.write_seconds)
            .number("read_write_seconds", m.io.read_write_seconds)
            .number("memcpy_seconds", m.io.memcpy_seconds)
            .number("read_mb_s", t.read)
            .number("write_mb_s", t.write)
            .number("read_write_mb_s", t.read_write)
            .number("memcpy_mb_s", t.memcpy_bw)
            .end_object();
        j.begin_object("quantize").number("seconds", m.quantize_seconds()).begin_array("runs_seconds");
        for (const QuantizeRun& r : m.runs) j.number({}, r.seconds);
        j.end_array()
            .number("mb_s", t.quantize)
            .integer("bin_bytes_out", static_cast<int64_t>(last.bin_bytes_out))
            .integer("warnings", static_cast<int64_t>(last.warnings))
            .end_object();
        j.begin_object("ratios")
            .number("quantize_over_read_write", ratio(t.quantize, t.read_write))
            .number("quantize_over_memcpy", ratio(t.quantize, t.memcpy_bw))
            .end_object();
        j.begin_object("rss")
            .integer("peak_kib", static_cast<int64_t>(m.peak_rss_kb()))
            .integer("vm_hwm_kib", static_cast<int64_t>(last.vm_hwm_kb))
            .integer("inherited_at_fork_kib", static_cast<int64_t>(last.start_rss_kb))
            .integer("limit_kib", static_cast<int64_t>(m.rss_limit_kb()))
            .boolean("within_limit", m.peak_rss_kb() <= m.rss_limit_kb())
            .end_object();
        j.end_object();
    }
    j.end_array();
    j.end_object();
    return j.text() + "\n";
}

} // namespace ncnn_int8::bench
