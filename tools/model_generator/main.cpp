// ncnn_int8_make_model KIND OUT_DIR [--seed N] [--blocks N] [--layout]
// Writes OUT_DIR/model.param, model.bin and model.table (see model_generator.h).
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "model_generator.h"

namespace {

void print_usage(std::FILE* to)
{
    std::string kinds;
    for (const std::string& k : ncnn_int8::model_kinds()) kinds += (kinds.empty() ? "" : "|") + k;
    std::fprintf(to,
                 "usage: ncnn_int8_make_model KIND OUT_DIR [--seed N] [--blocks N] [--layout]\n"
                 "  KIND     %s\n"
                 "  OUT_DIR  created if missing; gets model.param, model.bin, model.table\n"
                 "  --seed N weights and scales are a function of KIND and N (default 1)\n"
                 "  --blocks N  repeated blocks of vit (default 12, ~28 MB each; 145: ~4 GB) or of a decoder\n"
                 "  --layout model.layout.json (the .bin's size and tag offsets) instead of model.bin\n",
                 kinds.c_str());
}

bool parse_seed(const char* text, uint64_t* seed)
{
    char* end = nullptr;
    errno = 0;
    const unsigned long long v = std::strtoull(text, &end, 0);
    if (errno != 0 || end == text || *end != '\0' || text[0] == '-') return false;
    *seed = v;
    return true;
}

} // namespace

int main(int argc, char** argv)
{
    std::string positional[2];
    int positional_count = 0;
    uint64_t seed = 1;
    uint64_t blocks = 0;
    bool layout_only = false;
    for (int i = 1; i < argc; i++) {
        const std::string arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            print_usage(stdout);
            return 0;
        }
        if (arg == "--seed") {
            if (i + 1 >= argc || !parse_seed(argv[i + 1], &seed)) {
                std::fprintf(stderr, "ncnn_int8_make_model: error: --seed needs a non-negative integer\n");
                return 2;
            }
            i++;
        } else if (arg == "--blocks") {
            if (i + 1 >= argc || !parse_seed(argv[i + 1], &blocks) || blocks == 0 || blocks > 10000) {
                std::fprintf(stderr, "ncnn_int8_make_model: error: --blocks needs an integer from 1 to 10000\n");
                return 2;
            }
            i++;
        } else if (arg == "--layout") {
            layout_only = true;
        } else if (positional_count < 2 && arg.compare(0, 2, "--") != 0) {
            positional[positional_count++] = arg;
        } else {
            print_usage(stderr);
            return 2;
        }
    }
    if (positional_count != 2) {
        print_usage(stderr);
        return 2;
    }
    const std::vector<std::string>& kinds = ncnn_int8::model_kinds();
    if (std::find(kinds.begin(), kinds.end(), positional[0]) == kinds.end()) {
        std::fprintf(stderr, "ncnn_int8_make_model: error: unknown model kind '%s'\n", positional[0].c_str());
        print_usage(stderr);
        return 2;
    }
    const std::string& out_dir = positional[1];
    if (::mkdir(out_dir.c_str(), 0777) != 0 && errno != EEXIST) {
        std::fprintf(stderr, "ncnn_int8_make_model: error: cannot create %s: %s\n", out_dir.c_str(), std::strerror(errno));
        return 1;
    }
    const ncnn_int8::Status status = ncnn_int8::generate_model(positional[0], out_dir, seed, int(blocks), layout_only);
    if (!status.is_ok()) {
        std::fprintf(stderr, "ncnn_int8_make_model: error: %s\n", status.message().c_str());
        return 1;
    }
    return 0;
}
