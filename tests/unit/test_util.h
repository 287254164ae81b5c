// Shared helpers for the unit tests: build .bin bytes, run quantize_model in
// memory with sinks that record commit(), and walk the output .bin.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/byte_io.h"
#include "kernels/scalar_reference.h"
#include "model/bin_reader.h"
#include "model/model.h"
#include "model/param_file.h"
#include "ncnn_int8.h"

namespace ncnn_int8::test {

inline bool contains(const std::string& haystack, const std::string& needle)
{
    return haystack.find(needle) != std::string::npos;
}

// Writes .bin bytes the way ncnn stores them.
class BinBuilder {
public:
    BinBuilder& u32(uint32_t v) { return put(&v, 4); }
    // Tagged fp32 blob: tag 0 then the values.
    BinBuilder& fp32(const std::vector<float>& v)
    {
        u32(kTagFp32);
        return put(v.data(), v.size() * 4);
    }
    // Untagged fp32 (biases, int8 scales).
    BinBuilder& raw(const std::vector<float>& v) { return put(v.data(), v.size() * 4); }
    BinBuilder& fp16(const std::vector<uint16_t>& v)
    {
        u32(kTagFp16);
        put(v.data(), v.size() * 2);
        return pad();
    }
    BinBuilder& int8(const std::vector<int8_t>& v)
    {
        u32(kTagInt8);
        put(v.data(), v.size());
        return pad();
    }
    BinBuilder& put(const void* p, size_t n)
    {
        const auto* b = static_cast<const uint8_t*>(p);
        bytes.insert(bytes.end(), b, b + n);
        return *this;
    }
    BinBuilder& pad()
    {
        while (bytes.size() % 4) bytes.push_back(0);
        return *this;
    }
    std::vector<uint8_t> bytes;
};

// Reads the output .bin back, blob by blob.
class BinCursor {
public:
    explicit BinCursor(const std::vector<uint8_t>& b) : bytes_(b) {}
    uint32_t u32()
    {
        uint32_t v = 0;
        take(&v, 4);
        return v;
    }
    std::vector<int8_t> int8(size_t n)
    {
        EXPECT_EQ(u32(), kTagInt8) << "expected an int8 tag at offset " << (pos_ - 4);
        std::vector<int8_t> v(n);
        take(v.data(), n);
        skip_pad();
        return v;
    }
    std::vector<uint16_t> fp16(size_t n)
    {
        EXPECT_EQ(u32(), kTagFp16) << "expected an fp16 tag at offset " << (pos_ - 4);
        std::vector<uint16_t> v(n);
        take(v.data(), n * 2);
        skip_pad();
        return v;
    }
    std::vector<float> raw(size_t n)
    {
        std::vector<float> v(n);
        take(v.data(), n * 4);
        return v;
    }
    bool at_end() const { return pos_ == bytes_.size(); }
    size_t pos() const { return pos_; }

private:
    void take(void* dst, size_t n)
    {
        if (pos_ + n > bytes_.size()) {
            ADD_FAILURE() << "output .bin too short: need " << n << " bytes at " << pos_ << ", have " << bytes_.size();
            std::memset(dst, 0, n);
            pos_ = bytes_.size();
            return;
        }
        std::memcpy(dst, bytes_.data() + pos_, n);
        pos_ += n;
    }
    void skip_pad()
    {
        while (pos_ % 4 && pos_ < bytes_.size()) {
            EXPECT_EQ(bytes_[pos_], 0) << "padding byte not zero at " << pos_;
            pos_++;
        }
    }
    const std::vector<uint8_t>& bytes_;
    size_t pos_ = 0;
};

// A sink that records what was written and whether commit() was called.
class RecordingSink final : public ByteSink {
public:
    Status write(const void* src, size_t size) override
    {
        const auto* p = static_cast<const uint8_t*>(src);
        bytes.insert(bytes.end(), p, p + size);
        return Status::ok();
    }
    Status commit() override
    {
        commits++;
        return Status::ok();
    }
    Status rewind() override
    {
        rewinds++;
        bytes.clear();
        return Status::ok();
    }
    std::vector<uint8_t> bytes;
    int commits = 0;
    int rewinds = 0;
};

// A source over `bin` that logs where each read starts.
class ReadLog final : public ByteSource {
public:
    explicit ReadLog(const std::vector<uint8_t>& bin) : bytes_(bin.data(), bin.size()) {}
    uint64_t size() const override { return bytes_.size(); }
    Result<size_t> read_at(uint64_t offset, void* dst, size_t size) override
    {
        std::lock_guard<std::mutex> lock(mutex_);
        offsets.push_back(offset);
        return bytes_.read_at(offset, dst, size);
    }
    std::vector<uint64_t> offsets;

private:
    std::mutex mutex_;
    MemorySource bytes_;
};

struct RunResult {
    bool ok = false;
    std::string error;
    Report report;
    std::string param;
    std::vector<uint8_t> bin;
    int param_commits = 0, bin_commits = 0;

