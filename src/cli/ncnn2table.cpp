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
#include "core/byte_io.h"
#include "core/diagnostics.h"
#include "engine/engine.h"
#include "model/model.h"
#include "model/param_file.h"
#include "ncnn_int8.h"

namespace {

const char kUsage[] =
    "usage: ncnn2table IN.param IN.bin LIST[,LIST...] OUT.table [key=value...]\n"
    "       ncnn2table IN.param IN.bin OUT.table [key=value...]   (weight-only table)\n"
    "\n"
    "Makes the int8 calibration table for ncnn2int8 as ncnn's ncnn2table does:\n"
    "runs the fp32 model on every input listed (one list per Input layer, one\n"
    "path per line; line k of every list is one sample).\n"
    "\n"
    "  mean=[104.0,117.0,123.0],...   per input, images only\n"
    "  norm=[1.0,1.0,1.0],...         per input, images only (0 is refused)\n"
    "  shape=[224,224,3],...          images [w,h(,c)]: [0,0] keeps the size, [w,0] / [0,h]\n"
    "                                 keep the aspect ratio; npy: the array shape reversed\n"
    "  pixel=RGB/BGR/GRAY/RGBA/BGRA,...  the model's pixel order (images are read as BGR)\n"
    "  thread=N                       worker threads (0: every core; the table does not change)\n"
    "  method=kl/aciq                 (eq is not implemented)\n"
    "  type=0/1                       0: images (JPEG, PNG, BMP, PNM), 1: float32 .npy\n"
    "  precision=full                 write scales with %.9g instead of %f\n"
    "  report=FILE.json               per blob absmax, threshold, scale, share clipped; times\n"
    "\n"
    "  --layers   the layer types the fp32 engine runs\n"
    "  --help, --version\n";

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
    std::vector<std::string> args;
    for (int i = 1; i < argc; i++) {
        const std::string a = argv[i];
        if (a == "--help" || a == "-h") {
            std::fputs(kUsage, stdout);
            return 0;
        }
        if (a == "--layers") {
            for (const std::string& t : engine::supported_layer_types()) std::printf("%s\n", t.c_str());
            return 0;
        }
        if (a == "--version") {
            std::printf("ncnn2table (ncnn-int8) %s\n", kVersion);
            return 0;
        }
        if (!a.empty() && a[0] == '-') {
            std::fprintf(stderr, "ncnn2table: error: unknown option %s\n%s", a.c_str(), kUsage);
            return 2;
        }
        args.push_back(a);
    }
    if (args.size() < 3) {
        std::fputs(kUsage, stderr);
        return 2;
    }
    // The reference's rule: a 4th argument with '=' (or none) means no lists.
    const std::string param_path = args[0], bin_path = args[1];
    std::string list_arg, table_path;
    size_t kv_start;
    if (args.size() >= 4 && args[3].find('=') == std::string::npos) {
        list_arg = args[2];
        table_path = args[3];
        kv_start = 4;
    } else {
        table_path = args[2];
        kv_start = 3;
    }
    if (table_path.find('=') != std::string::npos) return fail("the output table '" + table_path + "' looks like a key=value option\n" + kUsage);

    auto options = parse_calib_options(std::vector<std::string>(args.begin() + static_cast<long>(kv_start), args.end()));
    if (!options.is_ok()) return fail(options.status().message());

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
    job.options = options.value();
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
        if (p.done == p.total || p.done % 10 == 0) std::fprintf(stderr, "%s %zu / %zu\n", p.stage, p.done, p.total);
        return true;
    };

    auto outcome = run_calibration(job);
    if (!outcome.is_ok()) return fail(outcome.status().message());
    for (const BlobSummary& b : outcome.value().blobs)
        std::fprintf(stderr, "%-40s : max = %-15f  threshold = %-15f  scale = %-15f  clipped = %.4f%%\n", b.layer.c_str(), b.absmax, b.threshold,
                     b.scale, b.clipped_share * 100);
    for (const Warning& w : outcome.value().diagnostics.warnings())
        std::fprintf(stderr, "ncnn2table: warning: %s%s%s\n", w.layer.c_str(), w.layer.empty() ? "" : ": ", w.message.c_str());

    std::string error;
    if (!job.options.report_path.empty() && !write_file(job.options.report_path, outcome.value().report_json, error)) return fail(error);
    if (!write_file(table_path, outcome.value().table, error)) return fail(error);
    std::fprintf(stderr, "ncnn2table: wrote %s\n", table_path.c_str());
    return 0;
}
