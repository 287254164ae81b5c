#include "model_cache.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>

#include "model_generator.h"

namespace ncnn_int8::bench {

namespace {

// Bump when the generator's output for a kind/seed changes.
constexpr int kGeneratorFormat = 1;

bool file_exists(const std::string& path)
{
    struct stat st;
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::string stamp_text(const std::string& kind, uint64_t seed)
{
    return "kind=" + kind + " seed=" + std::to_string(seed) + " format=" + std::to_string(kGeneratorFormat) + "\n";
}

bool is_current(const std::string& dir, const std::string& stamp)
{
    for (const char* f : {"/model.param", "/model.bin", "/model.table"})
        if (!file_exists(dir + f)) return false;
    std::ifstream in(dir + "/generator.stamp");
    std::stringstream text;
    text << in.rdbuf();
    return in.good() && text.str() == stamp;
}

} // namespace

Status make_directories(const std::string& path)
{
    for (size_t slash = 1; slash <= path.size(); slash++) {
        if (slash != path.size() && path[slash] != '/') continue;
        const std::string prefix = path.substr(0, slash);
        if (::mkdir(prefix.c_str(), 0777) != 0 && errno != EEXIST)
            return Status::failure("cannot create " + prefix + ": " + std::strerror(errno));
    }
    return Status::ok();
}

Result<CachedModel> ensure_model(const std::string& models_dir, const std::string& kind, uint64_t seed)
{
    CachedModel model;
    model.dir = models_dir + "/" + kind;
    const std::string stamp = stamp_text(kind, seed);
    if (is_current(model.dir, stamp)) return model;

    RETURN_IF_ERROR(make_directories(model.dir));
    ::unlink((model.dir + "/generator.stamp").c_str());
    const auto start = std::chrono::steady_clock::now();
    RETURN_IF_ERROR(generate_model(kind, model.dir, seed));
    model.generate_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    model.generated = true;
    std::ofstream out(model.dir + "/generator.stamp");
    out << stamp;
    if (!out.good()) return Status::failure("cannot write " + model.dir + "/generator.stamp");
    return model;
}

} // namespace ncnn_int8::bench
