#include "bench_options.h"

#include <cstdlib>

namespace ncnn_int8::bench {

const char kBenchUsage[] =
    "usage: ncnn_int8_bench [--models DIR] [--only vit|cnn] [--repeats N] [--json FILE] [--seed N]\n"
    "\n"
    "Generates the vit (~345 MB) and cnn (~100 MB) fp32 models into DIR (kept\n"
    "and reused when already there), then for each model measures the I/O\n"
    "bound (read + write of the .bin, memcpy), end-to-end quantize_model from\n"
    "file (in a forked child per repeat) and the child's peak RSS. Prints a\n"
    "table; --json also writes it as JSON. Medians of N repeats (default 3).\n"
    "\n"
    "  --models DIR  default: $TMPDIR/ncnn_int8_bench_models (or /tmp/...)\n";

namespace {

bool parse_positive(const std::string& text, long max, long* out)
{
    char* end = nullptr;
    const long v = std::strtol(text.c_str(), &end, 10);
    if (end == text.c_str() || *end != '\0' || v <= 0 || v > max) return false;
    *out = v;
    return true;
}

std::string default_models_dir()
{
    const char* tmp = std::getenv("TMPDIR");
    return std::string(tmp && *tmp ? tmp : "/tmp") + "/ncnn_int8_bench_models";
}

} // namespace

Result<BenchOptions> parse_bench_options(int argc, char** argv)
{
    BenchOptions options;
    options.models_dir = default_models_dir();
    for (int i = 1; i < argc; i++) {
        const std::string arg = argv[i];
        auto value = [&]() -> Result<std::string> {
            if (i + 1 >= argc) return Status::failure(arg + " needs a value");
            return std::string(argv[++i]);
        };
        if (arg == "--help" || arg == "-h") {
            options.help = true;
        } else if (arg == "--models") {
            ASSIGN_OR_RETURN(options.models_dir, value());
        } else if (arg == "--json") {
            ASSIGN_OR_RETURN(options.json_path, value());
        } else if (arg == "--only") {
            ASSIGN_OR_RETURN(std::string kind, value());
            if (kind != "vit" && kind != "cnn") return Status::failure("--only takes vit or cnn, not '" + kind + "'");
            options.kinds = {kind};
        } else if (arg == "--repeats") {
            ASSIGN_OR_RETURN(std::string text, value());
            long n = 0;
            if (!parse_positive(text, 1000, &n)) return Status::failure("--repeats takes a number from 1 to 1000");
            options.repeats = int(n);
        } else if (arg == "--seed") {
            ASSIGN_OR_RETURN(std::string text, value());
            long n = 0;
            if (!parse_positive(text, 1L << 30, &n)) return Status::failure("--seed takes a positive number");
            options.seed = uint64_t(n);
        } else {
            return Status::failure("unknown argument '" + arg + "'");
        }
    }
    return options;
}

} // namespace ncnn_int8::bench
