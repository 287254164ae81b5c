// Data-driven conformance over the shared corpus (../shared/conformance):
// every case of MANIFEST.tsv in-process (FileSource + MemorySink) and through
// the CLI binary, byte for byte; the divergent cases with divergent/check.py.
// When the corpus folder does not exist the tests are skipped.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "core/byte_io.h"
#include "ncnn_int8.h"
#include "test_util.h"

namespace ncnn_int8 {
namespace {

namespace fs = std::filesystem;

const char kMissing[] = "corpus_not_found";

fs::path corpus_dir() { return fs::path(NCNN_INT8_CONFORMANCE_DIR); }

struct CaseInfo {
    std::string name;
    bool has_table = false;
    bool expect_ok = true;
};

std::vector<CaseInfo> read_manifest(const fs::path& manifest)
{
    std::vector<CaseInfo> out;
    std::ifstream in(manifest);
    std::string line;
    bool header = true;
    while (std::getline(in, line)) {
        if (header) {
            header = false;
            continue;
        }
        if (line.empty()) continue;
        std::vector<std::string> cols;
        std::stringstream ss(line);
        std::string col;
        while (std::getline(ss, col, '\t')) cols.push_back(col);
        if (cols.size() < 3) continue;
        out.push_back({cols[0], cols[1] != "-", cols[2] == "ok"});
    }
    return out;
}

std::vector<std::string> case_names(const fs::path& manifest)
{
    std::vector<std::string> names;
    if (fs::exists(manifest))
        for (const CaseInfo& c : read_manifest(manifest)) names.push_back(c.name);
    if (names.empty()) names.push_back(kMissing);
    return names;
}

CaseInfo find_case(const fs::path& manifest, const std::string& name)
{
    for (const CaseInfo& c : read_manifest(manifest))
        if (c.name == name) return c;
    return {name, false, true};
}

std::string read_file(const fs::path& p)
{
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string as_string(const std::vector<uint8_t>& v) { return std::string(v.begin(), v.end()); }

// Index of the first differing byte, for messages.
std::string first_difference(const std::string& a, const std::string& b)
{
    size_t i = 0;
    while (i < a.size() && i < b.size() && a[i] == b[i]) i++;
    if (i == a.size() && i == b.size()) return "identical";
    return "first difference at byte " + std::to_string(i) + " (sizes " + std::to_string(a.size()) + " vs " + std::to_string(b.size()) + ")";
}

// The first differing line of two texts.
std::string first_line_difference(const std::string& a, const std::string& b)
{
    std::istringstream sa(a), sb(b);
    std::string la, lb;
    int n = 0;
    while (true) {
        const bool ga = static_cast<bool>(std::getline(sa, la)), gb = static_cast<bool>(std::getline(sb, lb));
        n++;
        if (!ga && !gb) return "identical lines";
        if (!ga || !gb || la != lb) return "line " + std::to_string(n) + ":\n  ours: " + (ga ? la : "<eof>") + "\n  want: " + (gb ? lb : "<eof>");
    }
}

struct InProcess {
    bool ok = false;
    std::string error;
    std::string param, bin;
    int commits = 0;
};

InProcess run_in_process(const fs::path& dir, bool with_table)
{
    InProcess r;
    const std::string param_path = (dir / "model.param").string();
    const std::string bin_path = (dir / "model.bin").string();
    const std::string param_text = read_file(param_path);
    std::string table_text;
    Result<FileSource*> src = FileSource::open(bin_path);
    if (!src.is_ok()) {
        r.error = src.status().message();
        return r;
    }
    std::unique_ptr<FileSource> source(src.value());
    QuantizeRequest request;
    request.param = {param_path, param_text};
    request.bin_name = bin_path;
    request.bin = source.get();
    if (with_table) {
        table_text = read_file(dir / "model.table");
        request.table = TextInput{(dir / "model.table").string(), table_text};
    }
    test::RecordingSink param_sink, bin_sink;
    Result<Report> result = quantize_model(request, param_sink, bin_sink);
    r.ok = result.is_ok();
    if (!r.ok) r.error = result.status().message();
    r.param = as_string(param_sink.bytes);
    r.bin = as_string(bin_sink.bytes);
    r.commits = param_sink.commits + bin_sink.commits;
    return r;
}

// A fresh temp folder, removed when done.
struct TempDir {
    fs::path path;
    TempDir()
    {
        std::string tmpl = (fs::temp_directory_path() / "ncnn_int8_conf_XXXXXX").string();
        std::vector<char> buf(tmpl.begin(), tmpl.end());
        buf.push_back('\0');
        if (::mkdtemp(buf.data())) path = buf.data();
    }
    ~TempDir()
    {
        std::error_code ec;
        if (!path.empty()) fs::remove_all(path, ec);
    }
};

std::string quote(const std::string& s)
{
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

struct Command {
    int exit_code = -1;
    std::string output;
};

Command run_command(const std::string& cmd)
{
    Command c;
    FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
    if (!p) return c;
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) c.output.append(buf, n);
    const int status = ::pclose(p);
    c.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return c;
}

Command run_cli(const fs::path& dir, bool with_table, const fs::path& out_dir)
{
    std::string cmd = quote(NCNN_INT8_CLI) + " " + quote((dir / "model.param").string()) + " " + quote((dir / "model.bin").string()) + " " + quote((out_dir / "out.param").string()) + " " + quote((out_dir / "out.bin").string());
    if (with_table) cmd += " " + quote((dir / "model.table").string());
    return run_command(cmd + " --quiet");
}

bool corpus_present(const std::string& name)
{
    return name != kMissing && fs::exists(corpus_dir() / "MANIFEST.tsv");
}

// In CI (CI=true) the corpus is part of the checkout's neighbourhood: its
// absence is a failure there, not a skip.
bool in_ci()
{
    const char* ci = std::getenv("CI");
    return ci && std::string(ci) == "true";
}

#define SKIP_WITHOUT_CORPUS(name)                                                                                  \
    if (!corpus_present(name)) {                                                                                   \
        if (in_ci()) GTEST_FAIL() << "CI=true but the conformance corpus is missing at " << corpus_dir().string(); \
        GTEST_SKIP() << "conformance corpus not found at " << corpus_dir().string()                                \
                     << " (expected <source>/../shared/conformance); the project's own unit tests stand alone";    \
    }

// --- the main corpus ---------------------------------------------------------------

class Conformance : public ::testing::TestWithParam<std::string> {};

TEST_P(Conformance, InProcessByteIdentical)
{
    SKIP_WITHOUT_CORPUS(GetParam());
    const fs::path dir = corpus_dir() / "cases" / GetParam();
    const CaseInfo info = find_case(corpus_dir() / "MANIFEST.tsv", GetParam());
    const InProcess r = run_in_process(dir, info.has_table);
    if (!info.expect_ok) {
        EXPECT_FALSE(r.ok) << "the reference refused this input; we must too";
        EXPECT_EQ(r.commits, 0) << "nothing may be committed on error";
        EXPECT_FALSE(r.error.empty());
        return;
    }
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_EQ(r.commits, 2);
    const std::string want_param = read_file(dir / "expected.param");
    const std::string want_bin = read_file(dir / "expected.bin");
    EXPECT_TRUE(r.param == want_param) << "expected.param differs: " << first_line_difference(r.param, want_param);
    EXPECT_TRUE(r.bin == want_bin) << "expected.bin differs: " << first_difference(r.bin, want_bin);
}

TEST_P(Conformance, CliByteIdentical)
{
    SKIP_WITHOUT_CORPUS(GetParam());
    const fs::path dir = corpus_dir() / "cases" / GetParam();
    const CaseInfo info = find_case(corpus_dir() / "MANIFEST.tsv", GetParam());
    TempDir tmp;
    ASSERT_FALSE(tmp.path.empty());
    const Command c = run_cli(dir, info.has_table, tmp.path);
    if (!info.expect_ok) {
        EXPECT_NE(c.exit_code, 0) << c.output;
        EXPECT_TRUE(fs::is_empty(tmp.path)) << "an error must leave no output files (not even temp files)";
        return;
    }
    ASSERT_EQ(c.exit_code, 0) << c.output;
    const std::string ours_param = read_file(tmp.path / "out.param");
    const std::string ours_bin = read_file(tmp.path / "out.bin");
    const std::string want_param = read_file(dir / "expected.param");
    const std::string want_bin = read_file(dir / "expected.bin");
    EXPECT_TRUE(ours_param == want_param) << first_line_difference(ours_param, want_param);
    EXPECT_TRUE(ours_bin == want_bin) << first_difference(ours_bin, want_bin);
    // only the two outputs: no temp files left behind
    size_t files = 0;
    for (const auto& e : fs::directory_iterator(tmp.path)) {
        (void)e;
        files++;
    }
    EXPECT_EQ(files, 2u);
}

INSTANTIATE_TEST_SUITE_P(Cases, Conformance, ::testing::ValuesIn(case_names(corpus_dir() / "MANIFEST.tsv")),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

// --- divergent cases -------------------------------------------------------------------

fs::path divergent_dir() { return corpus_dir() / "divergent"; }

struct CheckResult {
    int exit_code = -1;
    std::string output;
};

// Runs divergent/check.py on `param_text`.
CheckResult check_divergent(const std::string& param_text, const fs::path& case_dir)
{
    TempDir tmp;
    const fs::path ours = tmp.path / "ours.param";
    {
        std::ofstream out(ours, std::ios::binary);
        out << param_text;
    }
    const Command c = run_command(quote(NCNN_INT8_PYTHON3) + " " + quote((divergent_dir() / "check.py").string()) + " " + quote(ours.string()) + " " + quote(case_dir.string()));
    return {c.exit_code, c.output};
}

// The line of layer `name` in a .param text.
std::string layer_line(const std::string& text, const std::string& name)
{
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream tok(line);
        std::string type, n;
        tok >> type >> n;
        if (n == name) return line;
    }
    return "";
}

// check.py's verdict, with the one known defect of the shared data excused:
// layer_zoo_c_raw/kept.tsv records Flip flip_0's array param as "2,0,1" (the
// count included) while the input's -23300=2,0,1 means axes [0,1].
void expect_check_passes(const std::string& case_name, const std::string& ours_param, const CheckResult& check)
{
    if (check.exit_code == 0) return;
    if (case_name == "layer_zoo_c_raw") {
        std::istringstream in(check.output);
        std::string line;
        std::vector<std::string> complaints;
        while (std::getline(in, line))
            if (!line.empty()) complaints.push_back(line);
        ASSERT_EQ(complaints.size(), 1u) << "check.py may only complain about flip_0 param 0:\n"
                                         << check.output;
        EXPECT_NE(complaints[0].find("flip_0 must keep param 0="), std::string::npos)
            << "check.py may only complain about flip_0 param 0:\n"
            << check.output;
        EXPECT_NE(layer_line(ours_param, "flip_0").find(" -23300=2,0,1"), std::string::npos) << layer_line(ours_param, "flip_0");
        return;
    }
    ADD_FAILURE() << "check.py failed (exit " << check.exit_code << "):\n"
                  << check.output;
}

class Divergent : public ::testing::TestWithParam<std::string> {};

TEST_P(Divergent, BinIdenticalAndParamPassesCheck)
{
    SKIP_WITHOUT_CORPUS(GetParam());
    if (std::string(NCNN_INT8_PYTHON3).empty()) {
        if (in_ci()) GTEST_FAIL() << "CI=true but python3 was not found: cannot run divergent/check.py";
        GTEST_SKIP() << "python3 not found: cannot run divergent/check.py";
    }
    const fs::path dir = divergent_dir() / "cases" / GetParam();
    const CaseInfo info = find_case(divergent_dir() / "MANIFEST.tsv", GetParam());
    const InProcess r = run_in_process(dir, info.has_table);
    ASSERT_TRUE(r.ok) << r.error;
    const std::string want_bin = read_file(dir / "expected.bin");
    EXPECT_TRUE(r.bin == want_bin) << "expected.bin differs: " << first_difference(r.bin, want_bin);
    expect_check_passes(GetParam(), r.param, check_divergent(r.param, dir));
    if (GetParam() == "layer_zoo_c_raw") {
        EXPECT_NE(layer_line(r.param, "flip_0").find(" -23300=2,0,1"), std::string::npos) << layer_line(r.param, "flip_0");
    }
}

TEST_P(Divergent, CliMatchesInProcess)
{
    SKIP_WITHOUT_CORPUS(GetParam());
    const fs::path dir = divergent_dir() / "cases" / GetParam();
    const CaseInfo info = find_case(divergent_dir() / "MANIFEST.tsv", GetParam());
    const InProcess r = run_in_process(dir, info.has_table);
    ASSERT_TRUE(r.ok) << r.error;
    TempDir tmp;
    const Command c = run_cli(dir, info.has_table, tmp.path);
    ASSERT_EQ(c.exit_code, 0) << c.output;
    EXPECT_TRUE(read_file(tmp.path / "out.param") == r.param);
    EXPECT_TRUE(read_file(tmp.path / "out.bin") == read_file(dir / "expected.bin"));
}

INSTANTIATE_TEST_SUITE_P(Cases, Divergent, ::testing::ValuesIn(case_names(corpus_dir() / "divergent" / "MANIFEST.tsv")),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

// The manifest and the folders agree (so no case is silently left out).
TEST(ConformanceCorpus, ManifestListsEveryCaseFolder)
{
    SKIP_WITHOUT_CORPUS(std::string("x"));
    for (const char* sub : {"", "divergent"}) {
        const fs::path base = std::string(sub).empty() ? corpus_dir() : corpus_dir() / sub;
        std::vector<std::string> listed;
        for (const CaseInfo& c : read_manifest(base / "MANIFEST.tsv")) {
            listed.push_back(c.name);
            EXPECT_TRUE(fs::is_directory(base / "cases" / c.name)) << c.name;
            EXPECT_EQ(fs::exists(base / "cases" / c.name / "expected.param"), c.expect_ok) << c.name;
            EXPECT_EQ(fs::exists(base / "cases" / c.name / "model.table"), c.has_table) << c.name;
        }
        for (const auto& e : fs::directory_iterator(base / "cases"))
            EXPECT_NE(std::find(listed.begin(), listed.end(), e.path().filename().string()), listed.end())
                << e.path() << " is not in the manifest";
    }
}

} // namespace
} // namespace ncnn_int8
