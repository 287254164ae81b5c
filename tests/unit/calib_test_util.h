// Helpers for the calibration tests: the shared calibration corpus
// (../shared/calibration/cases), models loaded from it, tables split in lines.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "core/byte_io.h"
#include "core/diagnostics.h"
#include "model/model.h"
#include "model/param_file.h"

namespace ncnn_int8::test {

namespace fs = std::filesystem;

inline fs::path calibration_cases_dir() { return fs::path(NCNN_INT8_CALIBRATION_DIR) / "cases"; }

// The corpus must be there in CI; elsewhere its absence skips the test.
#define REQUIRE_CALIBRATION_CORPUS()                                                                        \
    do {                                                                                                    \
        if (!fs::exists(::ncnn_int8::test::calibration_cases_dir())) {                                      \
            const char* ci = std::getenv("CI");                                                             \
            if (ci && std::string(ci) == "true") FAIL() << "missing " << ::ncnn_int8::test::calibration_cases_dir(); \
            GTEST_SKIP() << "no calibration corpus at " << ::ncnn_int8::test::calibration_cases_dir();      \
        }                                                                                                   \
    } while (0)

inline std::vector<std::string> calibration_case_names()
{
    std::vector<std::string> names;
    if (fs::exists(calibration_cases_dir()))
        for (const auto& e : fs::directory_iterator(calibration_cases_dir()))
            if (e.is_directory()) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    if (names.empty()) names.push_back("corpus_not_found");
    return names;
}

inline std::string slurp(const fs::path& p)
{
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

struct LoadedModel {
    std::string param_text;
    Model model;
    std::unique_ptr<FileSource> bin;
    std::string bin_name;
};

inline std::unique_ptr<LoadedModel> load_case_model(const fs::path& dir)
{
    auto m = std::make_unique<LoadedModel>();
    m->param_text = slurp(dir / "model.param");
    auto file = read_param_text(m->param_text, "model.param");
    EXPECT_TRUE(file.is_ok()) << file.status().message();
    if (!file.is_ok()) return nullptr;
    Diagnostics diag;
    auto model = build_model(std::move(file).value(), diag);
    EXPECT_TRUE(model.is_ok()) << model.status().message();
    if (!model.is_ok()) return nullptr;
    m->model = std::move(model).value();
    m->bin_name = "model.bin";
    auto src = FileSource::open((dir / "model.bin").string());
    EXPECT_TRUE(src.is_ok()) << src.status().message();
    if (!src.is_ok()) return nullptr;
    m->bin.reset(src.value());
    return m;
}

// key -> the line's text after the key (values, each followed by a space).
inline std::map<std::string, std::string> table_lines(const std::string& text)
{
    std::map<std::string, std::string> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        const size_t sp = line.find(' ');
        if (sp == std::string::npos) continue;
        out[line.substr(0, sp)] = line.substr(sp + 1);
    }
    return out;
}

inline bool is_weight_key(const std::string& key)
{
    const size_t p = key.rfind("_param_");
    if (p == std::string::npos || p + 7 >= key.size()) return false;
    for (size_t i = p + 7; i < key.size(); i++)
        if (key[i] < '0' || key[i] > '9') return false;
    return true;
}

} // namespace ncnn_int8::test
