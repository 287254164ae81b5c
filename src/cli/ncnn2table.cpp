// ncnn2table IN.param IN.bin LIST[,LIST...] OUT.table key=value...
// ncnn2table IN.param IN.bin OUT.table [key=value...]   (weight-only table)
// A drop-in for ncnn's tool; see README for where it deliberately differs.
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "calib/calibrate.h"
#include "calib/engine_runner.h"
#include "calib/list_file.h"
#include "cli/ncnn2table_args.h"
#include "core/byte_io.h"
#include "core/diagnostics.h"
#include "engine/engine.h"
#include "model/model.h"
#include "model/param_file.h"
#include "ncnn_int8.h"

namespace {

int fail(const std::string& message)
{
    std::fprintf(stderr, "ncnn2table: error: %s\n", message.c_str());
    return 1;
}

bool write_file(const std::string& path, const std::string& text, std::string& error)
{
    auto sink = ncnn_int8::AtomicFileSink::create(path);
    if (!sink.is_ok()) {
        error = sink.status().message();
        return false;
    }
    std::unique_ptr<ncnn_int8::AtomicFileSink> owned(sink.value());
    ncnn_int8::Status s = owned->write(text.data(), text.size());
    if (s.is_ok()) s = owned->commit();
    if (!s.is_ok()) error = s.message();
    return s.is_ok();
}

} // namespace

int main(int argc, char** argv)
{
    using namespace ncnn_int8;
    std::vector<std::string> argv_list(argv + 1, argv + argc);
    const Ncnn2TableArgs args = parse_ncnn2table_args(argv_list);
    switch (args.action) {
    case Ncnn2TableArgs::Action::Help: std::fputs(kNcnn2TableUsage, stdout); return 0;
    case Ncnn2TableArgs::Action::Layers:
        for (const std::string& t : engine::supported_layer_types()) std::printf("%s\n", t.c_str());
        return 0;
    case Ncnn2TableArgs::Action::Version: std::printf("ncnn2table (ncnn-int8) %s\n", kVersion); return 0;
    case Ncnn2TableArgs::Action::Error:
        if (args.exit_code == 1) return fail(args.message);
        std::fputs(args.message.c_str(), stderr);
        return args.exit_code;
    case Ncnn2TableArgs::Action::Run: break;
    }
    const std::string& param_path = args.param_path;
    const std::string& bin_path = args.bin_path;
    const std::string& list_arg = args.list_arg;
    const std::string& table_path = args.table_path;

    auto param_text = read_whole_file(param_path);
    if (!param_text.is_ok()) return fail(param_text.status().message());
    auto file = read_param_text(param_text.value(), param_path);
    if (!file.is_ok()) return fail(file.status().message());
    Diagnostics model_diag;
    auto model = build_model(std::move(file).value(), model_diag);
    if (!model.is_ok()) return fail(model.status().message());
    for (const Warning& w : model_diag.warnings())
        std::fprintf(stderr, "ncnn2table: warning: %s: %s%s%s\n", w.where.c_str(), w.layer.c_str(), w.layer.empty() ? "" : ": ", w.message.c_str());
    auto bin = FileSource::open(bin_path);
    if (!bin.is_ok()) return fail(bin.status().message());
    std::unique_ptr<FileSource> bin_owned(bin.value());

    CalibrationJob job;
    job.model = &model.value();
    job.bin = bin_owned.get();
    job.bin_name = bin_path;
    job.options = args.options;
    for (const std::string& list : split_list_argument(list_arg)) {
        auto text = read_whole_file(list);
        if (!text.is_ok()) return fail(text.status().message());
        auto paths = parse_list_text(text.value(), list);
        if (!paths.is_ok()) return fail(paths.status().message());
        job.list_names.push_back(list);
        job.lists.push_back(std::move(paths).value());
    }
    if (!list_arg.empty() && job.lists.empty()) return fail("no list file in '" + list_arg + "'");
    job.read_input = [](const std::string& path) -> Result<std::vector<uint8_t>> {
        ASSIGN_OR_RETURN(std::string bytes, read_whole_file(path));
        return std::vector<uint8_t>(bytes.begin(), bytes.end());
    };
    job.make_runner = engine_runner_factory(model.value(), *bin_owned, bin_path);
    job.on_progress = [](const CalibProgress& p) {
        std::fputs(ncnn2table_progress_line(p).c_str(), stderr);
        return true;
    };

    auto outcome = run_calibration(job);
    if (!outcome.is_ok()) return fail(outcome.status().message());
    std::fputs(ncnn2table_summary(outcome.value()).c_str(), stderr);

    std::string error;
    if (!job.options.report_path.empty() && !write_file(job.options.report_path, outcome.value().report_json, error)) return fail(error);
    if (!write_file(table_path, outcome.value().table, error)) return fail(error);
    std::fprintf(stderr, "ncnn2table: wrote %s\n", table_path.c_str());
    return 0;
}
