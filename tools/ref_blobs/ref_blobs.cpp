// ref_blobs: writes the blob lines of an engine fixture by running the
// reference ncnn (fp32: fp16/bf16 off, packing on, light mode, one thread).
//
//   ref_blobs MODEL.param MODEL.bin HEADER > FIXTURE
//   ref_blobs MODEL.param MODEL.bin HEADER --time=N,BLOB   (benchmark:
//       prints milliseconds per forward to BLOB, best of N runs)
//
// HEADER is the fixture's first part (see tests/engine/README.md); its
// `input` lines say each input's shape and seed. The fixture is HEADER
// followed by one `blob` line per blob of the graph: shape, sum, sum of
// squares, absmax and the values at 48 fixed positions of the dense
// (unpacked, no channel padding) data.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "net.h"

#include "../../tests/engine/fixture_rng.h"

namespace {

struct InputSpec {
    std::string blob;
    int dims = 0, w = 1, h = 1, d = 1, c = 1;
    unsigned long long seed = 0;
};

ncnn::Mat make_input(const InputSpec& s)
{
    ncnn::Mat m;
    if (s.dims == 1)
        m.create(s.w);
    else if (s.dims == 2)
        m.create(s.w, s.h);
    else if (s.dims == 3)
        m.create(s.w, s.h, s.c);
    else
        m.create(s.w, s.h, s.d, s.c);
    const size_t plane = static_cast<size_t>(s.w) * s.h * s.d;
    const std::vector<float> v = ncnn_int8::fixture::symmetric_values(plane * s.c, s.seed);
    for (int q = 0; q < s.c; q++) std::memcpy(m.channel(q).data, v.data() + plane * q, plane * sizeof(float));
    return m;
}

// Dense values, channel after channel.
std::vector<float> dense(const ncnn::Mat& m)
{
    const size_t plane = static_cast<size_t>(m.w) * m.h * m.d;
    std::vector<float> v(plane * m.c);
    for (int q = 0; q < m.c; q++) std::memcpy(v.data() + plane * q, m.channel(q).data, plane * sizeof(float));
    return v;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 4 && !(argc == 5 && std::strncmp(argv[4], "--time=", 7) == 0)) {
        std::fprintf(stderr, "usage: ref_blobs MODEL.param MODEL.bin HEADER [--time=N] > FIXTURE\n");
        return 2;
    }
    const int time_runs = argc == 5 ? std::atoi(argv[4] + 7) : 0;
    const char* comma = argc == 5 ? std::strchr(argv[4], ',') : nullptr;
    const std::string time_blob = comma ? comma + 1 : "";
    std::vector<InputSpec> inputs;
    std::ifstream header(argv[3]);
    if (!header) {
        std::fprintf(stderr, "%s: cannot open\n", argv[3]);
        return 1;
    }
    std::string line;
    while (std::getline(header, line)) {
        if (!time_runs) std::cout << line << "\n";
        std::istringstream is(line);
        std::string key;
        is >> key;
        if (key != "input") continue;
        InputSpec s;
        is >> s.blob >> s.dims >> s.w >> s.h >> s.d >> s.c >> s.seed;
        if (!is) {
            std::fprintf(stderr, "%s: bad input line: %s\n", argv[3], line.c_str());
            return 1;
        }
        inputs.push_back(s);
    }

    ncnn::Net net;
    net.opt.use_fp16_storage = false;
    net.opt.use_fp16_packed = false;
    net.opt.use_fp16_arithmetic = false;
    net.opt.use_bf16_storage = false;
    net.opt.use_packing_layout = true;
    net.opt.lightmode = true;
    net.opt.num_threads = 1;
    if (net.load_param(argv[1]) != 0 || net.load_model(argv[2]) != 0) {
        std::fprintf(stderr, "cannot load %s / %s\n", argv[1], argv[2]);
        return 1;
    }
    const std::vector<ncnn::Blob>& blobs = net.blobs();
    if (time_runs > 0) {
        double best = 1e30;
        for (int r = 0; r < time_runs; r++) {
            const auto t0 = std::chrono::steady_clock::now();
            ncnn::Extractor ex = net.create_extractor();
            for (const InputSpec& s : inputs) ex.input(s.blob.c_str(), make_input(s));
            ncnn::Mat out;
            if (ex.extract(time_blob.c_str(), out) != 0) return 1;
            const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
            best = std::min(best, ms);
        }
        std::printf("%.3f\n", best);
        return 0;
    }
    for (size_t b = 0; b < blobs.size(); b++) {
        ncnn::Extractor ex = net.create_extractor();
        for (const InputSpec& s : inputs) ex.input(s.blob.c_str(), make_input(s));
        ncnn::Mat out;
        if (ex.extract(blobs[b].name.c_str(), out) != 0 || out.empty()) {
            std::fprintf(stderr, "blob %s: not computed, left out\n", blobs[b].name.c_str());
            continue;
        }
        const std::vector<float> v = dense(out);
        double sum = 0, sumsq = 0;
        float absmax = 0;
        for (float x : v) {
            sum += x;
            sumsq += static_cast<double>(x) * x;
            absmax = std::max(absmax, std::fabs(x));
        }
        const size_t k = std::min<size_t>(48, v.size());
        std::printf("blob %s %d %d %d %d %d %.17g %.17g %.9g %zu", blobs[b].name.c_str(), out.dims, out.w, out.h, out.d, out.c, sum, sumsq, absmax, k);
        ncnn_int8::fixture::Rng pick(ncnn_int8::fixture::sub_seed(0x5EED, b));
        for (size_t i = 0; i < k; i++) {
            const size_t at = i == 0 ? 0 : i == 1 ? v.size() - 1
                                                  : static_cast<size_t>(pick.next() % v.size());
            std::printf(" %zu:%.9g", at, v[at]);
        }
        std::printf("\n");
    }
    return 0;
}
