// A minimal float32 .npy reader for the engine tests (little-endian '<f4',
// C order, format 1.0/2.0). Shapes are returned as numpy writes them.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "core/byte_io.h"

namespace ncnn_int8::test {

struct NpyArray {
    std::vector<int> shape;
    std::vector<float> data;
};

inline bool read_npy_f32(const std::string& path, NpyArray& out, std::string& error)
{
    auto bytes = read_whole_file(path);
    if (!bytes.is_ok()) {
        error = bytes.status().message();
        return false;
    }
    const std::string& b = bytes.value();
    if (b.size() < 10 || b.compare(0, 6, "\x93NUMPY") != 0) {
        error = path + ": not a .npy file";
        return false;
    }
    const int major = static_cast<unsigned char>(b[6]);
    size_t header_len = 0, start = 0;
    if (major == 1) {
        header_len = static_cast<unsigned char>(b[8]) | (static_cast<unsigned char>(b[9]) << 8);
        start = 10;
    } else {
        uint32_t n = 0;
        std::memcpy(&n, b.data() + 8, 4);
        header_len = n;
        start = 12;
    }
    if (start + header_len > b.size()) {
        error = path + ": truncated header";
        return false;
    }
    const std::string header = b.substr(start, header_len);
    if (header.find("'<f4'") == std::string::npos || header.find("'fortran_order': False") == std::string::npos) {
        error = path + ": only little-endian float32 C-order arrays are read here";
        return false;
    }
    const size_t open = header.find('(', header.find("'shape'"));
    const size_t close = header.find(')', open);
    out.shape.clear();
    size_t count = 1;
    for (size_t i = open + 1; i < close;) {
        while (i < close && (header[i] == ' ' || header[i] == ',')) i++;
        if (i >= close) break;
        const int v = std::stoi(header.substr(i));
        out.shape.push_back(v);
        count *= static_cast<size_t>(v);
        while (i < close && header[i] != ',') i++;
    }
    const size_t data_at = start + header_len;
    if (b.size() - data_at != count * 4) {
        error = path + ": data size does not match the shape";
        return false;
    }
    out.data.resize(count);
    std::memcpy(out.data.data(), b.data() + data_at, count * 4);
    return true;
}

} // namespace ncnn_int8::test
