// The engine against the reference on real models: for every npy case of
// ../shared/calibration, the absmax over all calibration inputs of each
// calibrated layer's bottom blob (as ncnn2table reads it: per channel, w*h
// values) must match the `max = ...` the reference printed (expected/kl.log,
// written with %f) within a relative 1e-5 (or 2e-6 absolute for tiny values).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include "core/byte_io.h"
#include "engine/engine.h"
#include "model/model.h"
#include "model/param_file.h"
#include "npy_for_tests.h"

#ifndef NCNN_INT8_CALIBRATION_DIR
#error "NCNN_INT8_CALIBRATION_DIR must be defined"
#endif

namespace ncnn_int8::test {
namespace {

using engine::Engine;
using engine::Tensor;

std::string case_dir(const std::string& name) { return std::string(NCNN_INT8_CALIBRATION_DIR) + "/cases/" + name; }

bool corpus_present()
{
    std::ifstream f(std::string(NCNN_INT8_CALIBRATION_DIR) + "/README.md");
    return f.good();
}

std::vector<std::string> lines_of(const std::string& path)
{
    std::vector<std::string> out;
    std::ifstream f(path);
    std::string line;
    while (std::getline(f, line)) {
        std::istringstream is(line);
        std::string first;
        if (is >> first) out.push_back(first);
    }
    return out;
}

// "name : max = 1.23  threshold = ..." lines of a reference log.
std::map<std::string, double> reference_max(const std::string& log)
{
    std::map<std::string, double> out;
    std::ifstream f(log);
    std::string line;
    while (std::getline(f, line)) {
        const size_t colon = line.find(" : max = ");
        if (colon == std::string::npos) continue;
        std::string name = line.substr(0, colon);
        name.erase(name.find_last_not_of(' ') + 1);
        out[name] = std::stod(line.substr(colon + 9));
    }
    return out;
}

// ncnn2table's read: per channel, the first w*h values.
float absmax_as_ncnn2table(const Tensor& t)
{
    float m = 0.f;
    const size_t size = static_cast<size_t>(t.w) * t.h;
    for (int q = 0; q < t.c; q++) {
        const float* p = t.channel(q);
        for (size_t i = 0; i < size; i++) m = std::max(m, std::fabs(p[i]));
    }
    return m;
}

// numpy (h, w) / (n,) / (c, h, w) -> ncnn Mat axes.
Tensor tensor_from_npy(const NpyArray& a)
{
    Tensor t;
    const auto& s = a.shape;
    if (s.size() == 1)
        t = Tensor::make1(s[0]);
    else if (s.size() == 2)
        t = Tensor::make2(s[1], s[0]);
    else
        t = Tensor::make3(s[2], s[1], s[0]);
    t.data.assign(a.data.begin(), a.data.end());
    return t;
}

void check_case(const std::string& name, const std::vector<std::string>& lists)
{
    const std::string dir = case_dir(name);
    auto text = read_whole_file(dir + "/model.param");
    ASSERT_TRUE(text.is_ok()) << text.status().message();
    auto file = read_param_text(text.value(), dir + "/model.param");
    ASSERT_TRUE(file.is_ok()) << file.status().message();
    Diagnostics diag;
    auto model = build_model(std::move(file).value(), diag);
    ASSERT_TRUE(model.is_ok()) << model.status().message();

    // Calibrated layers: their bottom blob.
    std::map<std::string, std::string> layer_of_blob;
    std::vector<std::string> wanted;
    for (const ModelLayer& l : model.value().layers) {
        const std::string& t = l.decl->type;
        if (t == "Convolution" || t == "ConvolutionDepthWise" || t == "InnerProduct") {
            layer_of_blob[l.decl->bottoms[0]] = l.decl->name;
            wanted.push_back(l.decl->bottoms[0]);
        }
    }
    auto src = FileSource::open(dir + "/model.bin");
    ASSERT_TRUE(src.is_ok()) << src.status().message();
    std::unique_ptr<FileSource> bin(src.value());
    auto made = Engine::create(model.value(), *bin, dir + "/model.bin", wanted);
    ASSERT_TRUE(made.is_ok()) << made.status().message();
    std::unique_ptr<Engine> engine = std::move(made).value();

    std::vector<std::vector<std::string>> files;
    for (const std::string& l : lists) files.push_back(lines_of(dir + "/" + l));
    ASSERT_FALSE(files[0].empty());
    std::map<std::string, float> absmax;
    for (size_t i = 0; i < files[0].size(); i++) {
        std::vector<Tensor> inputs;
        for (const auto& list : files) {
            NpyArray a;
            std::string err;
            ASSERT_TRUE(read_npy_f32(dir + "/" + list[i], a, err)) << err;
            inputs.push_back(tensor_from_npy(a));
        }
        Status st = engine->run(inputs, {}, [&](const std::string& blob, const Tensor& t) {
            float& m = absmax[layer_of_blob[blob]];
            m = std::max(m, absmax_as_ncnn2table(t));
            return Status::ok();
        });
        ASSERT_TRUE(st.is_ok()) << st.message();
    }
    const std::map<std::string, double> ref = reference_max(dir + "/expected/kl.log");
    ASSERT_EQ(ref.size(), layer_of_blob.size());
    for (const auto& [layer, expected] : ref) {
        ASSERT_TRUE(absmax.count(layer)) << layer;
        const double got = absmax[layer];
        const double tol = std::max(1e-5 * std::fabs(expected), 2e-6);
        EXPECT_NEAR(got, expected, tol) << name << ": " << layer;
        std::printf("[ absmax   ] %s %-36s ours %.6f reference %.6f rel %.2e\n", name.c_str(), layer.c_str(), got, expected,
                    expected != 0 ? std::fabs(got - expected) / std::fabs(expected) : 0.0);
    }
}

class CalibrationCorpus : public ::testing::Test {
protected:
    void SetUp() override
    {
        if (corpus_present()) return;
        const char* ci = std::getenv("CI");
        if (ci && std::string(ci) == "true") FAIL() << "the calibration corpus is missing at " << NCNN_INT8_CALIBRATION_DIR;
        GTEST_SKIP() << "no calibration corpus at " << NCNN_INT8_CALIBRATION_DIR;
    }
};

TEST_F(CalibrationCorpus, HelloDeepaAbsmaxMatchesReference) { check_case("oww_hello_deepa", {"list.txt"}); }
TEST_F(CalibrationCorpus, AlexaRhasspyTwoInputsAbsmaxMatchesReference) { check_case("oww_alexa_rhasspy", {"list_a.txt", "list_b.txt"}); }
TEST_F(CalibrationCorpus, MelspectrogramAbsmaxMatchesReference) { check_case("oww_melspectrogram", {"list.txt"}); }

} // namespace
} // namespace ncnn_int8::test
