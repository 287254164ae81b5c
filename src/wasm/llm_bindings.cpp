// Embind functions around the weight-only LLM quantization (src/llm/llm.h):
//
//   llmTable(param: Uint8Array, binSize: number, readBin, options, writeTable,
//            progress, names, rewindTable) -> {report: string (JSON), error: string | null}
//   llmQuantize(param, binSize, readBin, table, options, writeBin, progress,
//               names, readFile, writeTable, rewindBin, rewindTable)
//     -> {param: Uint8Array, report: string (JSON), error: string | null}
//
// rewindBin / rewindTable: null, or functions that throw away what
// writeBin / writeTable were given; with one for every output written, the
// .bin is indexed from its first tag (see bindings.cpp's quantize).
//
// writeTable: null, or (direct form, table null) a function: the table is
// made in the same read of the .bin (llm_table_and_quantize) and streamed to
// it.
//
// table: null (direct form), a Uint8Array, or {size, read(offset, dst)}
// read as a stream like the .bin (a large model's table is hundreds of MB).
// options: {method, bits, block, measureError}; names: {param, bin, table}.
// readBin(offset, length) / writeTable(chunk) / writeBin(chunk) / progress
// follow bindings.cpp's rules (failure as a returned string or false);
// readFile(path) returns a Uint8Array or an error string (gptq qweight files).
// One thread: this build has no pthreads.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>

#include "llm/llm.h"
#include "wasm/js_io.h"

namespace {

using namespace ncnn_int8;
using namespace ncnn_int8::js;

LlmOptions options_of(const val& o)
{
    LlmOptions opt;
    opt.threads = 1;
    // The page's read-ahead ring holds 16 MB: windows a quarter of that keep
    // it reading ahead while the core works on one (results never depend on
    // the window), and Cancel is heard sooner.
    opt.window_bytes = size_t(4) << 20;
    if (o.isUndefined() || o.isNull()) return opt;
    if (o["method"].typeOf().as<std::string>() == "string") opt.method = o["method"].as<std::string>();
    if (o["bits"].typeOf().as<std::string>() == "number") opt.bits = o["bits"].as<int>();
    if (o["block"].typeOf().as<std::string>() == "number") opt.block = o["block"].as<int>();
    return opt;
}

bool measure_error_of(const val& o) { return !o.isUndefined() && !o.isNull() && o["measureError"].as<bool>(); }

std::function<bool(const Progress&)> progress_of(const val& progress)
{
    if (progress.typeOf().as<std::string>() != "function") return nullptr;
    return [progress](const Progress& p) {
        val r = progress(double(p.layers_done), double(p.layers_total), double(p.bytes_done), double(p.bytes_total));
        return !r.isFalse();
    };
}

bool valid_size(double size) { return size >= 0 && size <= 9007199254740991.0 && size == double(uint64_t(size)); }

val llm_table(val param, double bin_size, val read_bin, val options, val write_table, val progress, val names, val rewind_table)
{
    return guarded([&]() -> val {
        const std::string param_name = string_field(names, "param", "model.param");
        const std::string bin_name = string_field(names, "bin", "model.bin");
        if (!is_uint8_array(param)) return error_object("param must be a Uint8Array");
        if (!valid_size(bin_size)) return error_object(bin_name + ": invalid size");
        const std::string param_text = bytes_of(param);
        JsSource source(uint64_t(bin_size), read_bin, bin_name);
        JsSink table_sink(write_table, rewind_table);
        LlmTableRequest request;
        request.param = {param_name, param_text};
        request.bin_name = bin_name;
        request.bin = &source;
        request.options = options_of(options);
        request.measure_error = measure_error_of(options);
        request.on_progress = progress_of(progress);
        request.index_like_first_tag = table_sink.can_rewind();
        Result<LlmReport> r = make_llm_table(request, table_sink);
        if (!r.is_ok()) return error_object(r.status().message(), r.status().code());
        val o = val::object();
        o.set("param", val::null());
        o.set("report", llm_report_to_json(r.value()));
        o.set("error", val::null());
        return o;
    });
}

val llm_quantize_js(val param, double bin_size, val read_bin, val table, val options, val write_bin, val progress, val names, val read_file,
                    val write_table, val rewind_bin, val rewind_table)
{
    return guarded([&]() -> val {
        const std::string param_name = string_field(names, "param", "model.param");
        const std::string bin_name = string_field(names, "bin", "model.bin");
        const std::string table_name = string_field(names, "table", "model.llm.table");
        if (!is_uint8_array(param)) return error_object("param must be a Uint8Array");
        if (!valid_size(bin_size)) return error_object(bin_name + ": invalid size");
        const std::string param_text = bytes_of(param);
        std::string table_text;
        std::unique_ptr<JsSource> table_source;
        const bool has_table = !table.isNull() && !table.isUndefined();
        if (has_table) {
            if (is_uint8_array(table)) {
                table_text = bytes_of(table);
            } else if (table.typeOf().as<std::string>() == "object" && table["size"].typeOf().as<std::string>() == "number" && table["read"].typeOf().as<std::string>() == "function") {
                const double size = table["size"].as<double>();
                if (!valid_size(size)) return error_object(table_name + ": invalid size");
                table_source = std::make_unique<JsSource>(uint64_t(size), table["read"], table_name);
            } else {
                return error_object("table must be a Uint8Array, {size, read} or null");
            }
        }
        const bool make_table = write_table.typeOf().as<std::string>() == "function";
        if (make_table && has_table) return error_object("a table is made from method, bits and block, not from another table: drop the table, or quantize with it alone");
        JsSource source(uint64_t(bin_size), read_bin, bin_name);
        JsSink bin_sink(write_bin, rewind_bin);
        MemorySink param_sink;
        std::optional<JsSink> table_sink;
        if (make_table) table_sink.emplace(write_table, rewind_table);
        LlmQuantizeRequest request;
        request.param = {param_name, param_text};
        request.bin_name = bin_name;
        request.bin = &source;
        if (table_source) {
            request.table_source = table_source.get();
            request.table_name = table_name;
        } else if (has_table) {
            request.table = TextInput{table_name, table_text};
        }
        request.options = options_of(options);
        request.measure_error = measure_error_of(options);
        request.on_progress = progress_of(progress);
        request.index_like_first_tag = bin_sink.can_rewind() && (!table_sink || table_sink->can_rewind());
        request.read_file = [&read_file](const std::string& path) -> Result<std::string> {
            if (read_file.typeOf().as<std::string>() != "function") return Status::failure(path + ": no file access here");
            val r = read_file(path);
            if (r.typeOf().as<std::string>() == "string") return Status::failure(r.as<std::string>());
            if (!is_uint8_array(r)) return Status::failure(path + ": the readFile callback returned something other than a Uint8Array");
            return bytes_of(r);
        };
        Result<LlmReport> r = table_sink ? llm_table_and_quantize(request, *table_sink, param_sink, bin_sink) : llm_quantize(request, param_sink, bin_sink);
        if (!r.is_ok()) return error_object(r.status().message(), r.status().code());
        val o = val::object();
        o.set("param", val::global("Uint8Array").new_(typed_memory_view(param_sink.bytes().size(), param_sink.bytes().data())));
        o.set("report", llm_report_to_json(r.value()));
        o.set("error", val::null());
        return o;
    });
}

} // namespace

EMSCRIPTEN_BINDINGS(ncnn_int8_llm)
{
    emscripten::function("llmTable", &llm_table);
    emscripten::function("llmQuantize", &llm_quantize_js);
}
