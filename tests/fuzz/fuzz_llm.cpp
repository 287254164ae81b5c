// fuzz_llm_table: the fuzzed bytes as an .llm.table, read and applied to a
// fixed small model (two Gemms, one of them with an odd K, and a cross
// attention MultiHeadAttention). A table that applies must give a model that
// loads again (parse, resolve, index the .bin).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "core/byte_io.h"
#include "core/thread_team.h"
#include "fuzz_entries.h"
#include "llm/llm.h"
#include "llm/llm_plan.h"
#include "llm/llm_table.h"

namespace ncnn_int8::fuzz {

const char kLlmTargetParam[] =
    "7767517\n"
    "5 5\n"
    "Input                    in0                      0 1 in0\n"
    "Input                    in1                      0 1 in1\n"
    "MultiHeadAttention       mha_0                    3 1 in0 in1 in1 a0 0=8 1=2 2=48 3=10 4=10\n"
    "Gemm                     gemm_0                   1 1 a0 g0 3=1 5=1 6=1 8=4 9=8 10=4\n"
    "Gemm                     gemm_1                   1 1 g0 out0 3=1 5=1 8=3 9=41\n";

namespace {

void put(std::string& bin, const void* p, size_t n) { bin.append(static_cast<const char*>(p), n); }

void tagged(std::string& bin, size_t n, float base)
{
    const uint32_t tag = 0;
    put(bin, &tag, 4);
    for (size_t i = 0; i < n; i++) {
        const float v = base * float(int(i % 13) - 6) / 6.f;
        put(bin, &v, 4);
    }
}

void raw(std::string& bin, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const float v = float(i) * 0.01f;
        put(bin, &v, 4);
    }
}

} // namespace

std::string llm_target_bin()
{
    std::string bin;
    // mha_0: embed 8, qdim 6, kdim = vdim 10
    tagged(bin, 8 * 6, 1.f);
    raw(bin, 8);
    tagged(bin, 8 * 10, 0.5f);
    raw(bin, 8);
    tagged(bin, 8 * 10, 2.f);
    raw(bin, 8);
    tagged(bin, 6 * 8, 0.25f);
    raw(bin, 6);
    tagged(bin, 4 * 8, 1.5f);   // gemm_0 B
    tagged(bin, 4, 1.f);        // gemm_0 C
    tagged(bin, 3 * 41, 0.75f); // gemm_1 B
    return bin;
}

// The table's index does not depend on the window it is read through, and
// every row's coefficients read back.
void check_index_windows(const uint8_t* data, size_t size)
{
    MemorySource text(data, size);
    Result<LlmTable> whole = index_llm_table(text, "t");
    Result<LlmTable> small = index_llm_table(text, "t", 3);
    if (whole.is_ok() != small.is_ok() || (!whole.is_ok() && whole.status().message() != small.status().message())) {
        std::fprintf(stderr, "fuzz_llm_table: the index depends on the read window\n");
        std::abort();
    }
    if (!whole.is_ok()) return;
    std::vector<float> coeffs, shared;
    static ThreadTeam team(3);
    for (const auto& [key, row] : whole.value()) {
        const auto it = small.value().find(key);
        if (it == small.value().end() || it->second.coeff_offset != row.coeff_offset || it->second.coeff_count != row.coeff_count || it->second.line != row.line || it->second.first_not_positive != row.first_not_positive) {
            std::fprintf(stderr, "fuzz_llm_table: row %s differs between read windows\n", key.c_str());
            std::abort();
        }
        if (!read_llm_table_coeffs(text, "t", row, coeffs).is_ok() || coeffs.size() != row.coeff_count) {
            std::fprintf(stderr, "fuzz_llm_table: row %s does not read back\n", key.c_str());
            std::abort();
        }
        // In small windows (tokens longer than one included), shared by a
        // team: the same numbers, bit for bit.
        if (!read_llm_table_coeffs(text, "t", row, shared, &team, 5).is_ok() || shared.size() != coeffs.size() || (!coeffs.empty() && std::memcmp(shared.data(), coeffs.data(), coeffs.size() * sizeof(float)) != 0)) {
            std::fprintf(stderr, "fuzz_llm_table: row %s reads differently in windows shared by a team\n", key.c_str());
            std::abort();
        }
    }
}

int fuzz_llm_table(const uint8_t* data, size_t size)
{
    if (size > kMaxInput) return 0;
    check_index_windows(data, size);
    static const std::string bin = llm_target_bin();
    MemorySource source(reinterpret_cast<const uint8_t*>(bin.data()), bin.size());
    MemorySink param_out, bin_out;
    LlmQuantizeRequest request;
    request.param = {"in.param", kLlmTargetParam};
    request.bin_name = "in.bin";
    request.bin = &source;
    request.table = TextInput{"dir/in.llm.table", std::string_view(reinterpret_cast<const char*>(data), size)};
    request.options.threads = 1;
    request.read_file = [](const std::string& path) -> Result<std::string> {
        // Any qweight file: 4 rows of 4-bit zeros (valid only for gemm_0 at bits=4).
        if (path == "dir/zero.qw") return std::string(16, '\0');
        return Status::failure(path + ": cannot open");
    };
    Result<LlmReport> r = llm_quantize(request, param_out, bin_out);
    if (!r.is_ok()) return 0;
    const std::string param(param_out.bytes().begin(), param_out.bytes().end());
    MemorySource again(bin_out.bytes().data(), bin_out.bytes().size());
    Diagnostics d;
    Result<Model> model = load_llm_param({"out.param", param}, &again, "out.bin", d);
    Status loads = model.is_ok() ? index_bin(model.value(), again, "out.bin").status() : model.status();
    if (!loads.is_ok()) {
        std::fprintf(stderr, "fuzz_llm_table: the written model does not load: %s\n", loads.message().c_str());
        std::abort();
    }
    return 0;
}

} // namespace ncnn_int8::fuzz
