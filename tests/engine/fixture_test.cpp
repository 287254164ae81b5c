// The engine against the reference, blob by blob: every fixture in
// tests/engine/fixtures (written by tools/ref_blobs from the reference ncnn)
// is rebuilt (model, weights, inputs) and run; for every blob the shape
// must match, and the values must meet the conformance bar: on the sampled
// positions cosine >= 0.99999 and relative L2 <= 1e-4; the norm within
// 1e-4; the sum within the bound a relative L2 of 1e-4 allows; the absmax
// within 1e-4. Runs on the dispatcher's best Highway target and again on
// every other compiled target the CPU supports.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <dirent.h>
#include <fstream>
#include <set>

#include "core/byte_io.h"
#include "engine/engine.h"
#include "fixture_model.h"
#include "highway_targets.h"

#ifndef NCNN_INT8_SHARED_DIR
#error "NCNN_INT8_SHARED_DIR must be defined"
#endif
#ifndef NCNN_INT8_FIXTURE_DIR
#error "NCNN_INT8_FIXTURE_DIR must be defined"
#endif

namespace ncnn_int8::test {
namespace {

std::vector<std::string> fixture_names()
{
    std::vector<std::string> out;
    if (DIR* d = opendir(NCNN_INT8_FIXTURE_DIR)) {
        while (dirent* e = readdir(d)) {
            const std::string n = e->d_name;
            if (n.size() > 8 && n.compare(n.size() - 8, 8, ".fixture") == 0) out.push_back(n.substr(0, n.size() - 8));
        }
        closedir(d);
    }
    std::sort(out.begin(), out.end());
    return out;
}

struct BlobCheck {
    double cosine = 1, rel_l2 = 0;
};

void compare_blob(const FixtureBlob& ref, const engine::Tensor& t, BlobCheck& worst, const std::string& where)
{
    ASSERT_EQ(t.dims, ref.dims) << where;
    ASSERT_EQ(t.w, ref.w) << where;
    ASSERT_EQ(t.h, ref.h) << where;
    ASSERT_EQ(t.d, ref.d) << where;
    ASSERT_EQ(t.c, ref.c) << where;
    double sum = 0, sumsq = 0, absmax = 0;
    for (float v : t.data) {
        sum += v;
        sumsq += static_cast<double>(v) * v;
        absmax = std::max(absmax, static_cast<double>(std::fabs(v)));
    }
    const double n = static_cast<double>(t.data.size());
    const double norm_ref = std::sqrt(ref.sumsq), norm = std::sqrt(sumsq);
    const double floor = 1e-30;
    EXPECT_LE(std::fabs(norm - norm_ref), 1e-4 * norm_ref + floor) << where << " norm " << norm << " vs " << norm_ref;
    EXPECT_LE(std::fabs(sum - ref.sum), 1e-4 * norm_ref * std::sqrt(n) + floor) << where << " sum " << sum << " vs " << ref.sum;
    EXPECT_LE(std::fabs(absmax - ref.absmax), 1e-4 * ref.absmax + floor) << where << " absmax " << absmax << " vs " << ref.absmax;
    double dot = 0, aa = 0, bb = 0, diff = 0;
    for (const auto& [at, v] : ref.samples) {
        ASSERT_LT(at, t.data.size()) << where;
        const double a = t.data[at], b = v;
        dot += a * b;
        aa += a * a;
        bb += b * b;
        diff += (a - b) * (a - b);
    }
    if (bb > 0) {
        const double cosine = dot / std::sqrt(aa * bb), rel = std::sqrt(diff / bb);
        EXPECT_GE(cosine, 0.99999) << where;
        EXPECT_LE(rel, 1e-4) << where;
        worst.cosine = std::min(worst.cosine, cosine);
        worst.rel_l2 = std::max(worst.rel_l2, rel);
    } else {
        EXPECT_EQ(aa, 0.0) << where << ": the reference's samples are all zero";
    }
}

void run_fixture(const std::string& name)
{
    auto text = read_whole_file(std::string(NCNN_INT8_FIXTURE_DIR) + "/" + name + ".fixture");
    ASSERT_TRUE(text.is_ok()) << text.status().message();
    Fixture f;
    std::string error;
    ASSERT_TRUE(parse_fixture(text.value(), f, error)) << name << ": " << error;
    ASSERT_FALSE(f.blobs.empty()) << name;
    auto loaded = load_fixture_case(f, NCNN_INT8_SHARED_DIR, NCNN_INT8_FIXTURE_DIR);
    ASSERT_TRUE(loaded.is_ok()) << loaded.status().message();
    FixtureCase& c = loaded.value();
    // Post-processing the engine does not implement (PriorBox,
    // DetectionOutput, ...) is left out with every blob that depends on it;
    // calibration never needs those blobs.
    const std::vector<std::string> supported = engine::supported_layer_types();
    std::set<std::string> post_processing;
    for (const ModelLayer& l : c.model->layers) {
        bool tainted = !std::binary_search(supported.begin(), supported.end(), l.decl->type);
        for (const std::string& b : l.decl->bottoms) tainted = tainted || post_processing.count(b);
        if (tainted)
            for (const std::string& t : l.decl->tops) post_processing.insert(t);
    }
    std::map<std::string, const FixtureBlob*> by_name;
    std::vector<std::string> wanted;
    size_t left_out = 0;
    for (const FixtureBlob& b : f.blobs) {
        if (post_processing.count(b.name)) {
            left_out++;
            continue;
        }
        by_name[b.name] = &b;
        wanted.push_back(b.name);
    }
    MemorySource src(c.bin.data(), c.bin.size());
    auto made = engine::Engine::create(*c.model, src, "weights.bin", wanted);
    ASSERT_TRUE(made.is_ok()) << made.status().message();
    size_t seen = 0;
    BlobCheck worst;
    Status st = made.value()->run(c.inputs, {}, [&](const std::string& blob, const engine::Tensor& t) {
        compare_blob(*by_name.at(blob), t, worst, name + ": blob '" + blob + "'");
        seen++;
        return Status::ok();
    });
    ASSERT_TRUE(st.is_ok()) << st.message();
    EXPECT_EQ(seen, wanted.size());
    std::printf("[ fixture  ] %-22s %4zu blobs (%zu post-processing left out), worst sampled cosine %.9f, worst relative L2 %.3g\n", name.c_str(), seen, left_out, worst.cosine, worst.rel_l2);
}

bool shared_present()
{
    std::ifstream f(std::string(NCNN_INT8_SHARED_DIR) + "/conformance/README.md");
    return f.good();
}

class EngineFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(EngineFixture, EveryBlobMatchesTheReference)
{
    if (GetParam().empty()) GTEST_SKIP();
    if (!shared_present()) {
        const char* ci = std::getenv("CI");
        if (ci && std::string(ci) == "true") FAIL() << "the shared corpus is missing at " << NCNN_INT8_SHARED_DIR;
        GTEST_SKIP() << "no shared corpus at " << NCNN_INT8_SHARED_DIR;
    }
    run_fixture(GetParam());
}

TEST_P(EngineFixture, EveryBlobMatchesOnEveryHighwayTarget)
{
    if (GetParam().empty() || !shared_present()) GTEST_SKIP();
    for_each_target([&](int64_t) { run_fixture(GetParam()); });
}

INSTANTIATE_TEST_SUITE_P(Fixtures, EngineFixture, ::testing::ValuesIn(fixture_names()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

TEST(EngineFixtures, TheFixturesAreThere) { EXPECT_GE(fixture_names().size(), 1u) << "no fixtures in " << NCNN_INT8_FIXTURE_DIR; }

} // namespace
} // namespace ncnn_int8::test
