// ncnn2table over the calibration corpus (../shared/calibration/cases), in
// process with the fp32 engine and through the CLI: kl and aciq tables
// against the reference's with table_diff.py's rules, and the same table
// whatever the thread count (checked where it is cheap or where the
// reference itself varies: squeezenet_he aciq, inputs of different sizes).
// A case whose layer types the engine does not implement yet is skipped
// with the engine's list of missing types.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstring>

#include "calib/calibrate.h"
#include "calib/engine_runner.h"
#include "calib/list_file.h"
#include "calib_test_util.h"
#include "engine/engine.h"

namespace ncnn_int8 {
namespace {

using namespace test;

struct CorpusRun {
    std::unique_ptr<LoadedModel> model;
    Result<CalibrationOutcome> outcome = Status::failure("not run");
};

CorpusRun calibrate_case(const fs::path& dir, const std::string& method, int threads)
{
    CorpusRun run;
    run.model = load_case_model(dir);
    if (!run.model) return run;
    std::vector<std::string> args = case_args(dir);
    for (auto& a : args)
        if (a.rfind("thread=", 0) == 0) a = "thread=" + std::to_string(threads);
    args.push_back("method=" + method);
    auto options = parse_calib_options(args);
    EXPECT_TRUE(options.is_ok()) << options.status().message();
    CalibrationJob job;
    job.model = &run.model->model;
    job.bin = run.model->bin.get();
    job.bin_name = run.model->bin_name;
    job.options = options.value();
    for (const std::string& list : case_lists(dir)) {
        auto paths = parse_list_text(slurp(dir / list), list);
        EXPECT_TRUE(paths.is_ok()) << paths.status().message();
        job.list_names.push_back(list);
        job.lists.push_back(paths.value());
    }
    job.read_input = [dir](const std::string& path) -> Result<std::vector<uint8_t>> {
        const std::string bytes = slurp(dir / path);
        if (bytes.empty()) return Status::failure("cannot read " + path);
        return std::vector<uint8_t>(bytes.begin(), bytes.end());
    };
    job.make_runner = engine_runner_factory(run.model->model, *run.model->bin, run.model->bin_name);
    run.outcome = run_calibration(job);
    return run;
}

class CalibCorpus : public ::testing::TestWithParam<std::tuple<std::string, std::string>> {};

TEST_P(CalibCorpus, TableMatchesReferenceAndIgnoresThreadCount)
{
    REQUIRE_CALIBRATION_CORPUS();
    const auto& [name, method] = GetParam();
    const fs::path dir = calibration_cases_dir() / name;
    CorpusRun one = calibrate_case(dir, method, 1);
    ASSERT_TRUE(one.model);
    if (!one.outcome.is_ok() && engine::is_unsupported(one.outcome.status()))
        GTEST_SKIP() << "engine not ready for this case: " << one.outcome.status().message();
    ASSERT_TRUE(one.outcome.is_ok()) << one.outcome.status().message();
    const TableComparison c = compare_tables(one.outcome.value().table, slurp(dir / "expected" / (method + ".table")));
    std::string problems;
    for (const auto& p : c.problems) problems += "\n  " + p;
    EXPECT_TRUE(c.ok()) << name << " " << method << ": weight lines " << c.weight_identical << "/" << c.weight_lines << " identical, "
                        << c.within_1pct << "/" << c.activations << " activation scales within 1%, " << c.over_10pct << " off by > 10%"
                        << problems;
    std::printf("[ corpus   ] %s %s: weights %zu/%zu identical, activations %zu/%zu within 1%%\n", name.c_str(), method.c_str(),
                c.weight_identical, c.weight_lines, c.within_1pct, c.activations);

    if (name.rfind("oww_", 0) == 0 || (name == "squeezenet_he" && method == "aciq")) {
        CorpusRun two = calibrate_case(dir, method, 3);
        ASSERT_TRUE(two.outcome.is_ok()) << two.outcome.status().message();
        EXPECT_EQ(two.outcome.value().table, one.outcome.value().table) << "thread=3 gave another table than thread=1";
    }
}

// The CLI from the case folder with the reference's own command line
// (aciq: one pass over the inputs), table and report written.
class CalibCorpusCli : public ::testing::TestWithParam<std::string> {};

TEST_P(CalibCorpusCli, CommandLineOfTheReference)
{
    REQUIRE_CALIBRATION_CORPUS();
    const fs::path dir = calibration_cases_dir() / GetParam();
    const fs::path out = fs::temp_directory_path() / ("ncnn2table_cli_" + GetParam() + "_" + std::to_string(::getpid()));
    fs::create_directories(out);
    std::string lists;
    for (const std::string& l : case_lists(dir)) lists += (lists.empty() ? "" : ",") + l;
    std::string cmd = "cd '" + dir.string() + "' && '" + NCNN_INT8_CALIB_CLI + "' model.param model.bin " + lists + " '" + (out / "t.table").string() + "'";
    for (const std::string& a : case_args(dir)) cmd += " " + a;
    cmd += " method=aciq thread=0 'report=" + (out / "r.json").string() + "' 2>'" + (out / "stderr").string() + "'";
    // thread=0 (every core) after the case's thread=1 is refused: an option given twice
    std::string twice = cmd;
    ASSERT_NE(std::system(twice.c_str()), 0);
    EXPECT_TRUE(slurp(out / "stderr").find("option thread is given twice") != std::string::npos) << slurp(out / "stderr");
    EXPECT_FALSE(fs::exists(out / "t.table"));
    const size_t pos = cmd.find(" method=aciq thread=0");
    cmd.replace(pos, std::strlen(" method=aciq thread=0"), " method=aciq");
    ASSERT_EQ(std::system(cmd.c_str()), 0) << slurp(out / "stderr");
    const TableComparison c = compare_tables(slurp(out / "t.table"), slurp(dir / "expected" / "aciq.table"));
    EXPECT_TRUE(c.ok()) << c.within_1pct << "/" << c.activations << " within 1%; " << (c.problems.empty() ? "" : c.problems[0]);
    const std::string report = slurp(out / "r.json");
    EXPECT_TRUE(report.find("\"method\":\"aciq\"") != std::string::npos) << report.substr(0, 200);
    EXPECT_TRUE(report.find("\"clipped_share\"") != std::string::npos);
    if (GetParam() == "oww_melspectrogram")
        EXPECT_TRUE(slurp(out / "stderr").find("prints as 0.000000") != std::string::npos) << slurp(out / "stderr");
    fs::remove_all(out);
}

INSTANTIATE_TEST_SUITE_P(Cases, CalibCorpusCli, ::testing::ValuesIn(calibration_case_names()));

INSTANTIATE_TEST_SUITE_P(Cases, CalibCorpus,
                         ::testing::Combine(::testing::ValuesIn(calibration_case_names()), ::testing::Values("kl", "aciq")),
                         [](const auto& info) { return std::get<0>(info.param) + "_" + std::get<1>(info.param); });

} // namespace
} // namespace ncnn_int8
