// The WebAssembly shell: one Embind function around quantize_model().
//
//   quantize(param: Uint8Array, binSize: number,
//            readBin: (offset, dst: Uint8Array) => number | string,
//            table: Uint8Array | null,
//            writeBin: (chunk: Uint8Array) => undefined | string,
//            progress: (layersDone, layersTotal, bytesDone, bytesTotal) => boolean,
//            names: {param, bin, table})
//     -> {param: Uint8Array, report: string (JSON), reportText: string (the
//         CLI's summary), error: string | null}
//
// The JS wrapper (js/index.js) is the public API. Its callbacks never throw:
// a JS exception unwinding through wasm frames would skip C++ destructors, so
// they report failure by returning a string (readBin, writeBin) or false
// (progress), and nothing here throws into JS either: errors are returned in
// `error`. readBin fills `dst` (a view of wasm memory) from `offset` and
// returns the byte count; `chunk` passed to writeBin is a view of wasm
// memory. Both views are valid only during the call. Out of memory (std::bad_alloc, built with
// -fwasm-exceptions) becomes an error and the module stays usable.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli/cli_args.h"
#include "core/byte_io.h"
#include "ncnn_int8.h"
#include "quant/report.h"

using emscripten::typed_memory_view;
using emscripten::val;

namespace {

using namespace ncnn_int8;

// Reads are forwarded to JS in pieces of at most this size, so one read of a
// large layer never asks JS for one huge array.
constexpr size_t kReadChunk = size_t(4) << 20;
// Output is handed to JS in pieces of about this size.
constexpr size_t kWriteChunk = size_t(4) << 20;

bool is_uint8_array(const val& v) { return v.instanceof(val::global("Uint8Array")); }

std::string bytes_of(const val& u8)
{
    std::string s;
    const size_t n = u8["length"].as<size_t>();
    s.resize(n);
    if (n) val(typed_memory_view(n, reinterpret_cast<uint8_t*>(&s[0]))).call<void>("set", u8);
    return s;
}

std::string string_field(const val& obj, const char* key, const char* fallback)
{
    if (obj.isUndefined() || obj.isNull()) return fallback;
    val v = obj[key];
    if (v.typeOf().as<std::string>() != "string") return fallback;
    std::string s = v.as<std::string>();
    return s.empty() ? fallback : s;
}

// Buffered: each raw read is a call out to JS (and there a File slice read).
class JsSource final : public BufferedSource {
public:
    JsSource(uint64_t size, val read, std::string name) : size_(size), read_(std::move(read)), name_(std::move(name)) {}
    uint64_t size() const override { return size_; }

private:
    Result<size_t> read_raw(uint64_t offset, void* dst, size_t size) override
    {
        if (offset >= size_) return size_t(0);
        size = size_t(std::min<uint64_t>(size, size_ - offset));
        uint8_t* out = static_cast<uint8_t*>(dst);
        size_t done = 0;
        while (done < size) {
            const size_t want = std::min(kReadChunk, size - done);
            // The callback fills a view of wasm memory in place (no JS array
            // in between); the heap cannot grow during the call.
            val got_val = read_(double(offset + done), val(typed_memory_view(want, out + done)));
            if (got_val.typeOf().as<std::string>() == "string") return Status::failure(got_val.as<std::string>());
            if (got_val.typeOf().as<std::string>() != "number")
                return Status::failure(name_ + ": the read callback returned something other than a byte count");
            const double got_d = got_val.as<double>();
            if (!(got_d >= 0) || got_d > double(want) || got_d != double(size_t(got_d)))
                return Status::failure(name_ + ": the read callback reported " + std::to_string(got_d) + " bytes, " + std::to_string(want) + " were asked");
            const size_t got = size_t(got_d);
            done += got;
            if (got < want) break; // the source is shorter than it said
        }
        return done;
    }

    uint64_t size_;
    val read_;
    std::string name_;
};

class JsSink final : public ByteSink {
public:
    explicit JsSink(val write) : write_(std::move(write)) { buffer_.reserve(kWriteChunk); }

    Status write(const void* src, size_t size) override
    {
        const uint8_t* p = static_cast<const uint8_t*>(src);
        while (size > 0) {
            if (buffer_.empty() && size >= kWriteChunk) {
                // Large write: hand it over directly, no copy.
                RETURN_IF_ERROR(emit(p, kWriteChunk));
                p += kWriteChunk;
                size -= kWriteChunk;
                continue;
            }
            const size_t n = std::min(size, kWriteChunk - buffer_.size());
            buffer_.insert(buffer_.end(), p, p + n);
            p += n;
            size -= n;
            if (buffer_.size() == kWriteChunk) RETURN_IF_ERROR(flush());
        }
        return Status::ok();
    }

    Status commit() override { return flush(); }

private:
    Status flush()
    {
        if (buffer_.empty()) return Status::ok();
        Status s = emit(buffer_.data(), buffer_.size());
        buffer_.clear();
        return s;
    }

