// Replays every committed fuzz regression through the same entry the fuzz
// target runs (fuzz_entries.h): REGRESSIONS_DIR/<target>/<file>. Built in the
// normal and the sanitizer builds and registered with ctest, so an input that
// once crashed keeps being checked without clang or libFuzzer.
//   ncnn_int8_fuzz_replay REGRESSIONS_DIR
#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "fuzz_entries.h"

namespace {

std::vector<std::string> list_dir(const std::string& dir)
{
    std::vector<std::string> names;
    if (DIR* d = ::opendir(dir.c_str())) {
        while (dirent* e = ::readdir(d)) {
            const std::string n = e->d_name;
            if (n != "." && n != ".." && n[0] != '.') names.push_back(n);
        }
        ::closedir(d);
    }
    std::sort(names.begin(), names.end());
    return names;
}

bool read_file(const std::string& path, std::string* out)
{
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) return false;
    out->clear();
    char buf[65536];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out->append(buf, n);
    const bool ok = !std::ferror(f);
    std::fclose(f);
    return ok;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: ncnn_int8_fuzz_replay REGRESSIONS_DIR\n");
        return 2;
    }
    const std::string root = argv[1];
    int files = 0;
    for (const std::string& target : list_dir(root)) {
        struct stat st;
        if (::stat((root + "/" + target).c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) continue;
        for (const std::string& name : list_dir(root + "/" + target)) {
            const std::string path = root + "/" + target + "/" + name;
            std::string bytes;
            if (!read_file(path, &bytes)) {
                std::fprintf(stderr, "cannot read %s\n", path.c_str());
                return 1;
            }
            std::printf("%s/%s (%zu bytes)\n", target.c_str(), name.c_str(), bytes.size());
            std::fflush(stdout);
            if (ncnn_int8::fuzz::run_target(target, reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()) < 0) {
                std::fprintf(stderr, "%s: unknown fuzz target folder %s\n", path.c_str(), target.c_str());
                return 1;
            }
            files++;
        }
    }
    if (files == 0) {
        std::fprintf(stderr, "no regression inputs under %s\n", root.c_str());
        return 1;
    }
    std::printf("%d regression inputs replayed, no crash\n", files);
    return 0;
}
