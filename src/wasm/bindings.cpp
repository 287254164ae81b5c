// The WebAssembly shell: one Embind function around quantize_model().
//
//   quantize(param: Uint8Array, binSize: number,
//            readBin: (offset, dst: Uint8Array) => number | string,
//            table: Uint8Array | null,
//            writeBin: (chunk: Uint8Array) => undefined | string,
//            progress: (layersDone, layersTotal, bytesDone, bytesTotal) => boolean,
//            names: {param, bin, table},
//            rewindBin: (() => undefined | string) | null)
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

#include <cstdint>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli/cli_args.h"
#include "cli/warning_summary.h"
#include "core/byte_io.h"
#include "ncnn_int8.h"
#include "quant/report.h"
#include "wasm/js_io.h"

using emscripten::typed_memory_view;
using emscripten::val;

namespace {

using namespace ncnn_int8;
using namespace ncnn_int8::js;

struct Outcome {
    std::string param;
    std::string report;
    std::string report_text;
    std::string error;
    ErrorCode error_code = ErrorCode::Input;
    std::string warning_text; // the warnings alone, grouped as the CLI prints them
};

Outcome run(const val& param, double bin_size, const val& read_bin, const val& table, const val& write_bin, const val& progress, const val& names, const val& rewind_bin)
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
    JsSink bin_sink(write_bin, rewind_bin);
    MemorySink param_sink;

    QuantizeRequest request;
    request.param = {param_name, param_text};
    request.bin_name = bin_name;
    request.bin = &source;
    // The caller gives rewindBin where reads far ahead are slow (a browser's File).
    request.index_like_first_tag = bin_sink.can_rewind();
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
        out.error_code = result.status().code();
        return out;
    }
    out.param.assign(param_sink.bytes().begin(), param_sink.bytes().end());
    out.report = report_to_json(result.value());
    out.report_text = cli_summary(result.value());
    out.warning_text = warning_summary(result.value().warnings);
    return out;
}

val quantize(val param, double bin_size, val read_bin, val table, val write_bin, val progress, val names, val rewind_bin)
{
    Outcome outcome = catch_thrown([&] { return run(param, bin_size, read_bin, table, write_bin, progress, names, rewind_bin); },
                                   [](const std::string& message, ErrorCode code) {
                                       Outcome failed;
                                       failed.error = message;
                                       failed.error_code = code;
                                       return failed;
                                   });
    val o = val::object();
    if (outcome.error.empty()) {
        o.set("param", val::global("Uint8Array").new_(typed_memory_view(outcome.param.size(), reinterpret_cast<const uint8_t*>(outcome.param.data()))));
        o.set("report", outcome.report);
        o.set("reportText", outcome.report_text);
        o.set("warningText", outcome.warning_text);
        o.set("error", val::null());
        o.set("errorCode", val::null());
    } else {
        o.set("param", val::null());
        o.set("report", val::null());
        o.set("reportText", val::null());
        o.set("warningText", val::null());
        o.set("error", outcome.error);
        o.set("errorCode", std::string(error_code_name(outcome.error_code)));
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
    const char* action = a.action == CliArgs::Action::Run ? "run" : a.action == CliArgs::Action::Help  ? "help"
                                                                : a.action == CliArgs::Action::Version ? "version"
                                                                                                       : "error";
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

EMSCRIPTEN_BINDINGS(ncnn_int8)
{
    emscripten::function("quantize", &quantize);
    emscripten::function("version", &version);
    emscripten::function("cliUsage", &cli_usage);
    emscripten::function("parseCliArgs", &parse_cli);
}