    Status emit(const uint8_t* p, size_t n)
    {
        val r = write_(val(typed_memory_view(n, p)));
        if (r.typeOf().as<std::string>() == "string") return Status::failure(r.as<std::string>());
        return Status::ok();
    }

    val write_;
    std::vector<uint8_t> buffer_;
};

struct Outcome {
    std::string param;
    std::string report;
    std::string report_text;
    std::string error;
};

Outcome run(const val& param, double bin_size, const val& read_bin, const val& table, const val& write_bin, const val& progress, const val& names)
{
    Outcome out;
    const std::string param_name = string_field(names, "param", "model.param");
    const std::string bin_name = string_field(names, "bin", "model.bin");
    const std::string table_name = string_field(names, "table", "model.table");

    if (!is_uint8_array(param)) {
        out.error = "param must be a Uint8Array";
        return out;
    }
    if (!(bin_size >= 0) || bin_size > 9007199254740991.0 || bin_size != double(uint64_t(bin_size))) {
        out.error = bin_name + ": invalid size";
        return out;
    }
    const std::string param_text = bytes_of(param);
    std::string table_text;
    const bool has_table = !table.isNull() && !table.isUndefined();
    if (has_table) {
        if (!is_uint8_array(table)) {
            out.error = "table must be a Uint8Array or null";
            return out;
        }
        table_text = bytes_of(table);
    }

    JsSource source(uint64_t(bin_size), read_bin, bin_name);
    JsSink bin_sink(write_bin);
    MemorySink param_sink;

    QuantizeRequest request;
    request.param = {param_name, param_text};
    request.bin_name = bin_name;
    request.bin = &source;
    if (has_table) request.table = TextInput{table_name, table_text};
    const bool has_progress = progress.typeOf().as<std::string>() == "function";
    if (has_progress) {
        request.on_progress = [&progress](const Progress& p) {
            val r = progress(double(p.layers_done), double(p.layers_total), double(p.bytes_done), double(p.bytes_total));
            return !r.isFalse();
        };
    }

    Result<Report> result = quantize_model(request, param_sink, bin_sink);
    if (!result.is_ok()) {
        out.error = result.status().message();
        return out;
    }
    out.param.assign(param_sink.bytes().begin(), param_sink.bytes().end());
    out.report = report_to_json(result.value());
    out.report_text = report_to_text(result.value());
    return out;
}

val quantize(val param, double bin_size, val read_bin, val table, val write_bin, val progress, val names)
{
    Outcome outcome;
    try {
        outcome = run(param, bin_size, read_bin, table, write_bin, progress, names);
    } catch (const std::bad_alloc&) {
        outcome = Outcome{};
        outcome.error = "out of memory: the model does not fit in this WebAssembly instance (4 GB at most)";
    } catch (const std::length_error&) {
        outcome = Outcome{};
        outcome.error = "out of memory: a size exceeds what this WebAssembly instance can hold";
    } catch (const std::exception& e) {
        outcome = Outcome{};
        outcome.error = std::string("internal error: ") + e.what();
    }
    val o = val::object();
    if (outcome.error.empty()) {
        o.set("param", val::global("Uint8Array").new_(typed_memory_view(outcome.param.size(), reinterpret_cast<const uint8_t*>(outcome.param.data()))));
        o.set("report", outcome.report);
        o.set("reportText", outcome.report_text);
        o.set("error", val::null());
    } else {
        o.set("param", val::null());
        o.set("report", val::null());
        o.set("reportText", val::null());
        o.set("error", outcome.error);
    }
    return o;
}

std::string version() { return kVersion; }

std::string cli_usage() { return kCliUsage; }

// The CLI's argument rules for js/cli.js. realDir(dir) -> string | null.
val parse_cli(val args, val real_dir)
{
    std::vector<std::string> list;
    const size_t n = args["length"].as<size_t>();
    for (size_t i = 0; i < n; i++) list.push_back(args[i].as<std::string>());
    const CliArgs a = parse_cli_args(list, [&real_dir](const std::string& dir) -> std::optional<std::string> {
        val r = real_dir(dir);
        if (r.typeOf().as<std::string>() != "string") return std::nullopt;
        return r.as<std::string>();
    });
    val o = val::object();
    const char* action = a.action == CliArgs::Action::Run ? "run" : a.action == CliArgs::Action::Help ? "help" : a.action == CliArgs::Action::Version ? "version" : "error";
    o.set("action", std::string(action));
    o.set("exitCode", a.exit_code);
    o.set("message", a.message);
    o.set("inParam", a.in_param);
    o.set("inBin", a.in_bin);
    o.set("outParam", a.out_param);
    o.set("outBin", a.out_bin);
    o.set("table", a.table ? val(*a.table) : val::null());
    o.set("reportPath", a.report_path);
    o.set("quiet", a.quiet);
    return o;
}

} // namespace

EMSCRIPTEN_BINDINGS(ncnn_int8) {
    emscripten::function("quantize", &quantize);
    emscripten::function("version", &version);
    emscripten::function("cliUsage", &cli_usage);
    emscripten::function("parseCliArgs", &parse_cli);
}
