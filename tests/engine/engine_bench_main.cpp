// Milliseconds per engine forward on a fixture's model and input (to the
// last blob it computes, best of N runs), and that blob's name, for
// tools/ref_blobs/bench_engine.sh:
//
//   ncnn_int8_engine_bench FIXTURE N
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <set>

#include "core/byte_io.h"
#include "engine/engine.h"
#include "fixture_model.h"

#ifndef NCNN_INT8_SHARED_DIR
#error "NCNN_INT8_SHARED_DIR must be defined"
#endif
#ifndef NCNN_INT8_FIXTURE_DIR
#error "NCNN_INT8_FIXTURE_DIR must be defined"
#endif

using namespace ncnn_int8;

int main(int argc, char** argv)
{
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s FIXTURE N\n", argv[0]);
        return 2;
    }
    auto text = read_whole_file(argv[1]);
    test::Fixture f;
    std::string error;
    if (!text.is_ok() || !test::parse_fixture(text.value(), f, error) || f.blobs.empty()) {
        std::fprintf(stderr, "%s: %s\n", argv[1], text.is_ok() ? error.c_str() : text.status().message().c_str());
        return 1;
    }
    auto c = test::load_fixture_case(f, NCNN_INT8_SHARED_DIR, NCNN_INT8_FIXTURE_DIR);
    if (!c.is_ok()) {
        std::fprintf(stderr, "%s\n", c.status().message().c_str());
        return 1;
    }
    // The last blob the engine computes (post-processing it lacks is skipped);
    // printed for ref_blobs --time=N,BLOB.
    const std::vector<std::string> supported = engine::supported_layer_types();
    std::set<std::string> post_processing;
    std::string last;
    for (const ModelLayer& l : c.value().model->layers) {
        bool tainted = !std::binary_search(supported.begin(), supported.end(), l.decl->type);
        for (const std::string& b : l.decl->bottoms) tainted = tainted || post_processing.count(b);
        for (const std::string& t : l.decl->tops) {
            if (tainted)
                post_processing.insert(t);
            else
                last = t;
        }
    }
    MemorySource src(c.value().bin.data(), c.value().bin.size());
    auto engine = engine::Engine::create(*c.value().model, src, "weights.bin", {last});
    if (!engine.is_ok()) {
        std::fprintf(stderr, "%s\n", engine.status().message().c_str());
        return 1;
    }
    double best = 1e30;
    for (int r = 0, n = std::atoi(argv[2]); r < n; r++) {
        const auto t0 = std::chrono::steady_clock::now();
        Status st = engine.value()->run(c.value().inputs, {}, [](const std::string&, const engine::Tensor&) { return Status::ok(); });
        const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        if (!st.is_ok()) {
            std::fprintf(stderr, "%s\n", st.message().c_str());
            return 1;
        }
        best = std::min(best, ms);
    }
    std::printf("%.3f %s\n", best, last.c_str());
    return 0;
}
