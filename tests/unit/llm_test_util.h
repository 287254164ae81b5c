// In-memory runs of the two LLM operations for the tests.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/byte_io.h"
#include "llm/llm.h"
#include "test_util.h"

namespace ncnn_int8::test {

struct LlmRun {
    bool ok = false;
    std::string error;
    LlmReport report;
    std::string text;  // table, or .param
    std::string table; // the table of a one-pass run
    std::vector<uint8_t> bin;
    int commits = 0;
};

inline LlmRun llm_table_in_memory(const std::string& param, const std::vector<uint8_t>& bin, const LlmOptions& options,
                                  bool measure_error = false)
{
    MemorySource source(bin.data(), bin.size());
    RecordingSink table;
    LlmTableRequest request;
    request.param = {"in.param", param};
    request.bin_name = "in.bin";
    request.bin = &source;
    request.options = options;
    request.measure_error = measure_error;
    Result<LlmReport> r = make_llm_table(request, table);
    LlmRun run;
    run.ok = r.is_ok();
    if (run.ok)
        run.report = r.value();
    else
        run.error = r.status().message();
    run.text.assign(table.bytes.begin(), table.bytes.end());
    run.commits = table.commits;
    return run;
}

// `files` serves qweight= reads by resolved path.
inline LlmRun llm_quantize_in_memory(const std::string& param, const std::vector<uint8_t>& bin, const std::optional<std::string>& table,
                                     const LlmOptions& options, const std::string& table_name = "in.llm.table",
                                     const std::map<std::string, std::string>& files = {}, bool measure_error = false)
{
    MemorySource source(bin.data(), bin.size());
    RecordingSink param_out, bin_out;
    LlmQuantizeRequest request;
    request.param = {"in.param", param};
    request.bin_name = "in.bin";
    request.bin = &source;
    if (table) request.table = TextInput{table_name, *table};
    request.options = options;
    request.measure_error = measure_error;
    request.read_file = [files](const std::string& path) -> Result<std::string> {
        auto it = files.find(path);
        if (it == files.end()) return Status::failure(path + ": cannot open");
        return it->second;
    };
    Result<LlmReport> r = llm_quantize(request, param_out, bin_out);
    LlmRun run;
    run.ok = r.is_ok();
    if (run.ok)
        run.report = r.value();
    else
        run.error = r.status().message();
    run.text.assign(param_out.bytes.begin(), param_out.bytes.end());
    run.bin = bin_out.bytes;
    run.commits = param_out.commits + bin_out.commits;
    return run;
}

// ncnnllm2table + ncnnllm2int in one pass (direct form): text is the
// .param, table the table.
inline LlmRun llm_table_and_quantize_in_memory(const std::string& param, const std::vector<uint8_t>& bin, const LlmOptions& options,
                                               bool measure_error = false, std::function<bool(const Progress&)> on_progress = nullptr)
{
    MemorySource source(bin.data(), bin.size());
    RecordingSink table_out, param_out, bin_out;
    LlmQuantizeRequest request;
    request.param = {"in.param", param};
    request.bin_name = "in.bin";
    request.bin = &source;
    request.options = options;
    request.measure_error = measure_error;
    request.on_progress = std::move(on_progress);
    Result<LlmReport> r = llm_table_and_quantize(request, table_out, param_out, bin_out);
    LlmRun run;
    run.ok = r.is_ok();
    if (run.ok)
        run.report = r.value();
    else
        run.error = r.status().message();
    run.text.assign(param_out.bytes.begin(), param_out.bytes.end());
    run.table.assign(table_out.bytes.begin(), table_out.bytes.end());
    run.bin = bin_out.bytes;
    run.commits = table_out.commits + param_out.commits + bin_out.commits;
    return run;
}

inline LlmOptions llm_options(const char* method, int bits, int block, int threads = 1)
{
    LlmOptions o;
    o.method = method;
    o.bits = bits;
    o.block = block;
    o.threads = threads;
    return o;
}

} // namespace ncnn_int8::test
