#include "fuzz_entries.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "calib/calib_options.h"
#include "calib/list_file.h"
#include "calib/npy_reader.h"
#include "cli/ncnn2table_args.h"
#include "core/byte_io.h"
#include "core/diagnostics.h"
#include "model/bin_reader.h"
#include "model/model.h"
#include "model/param_file.h"
#include "model/param_writer.h"
#include "ncnn_int8.h"
#include "quant/calibration_table.h"

namespace ncnn_int8::fuzz {

// Small sizes so one run is cheap; every quantized family, requantize fusion
// (conv -> conv, conv -> Split -> convs) and a spread of float layers with weights.
const char kBinTargetParam[] =
    "7767517\n"
    "38 48\n"
    "Input in 0 1 in 0=4 1=4 2=2\n"
    "Convolution conv1 1 1 in conv1 0=2 1=1 5=1 6=4\n"
    "ConvolutionDepthWise dw1 1 1 conv1 dw1 0=2 1=3 4=1 5=1 6=18 7=2\n"
    "Split sp 1 2 dw1 dw1_0 dw1_1\n"
    "Convolution conv2 1 1 dw1_0 conv2 0=2 1=1 5=1 6=4\n"
    "Convolution conv3 1 1 dw1_1 conv3 0=2 1=1 6=4 9=1\n"
    "BinaryOp add 2 1 conv2 conv3 add 0=0\n"
    "BatchNorm bn 1 1 add bn 0=2\n"
    "Scale sc 1 1 bn sc 0=2 1=1\n"
    "PReLU pr 1 1 sc pr 0=2\n"
    "Deconvolution dc 1 1 pr dc 0=2 1=2 3=2 5=1 6=8\n"
    "DeconvolutionDepthWise dcdw 1 1 dc dcdw 0=2 1=2 5=1 6=8 7=2\n"
    "InstanceNorm inorm 1 1 dcdw inorm 0=2\n"
    "GroupNorm gnorm 1 1 inorm gnorm 0=1 1=2\n"
    "Convolution conv_fp 1 1 gnorm conv_fp 0=2 1=1 6=4\n"
    "Pooling gap 1 1 conv_fp gap 0=1 4=1\n"
    "InnerProduct fc 1 1 gap fc 0=3 1=1 2=6\n"
    "Input seq 0 1 seq 0=4 1=3\n"
    "Split sp2 1 5 seq s0 s1 s2 s3 s4\n"
    "RNN rnn 1 1 s0 rnn 0=2 1=8\n"
    "LSTM lstm 1 1 s1 lstm 0=2 1=32\n"
    "LSTM lstm_bi 1 1 s2 lstm_bi 0=2 1=128 2=2 3=4\n"
    "GRU gru_bi 1 1 s3 gru_bi 0=2 1=48 2=2\n"
    "LayerNorm ln 1 1 s4 ln 0=4\n"
    "Convolution1D c1d 1 1 ln c1d 0=2 1=2 5=1 6=16\n"
    "Input tok 0 1 tok 0=3\n"
    "Embed embed 1 1 tok embed 0=4 1=10 2=1 3=40\n"
    "Input q 0 1 q 0=4 1=3\n"
    "Split sp3 1 2 q q0 q1\n"
    "MultiHeadAttention mha 1 1 q0 mha 0=4 1=2 2=16\n"
    "MultiHeadAttention mha_x 3 1 q1 q0x q1x mha_x 0=4 1=2 2=16 3=3 4=2\n"
    "Input mat 0 1 mat 0=4 1=2\n"
    "Split sp4 1 3 mat m0 m1 m2\n"
    "Gemm gemm_a 1 1 m0 gemm_a 2=1 4=1 7=2 9=4\n"
    "Gemm gemm_b 1 1 m1 gemm_b 5=1 6=1 8=3 9=4 10=4\n"
    "Gemm gemm_bt 1 1 m2 gemm_bt 3=1 5=1 8=3 9=4\n"
    "MemoryData md 0 1 md 0=3\n"
    "SDPA sdpa 3 1 q0x q1x md sdpa\n";

const char kBinTargetTable[] =
    "conv1_param_0 100.0 120.0\n"
    "dw1_param_0 90.0 80.0\n"
    "conv2_param_0 70.0 60.0\n"
    "conv3_param_0 50.0 40.0\n"
    "fc_param_0 30.0 20.0 10.0\n"
    "rnn_param_0 11 12\n"
    "rnn_param_1 13 14\n"
    "lstm_param_0 1 2 3 4 5 6 7 8\n"
    "lstm_param_1 8 7 6 5 4 3 2 1\n"
    "lstm_bi_param_0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32\n"
    "lstm_bi_param_1 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32\n"
    "gru_bi_param_0 1 2 3 4 5 6 7 8 9 10 11 12\n"
    "gru_bi_param_1 12 11 10 9 8 7 6 5 4 3 2 1\n"
    "embed_param_0 55.5\n"
    "mha_param_0 1 2 3 4\n"
    "mha_param_1 5 6 7 8\n"
    "mha_param_2 9 10 11 12\n"
    "mha_param_3 13\n"
    "mha_x_param_0 1 2 3 4\n"
    "mha_x_param_1 5 6 7 8\n"
    "mha_x_param_2 9 10 11 12\n"
    "mha_x_param_3 13\n"
    "conv1 10.5\n"
    "dw1 11.5\n"
    "conv2 12.5\n"
    "conv3 0.000000\n"
    "fc 14.5\n";

namespace {

[[noreturn]] void fail(const char* target, const std::string& why)
{
    std::fprintf(stderr, "%s: invariant broken: %s\n", target, why.c_str());
    std::abort();
}

// The output of a successful run must load again: parse, resolve, index.
void check_output_loads(const char* target, const std::vector<uint8_t>& param, std::vector<uint8_t>& bin)
{
    const std::string_view text(reinterpret_cast<const char*>(param.data()), param.size());
    Result<ParamFile> file = read_param_text(text, "out.param");
    if (!file.is_ok()) fail(target, "the written .param does not parse: " + file.status().message());
    Diagnostics d;
    Result<Model> model = build_model(std::move(file).value(), d);
    if (!model.is_ok()) fail(target, "the written .param does not resolve: " + model.status().message());
    MemorySource src(bin.data(), bin.size());
    Result<std::vector<LayerBlobs>> index = index_bin(model.value(), src, "out.bin");
    if (!index.is_ok()) fail(target, "the written .bin does not match the written .param: " + index.status().message());
}

void quantize_and_check(const char* target, std::string_view param, const uint8_t* bin, size_t bin_size,
                        const std::optional<std::string_view>& table)
{
    MemorySink param_out, bin_out;
    Result<Report> result = quantize_in_memory(param, bin, bin_size, table, param_out, bin_out);
    // The .bin indexed from its first tag (the page's route) must end the same way, byte for byte.
    MemorySink guessed_param, guessed_bin;
    Result<Report> guessed = quantize_in_memory(param, bin, bin_size, table, guessed_param, guessed_bin, true);
    if (guessed.is_ok() != result.is_ok()) fail(target, "indexed from the first tag, the run ends otherwise");
    if (!result.is_ok()) {
        if (result.status().message().empty()) fail(target, "an error without a message");
        if (guessed.status().message() != result.status().message()) fail(target, "indexed from the first tag, another error: " + guessed.status().message());
        return;
    }
    if (guessed_param.bytes() != param_out.bytes() || guessed_bin.bytes() != bin_out.bytes()) fail(target, "indexed from the first tag, other output");
    check_output_loads(target, param_out.bytes(), bin_out.bytes());
}

} // namespace

Result<Report> quantize_in_memory(std::string_view param, const uint8_t* bin, size_t bin_size,
                                  std::optional<std::string_view> table, MemorySink& param_out, MemorySink& bin_out, bool like_first_tag)
{
    MemorySource source(bin, bin_size);
    QuantizeRequest request;
    request.param = {"in.param", param};
    request.bin_name = "in.bin";
    request.bin = &source;
    request.index_like_first_tag = like_first_tag;
    if (table) request.table = TextInput{"in.table", *table};
    return quantize_model(request, param_out, bin_out);
}

int fuzz_param(const uint8_t* data, size_t size)
{
    if (size > kMaxInput) return 0;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    Result<ParamFile> file = read_param_text(text, "in.param");
    if (!file.is_ok()) return 0;
    Diagnostics d;
    Result<Model> model = build_model(std::move(file).value(), d);
    if (!model.is_ok()) return 0;
    // The writer's text must read back with the same layers.
    std::vector<LayerParams> params;
    for (const ModelLayer& l : model.value().layers) params.push_back(l.params);
    const std::string out = write_param_text(model.value(), params);
    Result<ParamFile> again = read_param_text(out, "out.param");
    if (!again.is_ok()) fail("fuzz_param", "the written .param does not parse: " + again.status().message());
    if (again.value().layers.size() != model.value().layers.size()) fail("fuzz_param", "the written .param has a different layer count");
    Diagnostics d2;
    Result<Model> model2 = build_model(std::move(again).value(), d2);
    if (!model2.is_ok()) fail("fuzz_param", "the written .param does not resolve: " + model2.status().message());
    return 0;
}

int fuzz_table(const uint8_t* data, size_t size)
{
    if (size > kMaxInput) return 0;
    Diagnostics d;
    Result<CalibrationTable> table = read_calibration_table(std::string_view(reinterpret_cast<const char*>(data), size), "in.table", d);
    (void)table;
    return 0;
}

int fuzz_bin(const uint8_t* data, size_t size)
{
    if (size > kMaxInput) return 0;
    quantize_and_check("fuzz_bin", kBinTargetParam, data, size, std::string_view(kBinTargetTable));
    return 0;
}

namespace {
constexpr std::string_view kBinSep("\0\0BIN\0\0", 7);
constexpr std::string_view kTableSep("\0\0TBL\0\0", 7);
} // namespace

PipelineParts split_pipeline(const uint8_t* data, size_t size)
{
    const std::string_view all(reinterpret_cast<const char*>(data), size);
    PipelineParts parts;
    const size_t b = all.find(kBinSep);
    if (b == std::string_view::npos) {
        parts.param = all;
        return parts;
    }
    parts.param = all.substr(0, b);
    std::string_view rest = all.substr(b + kBinSep.size());
    const size_t t = rest.rfind(kTableSep);
    if (t != std::string_view::npos) {
        parts.table = rest.substr(t + kTableSep.size());
        rest = rest.substr(0, t);
    }
    parts.bin = rest;
    return parts;
}

std::string join_pipeline(std::string_view param, std::string_view bin, const std::string* table)
{
    std::string out(param);
    out += kBinSep;
    out += bin;
    if (table) {
        out += kTableSep;
        out += *table;
    }
    return out;
}

int fuzz_pipeline(const uint8_t* data, size_t size)
{
    if (size > kMaxInput) return 0;
    const PipelineParts parts = split_pipeline(data, size);
    quantize_and_check("fuzz_pipeline", parts.param, reinterpret_cast<const uint8_t*>(parts.bin.data()), parts.bin.size(), parts.table);
    return 0;
}

int fuzz_npy(const uint8_t* data, size_t size)
{
    if (size > kMaxInput) return 0;
    auto a = parse_npy(data, size, "in.npy", uint64_t(1) << 22);
    if (!a.is_ok()) return 0;
    uint64_t count = 1;
    for (uint64_t d : a.value().shape) count *= d;
    if (count != a.value().data.size()) std::abort(); // the reader's element count must match its header
    // the shape option that matches, and one that does not
    std::vector<int> shape;
    for (size_t i = a.value().shape.size(); i-- > 0;) shape.push_back(static_cast<int>(std::min<uint64_t>(a.value().shape[i], 1 << 30)));
    (void)check_npy_shape(a.value(), shape, "in.npy");
    shape.push_back(1);
    if (check_npy_shape(a.value(), shape, "in.npy").is_ok()) std::abort();
    return 0;
}

int fuzz_calib_options(const uint8_t* data, size_t size)
{
    if (size > kMaxInput) return 0;
    const std::string text(reinterpret_cast<const char*>(data), size);
    std::vector<std::string> args;
    size_t start = 0;
    while (start <= text.size()) {
        size_t end = text.find('\0', start);
        if (end == std::string::npos) end = text.size();
        args.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    auto o = parse_calib_options(args);
    if (o.is_ok())
        for (size_t inputs = 0; inputs < 3; inputs++) (void)check_calib_options(o.value(), inputs, true);
    (void)parse_list_text(text, "in.txt");
    (void)split_list_argument(text);
    // the whole command line, as ncnn2table and `npx ncnn2table` read it
    const Ncnn2TableArgs a = parse_ncnn2table_args(args);
    if (a.action == Ncnn2TableArgs::Action::Error && a.exit_code != 1 && a.exit_code != 2) std::abort();
    return 0;
}

int run_target(std::string_view target, const uint8_t* data, size_t size)
{
    if (target == "fuzz_npy") return fuzz_npy(data, size);
    if (target == "fuzz_calib_options") return fuzz_calib_options(data, size);
    if (target == "fuzz_param") return fuzz_param(data, size);
    if (target == "fuzz_table") return fuzz_table(data, size);
    if (target == "fuzz_bin") return fuzz_bin(data, size);
    if (target == "fuzz_pipeline") return fuzz_pipeline(data, size);
    if (target == "fuzz_llm_table") return fuzz_llm_table(data, size);
    return -1;
}

} // namespace ncnn_int8::fuzz
