// Data-driven conformance over the LLM corpus (../shared/llm, MANIFEST.tsv):
// every case in-process and through the ncnnllm2table / ncnnllm2int
// executables, byte for byte against the reference's outputs; refused tables
// refused with the reference's message, exit 255 and no output file.
// Without the corpus the cases are skipped, except under CI=true where that fails.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "llm_test_util.h"

namespace ncnn_int8 {
namespace {

namespace fs = std::filesystem;

const char kMissing[] = "llm_corpus_not_found";

fs::path corpus() { return fs::path(NCNN_INT8_LLM_CORPUS_DIR); }

struct LlmCase {
    std::string name, model, bin, kind, args, expect;
};

std::vector<LlmCase> read_cases()
{
    std::vector<LlmCase> out;
    std::ifstream in(corpus() / "MANIFEST.tsv");
    std::string line;
    bool header = true;
    while (std::getline(in, line)) {
        if (header || line.empty()) {
            header = false;
            continue;
        }
        std::vector<std::string> cols;
        std::stringstream ss(line);
        std::string col;
        while (std::getline(ss, col, '\t')) cols.push_back(col);
        if (cols.size() < 7) continue;
        out.push_back({cols[0], cols[1], cols[2], cols[3], cols[4], cols[6]});
    }
    return out;
}

std::vector<std::string> case_names()
{
    std::vector<std::string> names;
    for (const LlmCase& c : read_cases()) names.push_back(c.name);
    if (names.empty()) names.push_back(kMissing);
    return names;
}

LlmCase find_case(const std::string& name)
{
    for (const LlmCase& c : read_cases())
        if (c.name == name) return c;
    return {};
}

std::string read_file(const fs::path& p)
{
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<uint8_t> read_bytes(const fs::path& p)
{
    const std::string s = read_file(p);
    return std::vector<uint8_t>(s.begin(), s.end());
}

LlmOptions options_of(const std::string& args)
{
    LlmOptions o;
    std::stringstream ss(args);
    std::string kv;
    while (ss >> kv) {
        const size_t eq = kv.find('=');
        const std::string k = kv.substr(0, eq), v = kv.substr(eq + 1);
        if (k == "method")
            o.method = v;
        else if (k == "bits")
            o.bits = std::stoi(v);
        else if (k == "block")
            o.block = std::stoi(v);
    }
    return o;
}

// The reference's last stderr line: the reason it refused.
std::string refusal_of(const fs::path& dir)
{
    std::string text = read_file(dir / "expected.stderr");
    while (!text.empty() && text.back() == '\n') text.pop_back();
    return text.substr(text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1);
}

bool corpus_present(const std::string& name)
{
    if (name != kMissing) return true;
    const char* ci = std::getenv("CI");
    if (ci && std::string(ci) == "true") ADD_FAILURE() << "LLM corpus missing at " << corpus() << " and CI=true";
    return false;
}

#define SKIP_WITHOUT_LLM_CORPUS(name) \
    if (!corpus_present(name)) GTEST_SKIP() << "LLM corpus not found at " << corpus().string() << " (expected <source>/../shared/llm)"

struct CaseFiles {
    LlmCase info;
    fs::path dir;
    std::string param;
    std::vector<uint8_t> bin;
    fs::path table; // the table ncnnllm2int reads
};

CaseFiles load_case(const std::string& name)
{
    CaseFiles f;
    f.info = find_case(name);
    f.dir = corpus() / "cases" / name;
    f.param = read_file(corpus() / "models" / (f.info.model + ".param"));
    f.bin = read_bytes(corpus() / "models" / (f.info.bin + ".bin"));
    f.table = f.dir / (f.info.kind == "edit" ? "input.llm.table" : "expected.llm.table");
    return f;
}

class LlmConformance : public ::testing::TestWithParam<std::string> {};

TEST_P(LlmConformance, InProcessByteIdentical)
{
    SKIP_WITHOUT_LLM_CORPUS(GetParam());
    const CaseFiles f = load_case(GetParam());
    const LlmOptions options = options_of(f.info.args);
    if (f.info.kind == "std") {
        const test::LlmRun table = test::llm_table_in_memory(f.param, f.bin, options);
        ASSERT_TRUE(table.ok) << table.error;
        EXPECT_TRUE(table.text == read_file(f.dir / "expected.llm.table")) << "expected.llm.table differs";
        const test::LlmRun direct = test::llm_quantize_in_memory(f.param, f.bin, std::nullopt, options);
        ASSERT_TRUE(direct.ok) << direct.error;
        EXPECT_EQ(direct.text, read_file(f.dir / "expected.param")) << "direct form .param differs";
        EXPECT_TRUE(direct.bin == read_bytes(f.dir / "expected.bin")) << "direct form .bin differs";
        const test::LlmRun one = test::llm_table_and_quantize_in_memory(f.param, f.bin, options);
        ASSERT_TRUE(one.ok) << one.error;
        EXPECT_TRUE(one.table == read_file(f.dir / "expected.llm.table")) << "one pass: expected.llm.table differs";
        EXPECT_EQ(one.text, read_file(f.dir / "expected.param")) << "one pass: .param differs";
        EXPECT_TRUE(one.bin == read_bytes(f.dir / "expected.bin")) << "one pass: .bin differs";
    }
    std::map<std::string, std::string> files;
    for (const auto& e : fs::directory_iterator(f.dir))
        if (e.path().extension() == ".qweight") files[e.path().string()] = read_file(e.path());
    const test::LlmRun run = test::llm_quantize_in_memory(f.param, f.bin, read_file(f.table), options, f.table.string(), files);
    if (f.info.expect == "ok") {
        ASSERT_TRUE(run.ok) << run.error;
        EXPECT_EQ(run.commits, 2);
        EXPECT_EQ(run.text, read_file(f.dir / "expected.param"));
        EXPECT_TRUE(run.bin == read_bytes(f.dir / "expected.bin")) << "expected.bin differs";
    } else {
        ASSERT_FALSE(run.ok);
        EXPECT_EQ(run.commits, 0);
        EXPECT_NE(run.error.find(refusal_of(f.dir)), std::string::npos) << run.error;
        EXPECT_NE(run.error.find(f.table.string()), std::string::npos) << "the message must name the table: " << run.error;
    }
}

std::string quote(const std::string& s) { return "'" + s + "'"; }

int run_command(const std::string& cmd, std::string* output)
{
    FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
    if (!p) return -1;
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) output->append(buf, n);
    const int status = ::pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST_P(LlmConformance, CliByteIdentical)
{
    SKIP_WITHOUT_LLM_CORPUS(GetParam());
    const CaseFiles f = load_case(GetParam());
    const fs::path out = fs::temp_directory_path() / ("ncnn_int8_llm_" + std::to_string(::getpid()) + "_" + GetParam());
    fs::remove_all(out);
    fs::create_directories(out);
    const std::string model = quote((corpus() / "models" / (f.info.model + ".param")).string()) + " " + quote((corpus() / "models" / (f.info.bin + ".bin")).string());
    std::string log;
    if (f.info.kind == "std") {
        ASSERT_EQ(run_command(quote(NCNN_INT8_LLM2TABLE) + " " + model + " " + quote((out / "t.llm.table").string()) + " " + f.info.args, &log), 0) << log;
        EXPECT_TRUE(read_file(out / "t.llm.table") == read_file(f.dir / "expected.llm.table")) << "table differs";
        ASSERT_EQ(run_command(quote(NCNN_INT8_LLM2INT) + " " + model + " " + quote((out / "d.param").string()) + " " + quote((out / "d.bin").string()) + " " + f.info.args,
                              &log),
                  0)
            << log;
        EXPECT_TRUE(read_file(out / "d.param") == read_file(f.dir / "expected.param")) << "direct .param differs";
        EXPECT_TRUE(read_file(out / "d.bin") == read_file(f.dir / "expected.bin")) << "direct .bin differs";
    }
    log.clear();
    const int rc = run_command(quote(NCNN_INT8_LLM2INT) + " " + model + " " + quote((out / "e.param").string()) + " " + quote((out / "e.bin").string()) + " " + quote(f.table.string()),
                               &log);
    if (f.info.expect == "ok") {
        ASSERT_EQ(rc, 0) << log;
        EXPECT_TRUE(read_file(out / "e.param") == read_file(f.dir / "expected.param")) << ".param differs";
        EXPECT_TRUE(read_file(out / "e.bin") == read_file(f.dir / "expected.bin")) << ".bin differs";
        EXPECT_NE(log.find("quantize_"), std::string::npos) << "the reference's progress lines: " << log;
    } else {
        EXPECT_EQ(rc, 255) << log;
        EXPECT_NE(log.find(refusal_of(f.dir)), std::string::npos) << log;
        EXPECT_TRUE(fs::is_empty(out)) << "no output (not even a temp file) after a refusal";
    }
    fs::remove_all(out);
}

INSTANTIATE_TEST_SUITE_P(Corpus, LlmConformance, ::testing::ValuesIn(case_names()),
                         [](const ::testing::TestParamInfo<std::string>& i) { return i.param; });

} // namespace
} // namespace ncnn_int8
