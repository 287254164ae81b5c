#include "calib/list_file.h"

namespace ncnn_int8 {

namespace {
constexpr size_t kMaxPathLength = 255; // the reference scans %255s

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }
} // namespace

Result<std::vector<std::string>> parse_list_text(std::string_view text, const std::string& list_name)
{
    std::vector<std::string> paths;
    size_t pos = 0;
    int line = 0;
    while (pos < text.size()) {
        line++;
        size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view l = text.substr(pos, end - pos);
        pos = end + 1;
        size_t b = 0;
        while (b < l.size() && is_space(l[b])) b++;
        size_t e = b;
        while (e < l.size() && !is_space(l[e])) e++;
        if (e == b) continue;
        if (l.find('\0') != std::string_view::npos)
            return Status::failure(list_name + ":" + std::to_string(line) + ": the line holds a NUL byte");
        if (e - b > kMaxPathLength)
            return Status::failure(list_name + ":" + std::to_string(line) + ": path longer than 255 characters");
        paths.emplace_back(l.substr(b, e - b));
    }
    if (paths.empty()) return Status::failure(list_name + ": the list names no input file");
    return paths;
}

std::vector<std::string> split_list_argument(const std::string& arg)
{
    // strtok semantics: empty pieces are dropped.
    std::vector<std::string> out;
    size_t start = 0;
    while (start <= arg.size()) {
        size_t comma = arg.find(',', start);
        if (comma == std::string::npos) comma = arg.size();
        if (comma > start) out.push_back(arg.substr(start, comma - start));
        start = comma + 1;
    }
    return out;
}

} // namespace ncnn_int8
