// Writes the seed corpora for the fuzz targets: OUT_DIR/<target>/seed-*,
// from the project's model generator (sample, families, fp16) plus small
// hand-made params and tables, and .bin files for fuzz_bin's fixed model.
// Each pipeline seed is run once through quantize_model and reported, so a
// seed that no longer quantizes shows up here.
//   fuzz_make_seeds OUT_DIR
#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "core/byte_io.h"
#include "fuzz_entries.h"
#include "kernels/kernels.h"
#include "llm/llm.h"
#include "model/bin_reader.h"
#include "model/model.h"
#include "model/param_file.h"
#include "model_generator.h"
#include "ncnn_int8.h"

using namespace ncnn_int8;

namespace {

bool write_file(const std::string& path, const std::string& bytes)
{
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) return false;
    const bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
    return std::fclose(f) == 0 && ok;
}

std::string as_string(const std::vector<uint8_t>& v) { return std::string(v.begin(), v.end()); }

// Hand-made params: edge cases of the text format and of the schema.
const char* const kParamSnippets[] = {
    "7767517\n1 1\nInput data 0 1 data 0=4 1=4 2=3\n",
    "7767517\n2 2\nInput data 0 1 data\nReLU relu 1 1 data relu 0=0.1\n",
    "7767517\n2 2\nInput data 0 1 data -23330=4,3,8,8,3\nConvolution conv 1 1 data conv 0=2 1=3 4=1 6=54 -23330=4,3,8,8,2\n",
    "7767517\n2 3\nInput a 0 1 a\nSlice s 1 2 a b c -23300=2,1,-233\n",
    "7767517\n1 1\nMemoryData md 0 1 md 0=2 1=3 2=4 11=5 21=0\n",
    "7767517\n2 2\nInput in 0 1 in\nMyCustomLayer c 1 1 in out 0=1 1=2.5 2=\"some text\"\n",
    "7767517\n2 2\nInput in 0 1 in\nReshape r 1 1 in out 0=-1 1=2 2=3\n",
    "7767517\n2 2\nInput in 0 1 in\nInnerProduct fc 1 1 in fc 0=10 1=1 2=40 8=2 31=3\n",
    "7767517\n2 2\nInput in 0 1 in\nGemm g 1 1 in g 4=1 5=1 7=2 8=2 9=2 18=2\n",
    "7767517\n3 4\r\nInput in 0 1 in\r\nSplit sp 1 2 in a b  \r\nConcat cat 2 1 a b out 0=0",
    "7767517\n2 2\nInput in 0 1 in\nConvolution conv 1 1 in conv 0=2147483647 1=65535 11=65535 6=2147483647\n",
    "7767517\n2 2\nInput in 0 1 in\nPriorBox pb 1 1 in pb -23300=2,1.0,2.0 -23301=1,3.0 -23302=2,1.0,2.0 3=0.1 4=0.2 9=-233 14=0.5 15=0.5\n",
};

const char* const kTableSnippets[] = {
    "conv1_param_0 1.0 2.0 3.0\nconv1 4.5\n",
    "conv1_param_0\t1.0\t2.0\r\nconv1 0.000000 \r\n",
    "a 1\n\nb 2\n",
    "x_param_0 nan inf -inf -1 0 1e38 1e-45 0x1p3\n",
    "k 1.0",
};

uint32_t rng_state = 12345;
float next_value()
{
    rng_state = rng_state * 1103515245u + 12345u;
    return (static_cast<int>((rng_state >> 8) % 2001) - 1000) / 250.f;
}

enum class Tags { Fp32,
                  Fp16,
                  Mixed };

