#include "cli/ncnn2table_args.h"

#include <cstdio>

namespace ncnn_int8 {

const char kNcnn2TableUsage[] =
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

namespace {

Ncnn2TableArgs error(int exit_code, std::string message) { return cli_error<Ncnn2TableArgs>(exit_code, std::move(message)); }

} // namespace

Ncnn2TableArgs parse_ncnn2table_args(const std::vector<std::string>& argv)
{
    Ncnn2TableArgs out;
    std::vector<std::string> args;
    for (const std::string& a : argv) {
        if (take_info_flag(a, out)) return out;
        if (a == "--layers") {
            out.action = Ncnn2TableArgs::Action::Layers;
            return out;
        }
        if (!a.empty() && a[0] == '-') return error(2, "ncnn2table: error: unknown option " + a + "\n" + kNcnn2TableUsage);
        args.push_back(a);
    }
    if (args.size() < 3) return error(2, kNcnn2TableUsage);
    // The reference's rule: a 4th argument with '=' (or none) means no lists.
    out.param_path = args[0];
    out.bin_path = args[1];
    size_t kv_start;
    if (args.size() >= 4 && args[3].find('=') == std::string::npos) {
        out.list_arg = args[2];
        out.table_path = args[3];
        kv_start = 4;
    } else {
        out.table_path = args[2];
        kv_start = 3;
    }
    if (out.table_path.find('=') != std::string::npos)
        return error(1, "the output table '" + out.table_path + "' looks like a key=value option\n" + kNcnn2TableUsage);
    auto options = parse_calib_options(std::vector<std::string>(args.begin() + static_cast<long>(kv_start), args.end()));
    if (!options.is_ok()) return error(1, options.status().message());
    out.options = std::move(options).value();
    return out;
}

std::string ncnn2table_summary(const CalibrationOutcome& outcome)
{
    std::string out;
    char line[512];
    for (const BlobSummary& b : outcome.blobs) {
        std::snprintf(line, sizeof line, "%-40s : max = %-15f  threshold = %-15f  scale = %-15f  clipped = %.4f%%\n", b.layer.c_str(), b.absmax,
                      b.threshold, b.scale, b.clipped_share * 100);
        out += line;
    }
    for (const Warning& w : outcome.diagnostics.warnings())
        out += "ncnn2table: warning: " + w.layer + (w.layer.empty() ? "" : ": ") + w.message + "\n";
    return out;
}

std::string ncnn2table_progress_line(const CalibProgress& p)
{
    if (p.done != p.total && p.done % 10 != 0) return std::string();
    return std::string(p.stage) + " " + std::to_string(p.done) + " / " + std::to_string(p.total) + "\n";
}

} // namespace ncnn_int8
