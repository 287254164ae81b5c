// Helpers for the calibration tests: the shared calibration corpus
// (../shared/calibration/cases), models loaded from it, tables split in lines.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
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
#define REQUIRE_CALIBRATION_CORPUS()                                                                                 \
    do {                                                                                                             \
        if (!fs::exists(::ncnn_int8::test::calibration_cases_dir())) {                                               \
            const char* ci = std::getenv("CI");                                                                      \
            if (ci && std::string(ci) == "true") FAIL() << "missing " << ::ncnn_int8::test::calibration_cases_dir(); \
            GTEST_SKIP() << "no calibration corpus at " << ::ncnn_int8::test::calibration_cases_dir();               \
        }                                                                                                            \
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

namespace ncnn_int8::test {

// The corpus's table_diff.py rules: weight lines identical (as text), no
// key missing or extra, >= 98 % of activation scales within 1 % of the
// expected ones and none off by more than 10 %.
struct TableComparison {
    size_t weight_lines = 0, weight_identical = 0;
    size_t activations = 0, within_1pct = 0, over_10pct = 0;
    std::vector<std::string> problems;
    bool ok() const
    {
        return problems.empty() && weight_identical == weight_lines && over_10pct == 0 && within_1pct * 100 >= activations * 98;
    }
};

inline TableComparison compare_tables(const std::string& ours_text, const std::string& expected_text)
{
    TableComparison c;
    const auto ours = table_lines(ours_text);
    const auto expected = table_lines(expected_text);
    for (const auto& [key, text] : expected) {
        auto it = ours.find(key);
        if (it == ours.end()) {
            c.problems.push_back("missing " + key);
            continue;
        }
        if (is_weight_key(key)) {
            c.weight_lines++;
            if (it->second == text)
                c.weight_identical++;
            else
                c.problems.push_back("weight line " + key + " differs");
            continue;
        }
        c.activations++;
        const double e = std::strtod(text.c_str(), nullptr), o = std::strtod(it->second.c_str(), nullptr);
        const double rel = e == o ? 0.0 : (e == 0 ? 1e9 : std::fabs(o - e) / std::fabs(e));
        if (rel <= 0.01) c.within_1pct++;
        if (rel > 0.10) {
            c.over_10pct++;
            c.problems.push_back("activation " + key + ": expected " + text + "ours " + it->second);
        }
    }
    for (const auto& kv : ours)
        if (!expected.count(kv.first)) c.problems.push_back("extra " + kv.first);
    return c;
}

// The case's lists (list.txt, or list_a.txt, list_b.txt, ...) and args.txt.
inline std::vector<std::string> case_lists(const fs::path& dir)
{
    if (fs::exists(dir / "list.txt")) return {"list.txt"};
    std::vector<std::string> out;
    for (char c = 'a'; c <= 'z' && fs::exists(dir / (std::string("list_") + c + ".txt")); c++) out.push_back(std::string("list_") + c + ".txt");
    return out;
}

inline std::vector<std::string> case_args(const fs::path& dir)
{
    std::istringstream in(slurp(dir / "args.txt"));
    std::vector<std::string> out;
    for (std::string a; in >> a;) out.push_back(a);
    return out;
}

} // namespace ncnn_int8::test