    bool has_warning(const std::string& text) const
    {
        for (const Warning& w : report.warnings)
            if (contains(w.where + " " + w.layer + " " + w.message, text)) return true;
        return false;
    }
    std::string warnings_text() const
    {
        std::string s;
        for (const Warning& w : report.warnings) s += w.where + " | " + w.layer + " | " + w.message + "\n";
        return s;
    }
    // The output line of the layer called `name` (without the newline).
    std::string line_of(const std::string& name) const
    {
        size_t start = 0;
        while (start < param.size()) {
            size_t end = param.find('\n', start);
            if (end == std::string::npos) end = param.size();
            const std::string line = param.substr(start, end - start);
            // type (padded), then name
            size_t p = line.find(' ');
            while (p != std::string::npos && p < line.size() && line[p] == ' ') p++;
            if (p != std::string::npos && line.compare(p, name.size(), name) == 0 && (p + name.size() == line.size() || line[p + name.size()] == ' '))
                return line;
            start = end + 1;
        }
        return "";
    }
    // The params after the blob names of layer `name`.
    std::string params_of(const std::string& name) const
    {
        const std::string line = line_of(name);
        // tokens: type name nb nt blobs...
        std::vector<std::string> tok;
        size_t i = 0;
        std::vector<size_t> starts;
        while (i < line.size()) {
            while (i < line.size() && line[i] == ' ') i++;
            if (i >= line.size()) break;
            const size_t s = i;
            while (i < line.size() && line[i] != ' ') i++;
            tok.push_back(line.substr(s, i - s));
            starts.push_back(s);
        }
        if (tok.size() < 4) return "";
        const size_t blobs = std::stoul(tok[2]) + std::stoul(tok[3]);
        const size_t first = 4 + blobs;
        if (first >= tok.size()) return "";
        return " " + line.substr(starts[first]);
    }
};

inline RunResult run_quantize(const std::string& param, const std::vector<uint8_t>& bin, std::optional<std::string> table)
{
    RunResult r;
    MemorySource source(bin.data(), bin.size());
    QuantizeRequest request;
    request.param = {"m.param", param};
    request.bin_name = "m.bin";
    request.bin = &source;
    if (table) request.table = TextInput{"m.table", *table};
    RecordingSink param_sink, bin_sink;
    Result<Report> result = quantize_model(request, param_sink, bin_sink);
    r.ok = result.is_ok();
    if (r.ok)
        r.report = result.value();
    else
        r.error = result.status().message();
    r.param.assign(param_sink.bytes.begin(), param_sink.bytes.end());
    r.bin = bin_sink.bytes;
    r.param_commits = param_sink.commits;
    r.bin_commits = bin_sink.commits;
    return r;
}

// The reference's int8 of one row: vector rule for the first 4*floor(n/4), round() after.
inline std::vector<int8_t> expected_row(const float* x, size_t n, float scale)
{
    std::vector<int8_t> q(n);
    const size_t v = n & ~size_t(3);
    for (size_t i = 0; i < n; i++) q[i] = i < v ? scalar::quantize_vector_lane(x[i], scale) : scalar::quantize_tail(x[i], scale);
    return q;
}

inline std::vector<uint16_t> expected_fp16(const std::vector<float>& x)
{
    std::vector<uint16_t> h(x.size());
    const size_t v = x.size() & ~size_t(3);
    for (size_t i = 0; i < x.size(); i++) h[i] = i < v ? scalar::fp32_to_fp16_rne(x[i]) : scalar::fp32_to_fp16_truncate(x[i]);
    return h;
}

// Parses and resolves a .param text; fails the test on error.
inline Model must_build(const std::string& text, Diagnostics* diag = nullptr)
{
    Diagnostics local;
    Result<ParamFile> file = read_param_text(text, "m.param");
    EXPECT_TRUE(file.is_ok()) << file.status().message();
    if (!file.is_ok()) return Model{};
    Result<Model> model = build_model(std::move(file).value(), diag ? *diag : local);
    EXPECT_TRUE(model.is_ok()) << model.status().message();
    if (!model.is_ok()) return Model{};
    return std::move(model).value();
}

// A whole .param around one layer line; the blob count is its distinct blob names.
inline std::string single_layer_file(const std::string& line)
{
    std::vector<std::string> tok;
    size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) i++;
        const size_t s = i;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t') i++;
        if (i > s) tok.push_back(line.substr(s, i - s));
    }
    size_t blobs = 0;
    if (tok.size() >= 4) {
        const size_t n = std::stoul(tok[2]) + std::stoul(tok[3]);
        std::vector<std::string> names(tok.begin() + 4, tok.begin() + std::min(tok.size(), 4 + n));
        std::sort(names.begin(), names.end());
        blobs = std::unique(names.begin(), names.end()) - names.begin();
    }
    return "7767517\n1 " + std::to_string(blobs) + "\n" + line + "\n";
}

inline std::vector<float> floats_of(std::initializer_list<float> v) { return std::vector<float>(v); }

} // namespace ncnn_int8::test
