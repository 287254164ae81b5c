// ncnn2table over the calibration corpus (../shared/calibration/cases), in
// process with the fp32 engine: kl and aciq tables against the reference's
// with table_diff.py's rules, and the same table whatever the thread count.
// A case whose layer types the engine does not implement yet is skipped
// with the engine's list of missing types.
#include <gtest/gtest.h>

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

    CorpusRun two = calibrate_case(dir, method, 3);
    ASSERT_TRUE(two.outcome.is_ok()) << two.outcome.status().message();
    EXPECT_EQ(two.outcome.value().table, one.outcome.value().table) << "thread=3 gave another table than thread=1";
}

INSTANTIATE_TEST_SUITE_P(Cases, CalibCorpus,
                         ::testing::Combine(::testing::ValuesIn(calibration_case_names()), ::testing::Values("kl", "aciq")),
                         [](const auto& info) { return std::get<0>(info.param) + "_" + std::get<1>(info.param); });

} // namespace
} // namespace ncnn_int8