// A .bin for `param`: every present blob, tagged ones as `tags` says.
bool make_bin(const std::string& param, Tags tags, std::string* out)
{
    Result<ParamFile> file = read_param_text(param, "seed.param");
    if (!file.is_ok()) {
        std::fprintf(stderr, "seed param: %s\n", file.status().message().c_str());
        return false;
    }
    Diagnostics d;
    Result<Model> model = build_model(std::move(file).value(), d);
    if (!model.is_ok()) {
        std::fprintf(stderr, "seed param: %s\n", model.status().message().c_str());
        return false;
    }
    std::string bin;
    auto put = [&](const void* p, size_t n) { bin.append(static_cast<const char*>(p), n); };
    size_t k = 0;
    for (const ModelLayer& layer : model.value().layers) {
        Result<std::vector<PlannedBlob>> blobs = present_blobs(layer, layer.params, "seed.param");
        if (!blobs.is_ok()) {
            std::fprintf(stderr, "seed param: %s\n", blobs.status().message().c_str());
            return false;
        }
        for (const PlannedBlob& pb : blobs.value()) {
            if (pb.count > fuzz::kMaxInput) return false; // too big for a seed
            std::vector<float> v(pb.count);
            for (float& x : v) x = next_value();
            const bool half = pb.tagged && (tags == Tags::Fp16 || (tags == Tags::Mixed && k++ % 2));
            if (half) {
                const uint32_t tag = kTagFp16;
                put(&tag, 4);
                std::vector<uint16_t> h(v.size());
                kernels::fp32_to_fp16(v.data(), v.size(), h.data());
                put(h.data(), h.size() * 2);
                if (h.size() % 2) put("\0\0", 2);
            } else {
                if (pb.tagged) {
                    const uint32_t tag = kTagFp32;
                    put(&tag, 4);
                }
                put(v.data(), v.size() * 4);
            }
        }
    }
    *out = std::move(bin);
    return true;
}

struct Writer {
    std::string dir;
    int n = 0;
    bool add(const std::string& target, const std::string& name, const std::string& bytes)
    {
        if (bytes.size() > fuzz::kMaxInput) return true;
        const std::string sub = dir + "/" + target;
        ::mkdir(sub.c_str(), 0755);
        n++;
        return write_file(sub + "/seed-" + name, bytes);
    }
};

// Runs a pipeline seed once and says whether the whole quantization succeeded.
void report_pipeline_seed(const std::string& name, const std::string& param, const std::string& bin, const std::string* table)
{
    MemorySink p, b;
    const std::optional<std::string_view> table_text = table ? std::optional<std::string_view>(*table) : std::nullopt;
    Result<Report> r = fuzz::quantize_in_memory(param, reinterpret_cast<const uint8_t*>(bin.data()), bin.size(), table_text, p, b);
    std::printf("  pipeline seed %-24s %s\n", name.c_str(), r.is_ok() ? "quantizes" : ("refused: " + r.status().message()).c_str());
}

} // namespace

