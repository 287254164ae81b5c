// Writes the first part of an engine fixture (model, weights, factors,
// inputs) and the model's .bin for tools/ref_blobs:
//
//   ncnn_int8_engine_fixture_weights MODEL SEED|file OUT.bin [BLOB=w,h,c ...]
//   ncnn_int8_engine_fixture_weights --from FIXTURE OUT.bin   (the weights
//       an existing fixture names, e.g. for the benchmark)
//
// MODEL is conformance/NAME, calibration/NAME or local/NAME. With a SEED the
// weights are He weights rescaled per layer on the fixture input (the
// factors are printed); with `file` the case's model.bin is copied. Inputs
// take their shape from the Input layer's w/h/c params unless BLOB=w,h,c
// (or BLOB=w / BLOB=w,h) gives it.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "core/byte_io.h"
#include "fixture_model.h"
#include "fixture_rng.h"
#include "he_weights.h"
#include "model/catalog/params.h"

#ifndef NCNN_INT8_SHARED_DIR
#error "NCNN_INT8_SHARED_DIR must be defined"
#endif
#ifndef NCNN_INT8_FIXTURE_DIR
#error "NCNN_INT8_FIXTURE_DIR must be defined"
#endif

using namespace ncnn_int8;

// Writes the weights an existing fixture describes.
int weights_from_fixture(const char* fixture_path, const char* out_path)
{
    auto text = read_whole_file(fixture_path);
    test::Fixture f;
    std::string error;
    if (!text.is_ok() || !test::parse_fixture(text.value(), f, error)) {
        std::fprintf(stderr, "%s: %s\n", fixture_path, text.is_ok() ? error.c_str() : text.status().message().c_str());
        return 1;
    }
    auto c = test::load_fixture_case(f, NCNN_INT8_SHARED_DIR, NCNN_INT8_FIXTURE_DIR);
    if (!c.is_ok()) {
        std::fprintf(stderr, "%s\n", c.status().message().c_str());
        return 1;
    }
    std::ofstream out(out_path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(c.value().bin.data()), static_cast<std::streamsize>(c.value().bin.size()));
    return out ? 0 : 1;
}

int main(int argc, char** argv)
{
    if (argc == 4 && std::strcmp(argv[1], "--from") == 0) return weights_from_fixture(argv[2], argv[3]);
    if (argc < 4) {
        std::fprintf(stderr, "usage: %s MODEL SEED|file OUT.bin [BLOB=w[,h[,c]] ...]\n", argv[0]);
        return 2;
    }
    test::Fixture f;
    f.model = argv[1];
    f.he = std::strcmp(argv[2], "file") != 0;
    f.he_seed = f.he ? std::strtoull(argv[2], nullptr, 10) : 0;
    auto model = test::load_model_file(test::fixture_param_path(f.model, NCNN_INT8_SHARED_DIR, NCNN_INT8_FIXTURE_DIR));
    if (!model.is_ok()) {
        std::fprintf(stderr, "%s\n", model.status().message().c_str());
        return 1;
    }
    const Model& m = *model.value();
    uint64_t index = 0;
    for (const ModelLayer& layer : m.layers) {
        if (layer.decl->type != "Input") continue;
        test::FixtureInput in;
        in.blob = layer.decl->tops.at(0);
        std::vector<int> ext = {layer.params.get(params::Input::w), layer.params.get(params::Input::h), layer.params.get(params::Input::c)};
        for (int a = 4; a < argc; a++) {
            const std::string arg = argv[a];
            if (arg.rfind(in.blob + "=", 0) != 0) continue;
            ext.assign(3, 0);
            int k = 0;
            for (const char* p = arg.c_str() + in.blob.size() + 1; *p && k < 3; k++) {
                ext[k] = std::atoi(p);
                p = std::strchr(p, ',');
                if (!p) break;
                p++;
            }
        }
        in.dims = ext[2] > 0 ? 3 : ext[1] > 0 ? 2
                                              : 1;
        in.w = ext[0];
        in.h = ext[1] > 0 ? ext[1] : 1;
        in.c = ext[2] > 0 ? ext[2] : 1;
        in.seed = fixture::sub_seed(f.he_seed ^ 0x1A2B3C, index++);
        if (in.w <= 0) {
            std::fprintf(stderr, "input %s has no shape: give %s=w,h,c\n", in.blob.c_str(), in.blob.c_str());
            return 1;
        }
        f.inputs.push_back(in);
    }
    std::vector<uint8_t> bin;
    if (f.he) {
        std::vector<engine::Tensor> inputs;
        for (const auto& in : f.inputs) inputs.push_back(test::fixture_input(in));
        auto factors = test::he_factors(m, f.he_seed, inputs);
        if (!factors.is_ok()) {
            std::fprintf(stderr, "%s\n", factors.status().message().c_str());
            return 1;
        }
        f.factors = factors.value();
        auto b = test::he_weights_bin(m, f.he_seed, f.factors);
        if (!b.is_ok()) {
            std::fprintf(stderr, "%s\n", b.status().message().c_str());
            return 1;
        }
        bin = std::move(b).value();
    } else {
        auto c = test::load_fixture_case(f, NCNN_INT8_SHARED_DIR, NCNN_INT8_FIXTURE_DIR);
        if (!c.is_ok()) {
            std::fprintf(stderr, "%s\n", c.status().message().c_str());
            return 1;
        }
        bin = std::move(c.value().bin);
    }
    std::ofstream out(argv[3], std::ios::binary);
    out.write(reinterpret_cast<const char*>(bin.data()), static_cast<std::streamsize>(bin.size()));
    if (!out) {
        std::fprintf(stderr, "%s: cannot write\n", argv[3]);
        return 1;
    }
    std::printf("model %s\n", f.model.c_str());
    if (f.he)
        std::printf("weights he %llu\n", static_cast<unsigned long long>(f.he_seed));
    else
        std::printf("weights file\n");
    for (const ModelLayer& layer : m.layers) {
        auto it = f.factors.find(layer.decl->name);
        if (it != f.factors.end()) std::printf("factor %s %a\n", it->first.c_str(), it->second);
    }
    for (const auto& in : f.inputs)
        std::printf("input %s %d %d %d %d %d %llu\n", in.blob.c_str(), in.dims, in.w, in.h, in.d, in.c, static_cast<unsigned long long>(in.seed));
    return 0;
}
