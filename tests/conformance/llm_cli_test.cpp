// ncnnllm2table / ncnnllm2int as processes on a generated decoder: usage
// errors and refusals exit 255 with a message naming the option or file and
// leave no output; the table route and the direct form agree.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "model_generator.h"

namespace ncnn_int8 {
namespace {

namespace fs = std::filesystem;

struct Cli : ::testing::Test {
    static fs::path dir;
    static void SetUpTestSuite()
    {
        dir = fs::temp_directory_path() / ("ncnn_int8_llm_cli_" + std::to_string(::getpid()));
        fs::create_directories(dir / "model");
        ASSERT_TRUE(generate_model("decoder", (dir / "model").string(), 5).is_ok());
    }
    static void TearDownTestSuite() { fs::remove_all(dir); }

    fs::path out;
    void SetUp() override
    {
        out = dir / ::testing::UnitTest::GetInstance()->current_test_info()->name();
        fs::create_directories(out);
    }

    static std::string model() { return (dir / "model/model.param").string() + " " + (dir / "model/model.bin").string(); }

    int run(const std::string& tool, const std::string& args, std::string* log)
    {
        FILE* p = ::popen((tool + " " + args + " 2>&1").c_str(), "r");
        char buf[4096];
        size_t n;
        while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) log->append(buf, n);
        const int status = ::pclose(p);
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    void expect_refused(const std::string& tool, const std::string& args, const std::string& message)
    {
        std::string log;
        EXPECT_EQ(run(tool, args, &log), 255) << args << "\n"
                                              << log;
        EXPECT_NE(log.find(message), std::string::npos) << log;
        EXPECT_TRUE(fs::is_empty(out)) << "no output after a refusal: " << args;
    }
};
fs::path Cli::dir;

std::string read_file(const fs::path& p)
{
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

TEST_F(Cli, TableRefusals)
{
    const std::string t = (out / "t.llm.table").string();
    expect_refused(NCNN_INT8_LLM2TABLE, model() + " " + t + " bits=5", "unsupported bits=5 or block=64");
    expect_refused(NCNN_INT8_LLM2TABLE, model() + " " + t + " block=48", "unsupported bits=6 or block=48");
    expect_refused(NCNN_INT8_LLM2TABLE, model() + " " + t + " method=kmeans", "unsupported method=kmeans");
    expect_refused(NCNN_INT8_LLM2TABLE, model() + " " + t + " method=awq", "needs calibration data");
    expect_refused(NCNN_INT8_LLM2TABLE, model() + " calib.list " + t + " method=gptq", "not supported yet");
    expect_refused(NCNN_INT8_LLM2TABLE, model() + " " + t + " colour=red", "unrecognized arg colour");
    expect_refused(NCNN_INT8_LLM2TABLE, model() + " " + t + " thread=0", "malformed thread 0");
    expect_refused(NCNN_INT8_LLM2TABLE, model() + " " + t + " --frobnicate", "unknown option --frobnicate");
    expect_refused(NCNN_INT8_LLM2TABLE, (dir / "missing.param").string() + " x.bin " + t, "missing.param");
}

TEST_F(Cli, QuantizeRefusals)
{
    const std::string o = (out / "o.param").string() + " " + (out / "o.bin").string();
    expect_refused(NCNN_INT8_LLM2INT, model() + " " + o + " bits=four", "malformed bits=four");
    expect_refused(NCNN_INT8_LLM2INT, model() + " " + o + " bits=5", "unsupported bits=5 or block=64");
    expect_refused(NCNN_INT8_LLM2INT, model() + " " + o + " method=gptq", "method=gptq requires llm.table");
    expect_refused(NCNN_INT8_LLM2INT, model() + " " + o + " " + (dir / "none.llm.table").string(), "none.llm.table");
    std::ofstream(dir / "bad.llm.table") << "# made by hand\nb0_q_proj_param_1 bits=4 block=32 method=minmax 1 2 3\n";
    expect_refused(NCNN_INT8_LLM2INT, model() + " " + o + " " + (dir / "bad.llm.table").string(),
                   "bad.llm.table:2: b0_q_proj_param_1 coefficient count mismatch expected=512 got=3");
}

TEST_F(Cli, TableRouteEqualsDirectFormAndReportIsWritten)
{
    std::string log;
    ASSERT_EQ(run(NCNN_INT8_LLM2TABLE, model() + " " + (out / "t.llm.table").string() + " method=mseclip bits=4 block=32 thread=2", &log), 0) << log;
    EXPECT_NE(log.find("ncnn llm quant table created 14 rows"), std::string::npos) << log;
    ASSERT_EQ(run(NCNN_INT8_LLM2INT, model() + " " + (out / "a.param").string() + " " + (out / "a.bin").string() + " " + (out / "t.llm.table").string() + " --report " + (out / "r.json").string(),
                  &log),
              0)
        << log;
    ASSERT_EQ(run(NCNN_INT8_LLM2INT, model() + " " + (out / "b.param").string() + " " + (out / "b.bin").string() + " method=mseclip bits=4 block=32", &log), 0)
        << log;
    EXPECT_EQ(read_file(out / "a.param"), read_file(out / "b.param"));
    EXPECT_TRUE(read_file(out / "a.bin") == read_file(out / "b.bin"));
    const std::string report = read_file(out / "r.json");
    EXPECT_NE(report.find("\"sqnr_db\":"), std::string::npos) << report;
    EXPECT_NE(report.find("\"name\":\"b1_down_proj\""), std::string::npos) << report;
}

} // namespace
} // namespace ncnn_int8
