#include "cli/cli_args.h"

namespace ncnn_int8 {

const char kCliUsage[] =
    "usage: ncnn2int8 IN.param IN.bin OUT.param OUT.bin [TABLE] [--report FILE.json] [--quiet]\n"
    "\n"
    "Turns an fp32/fp16 ncnn model into an int8 one, byte for byte as ncnn's\n"
    "ncnn2int8 does. TABLE is the calibration table from ncnn2table; without it\n"
    "only Gemm and SDPA layers are quantized (models with Embed,\n"
    "MultiHeadAttention, RNN, LSTM or GRU need a table).\n"
    "\n"
    "  --report FILE  write the run's report (per layer: action, bytes) as JSON\n"
    "  --quiet        print only warnings and errors\n"
    "  --help         this text\n"
    "  --version      print the version\n";

namespace {

CliArgs error(int exit_code, std::string message) { return cli_error<CliArgs>(exit_code, std::move(message)); }

// The path with its folder resolved, so that two spellings of the same
// output file compare equal; the path itself when the folder does not exist
// (creating the output fails then anyway).
std::string resolved_path(const std::string& path, const RealDir& real_dir)
{
    const size_t slash = path.rfind('/');
    const std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/"
                                                                          : path.substr(0, slash);
    const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
    const std::optional<std::string> real = real_dir(dir);
    return real ? *real + "/" + name : path;
}

} // namespace

CliArgs parse_cli_args(const std::vector<std::string>& args, const RealDir& real_dir)
{
    CliArgs out;
    std::vector<std::string> positional;
    for (size_t i = 0; i < args.size(); i++) {
        const std::string& arg = args[i];
        if (take_info_flag(arg, out)) return out;
        if (arg == "--quiet") {
            out.quiet = true;
        } else if (arg == "--report") {
            if (i + 1 >= args.size()) return error(1, "--report needs a file name");
            out.report_path = args[++i];
        } else if (arg.size() > 2 && arg.compare(0, 2, "--") == 0) {
            return error(1, "unknown option " + arg + "\n" + kCliUsage);
        } else {
            positional.push_back(arg);
        }
    }
    if (positional.size() != 4 && positional.size() != 5) return error(2, kCliUsage);
    out.in_param = positional[0];
    out.in_bin = positional[1];
    out.out_param = positional[2];
    out.out_bin = positional[3];
    if (positional.size() == 5) out.table = positional[4];
    if (out.in_bin == "null") return error(1, "IN.bin 'null' (random weights) is not supported: give the model's weights");
    if (out.out_param == out.out_bin || resolved_path(out.out_param, real_dir) == resolved_path(out.out_bin, real_dir))
        return error(1, "OUT.param and OUT.bin are the same file: " + out.out_param);
    return out;
}

} // namespace ncnn_int8