// fuzz_llm_table: the tables ncnnllm2table writes for its fixed model.
bool add_llm_seeds(Writer& w)
{
    const std::string bin = fuzz::llm_target_bin();
    bool ok = true;
    for (const char* method : {"minmax", "mseclip"})
        for (int bits : {4, 6, 8}) {
            MemorySource source(reinterpret_cast<const uint8_t*>(bin.data()), bin.size());
            MemorySink table;
            LlmTableRequest request;
            request.param = {"in.param", fuzz::kLlmTargetParam};
            request.bin_name = "in.bin";
            request.bin = &source;
            request.options.method = method;
            request.options.bits = bits;
            request.options.block = 32;
            request.options.threads = 1;
            const Status made = make_llm_table(request, table).status();
            if (!made.is_ok()) {
                std::fprintf(stderr, "fuzz_make_seeds: the LLM target model gives no table: %s\n", made.message().c_str());
                return false;
            }
            ok &= w.add("fuzz_llm_table", std::string(method) + std::to_string(bits), std::string(table.bytes().begin(), table.bytes().end()));
        }
    ok &= w.add("fuzz_llm_table", "qweight", "gemm_0_param_1 bits=4 block=32 qweight=zero.qw 1 1 1 1\n");
    return ok;
}

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: fuzz_make_seeds OUT_DIR\n");
        return 2;
    }
    Writer w{argv[1]};
    ::mkdir(w.dir.c_str(), 0755);
    bool ok = true;

    for (const char* kind : {"sample", "families", "fp16"}) {
        Result<GeneratedModel> m = generate_model_in_memory(kind, 1);
        if (!m.is_ok()) {
            std::fprintf(stderr, "generator %s: %s\n", kind, m.status().message().c_str());
            return 1;
        }
        const GeneratedModel& g = m.value();
        const std::string bin = as_string(g.bin);
        ok &= w.add("fuzz_param", kind, g.param);
        ok &= w.add("fuzz_table", kind, g.table);
        ok &= w.add("fuzz_pipeline", std::string(kind) + "-table", fuzz::join_pipeline(g.param, bin, &g.table));
        ok &= w.add("fuzz_pipeline", std::string(kind) + "-notable", fuzz::join_pipeline(g.param, bin, nullptr));
        report_pipeline_seed(std::string(kind) + "-table", g.param, bin, &g.table);
    }
    int i = 0;
    for (const char* s : kParamSnippets) ok &= w.add("fuzz_param", "snippet" + std::to_string(i++), s);
    i = 0;
    for (const char* s : kTableSnippets) ok &= w.add("fuzz_table", "snippet" + std::to_string(i++), s);
    ok &= w.add("fuzz_param", "bin-target", fuzz::kBinTargetParam);
    ok &= w.add("fuzz_table", "bin-target", fuzz::kBinTargetTable);
    ok &= add_llm_seeds(w);

    const std::string table = fuzz::kBinTargetTable;
    for (auto [tags, name] : {std::pair{Tags::Fp32, "fp32"}, std::pair{Tags::Fp16, "fp16"}, std::pair{Tags::Mixed, "mixed"}}) {
        std::string bin;
        if (!make_bin(fuzz::kBinTargetParam, tags, &bin)) return 1;
        ok &= w.add("fuzz_bin", name, bin);
        ok &= w.add("fuzz_pipeline", std::string("bin-target-") + name, fuzz::join_pipeline(fuzz::kBinTargetParam, bin, &table));
        report_pipeline_seed(std::string("bin-target-") + name, fuzz::kBinTargetParam, bin, &table);
        report_pipeline_seed(std::string("bin-target-") + name + "-notable", fuzz::kBinTargetParam, bin, nullptr);
    }
    // Small snippets with their own bins, so the pipeline starts from tiny valid models.
    i = 0;
    for (const char* s : kParamSnippets) {
        std::string bin;
        const std::string name = "snippet" + std::to_string(i++);
        if (!make_bin(s, Tags::Fp32, &bin)) continue;
        ok &= w.add("fuzz_pipeline", name, fuzz::join_pipeline(s, bin, nullptr));
    }
    // ncnn2table inputs: small valid .npy files and argument sets (NUL-separated)
    auto npy = [](const std::string& dict, size_t floats) {
        std::string header = dict;
        while ((10 + header.size() + 1) % 16) header += ' ';
        header += '\n';
        std::string b = std::string("\x93NUMPY\x01\x00", 8);
        b += static_cast<char>(header.size() & 0xff);
        b += static_cast<char>(header.size() >> 8);
        b += header;
        for (size_t k = 0; k < floats; k++) {
            const float f = static_cast<float>(k) - 1.5f;
            b.append(reinterpret_cast<const char*>(&f), 4);
        }
        return b;
    };
    ok &= w.add("fuzz_npy", "2d", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }", 12));
    ok &= w.add("fuzz_npy", "1d", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (5,), }", 5));
    ok &= w.add("fuzz_npy", "4d", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2, 1, 2), }", 4));
    // arguments separated by '|' here, by NUL in the seed
    const char* const option_sets[] = {
        "mean=[104,117,123]|norm=[1,1,1]|shape=[227,0,3]|pixel=BGR|thread=1|method=kl",
        "mean=[123.675,116.28,103.53]|norm=[0.01712475,0.017507,0.01742919]|shape=[224,224,3]|pixel=RGB|method=aciq",
        "shape=[96,16],[96,16]|type=1|thread=2|precision=full|report=r.json",
        "list/a.png\n\n  b.png extra\r\nc.npy",
    };
    i = 0;
    for (const char* o : option_sets) {
        std::string seed = o;
        std::replace(seed.begin(), seed.end(), '|', '\0');
        ok &= w.add("fuzz_calib_options", "set" + std::to_string(i++), seed);
    }
    if (!ok) {
        std::fprintf(stderr, "fuzz_make_seeds: cannot write to %s\n", w.dir.c_str());
        return 1;
    }
    std::printf("fuzz_make_seeds: %d seeds in %s\n", w.n, w.dir.c_str());
    return 0;
}
