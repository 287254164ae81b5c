// Where bytes come from and go to. The core streams the .bin from a
// ByteSource and writes to ByteSinks, so a file, a memory buffer or a
// browser File (through a callback) can feed it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "core/status.h"

namespace ncnn_int8 {

// Random access: the .bin is indexed once (tags and offsets), then streamed
// front to back. Files, memory and browser Files all allow it.
class ByteSource {
public:
    virtual ~ByteSource() = default;
    virtual uint64_t size() const = 0;
    // Reads up to `size` bytes at `offset`; fewer only at the end.
    virtual Result<size_t> read_at(uint64_t offset, void* dst, size_t size) = 0;
};

class ByteSink {
public:
    virtual ~ByteSink() = default;
    virtual Status write(const void* src, size_t size) = 0;
    // Makes the output visible (a file sink renames its temp file into place).
    virtual Status commit() = 0;
};

class MemorySource final : public ByteSource {
public:
    MemorySource(const uint8_t* data, size_t size) : data_(data), size_(size) {}
    uint64_t size() const override { return size_; }
    Result<size_t> read_at(uint64_t offset, void* dst, size_t size) override;

private:
    const uint8_t* data_;
    size_t size_;
};

class MemorySink final : public ByteSink {
public:
    Status write(const void* src, size_t size) override;
    Status commit() override { return Status::ok(); }
    std::vector<uint8_t>& bytes() { return bytes_; }

private:
    std::vector<uint8_t> bytes_;
};

class FileSource final : public ByteSource {
public:
    ~FileSource() override;
    static Result<FileSource*> open(const std::string& path); // caller owns
    uint64_t size() const override { return size_; }
    Result<size_t> read_at(uint64_t offset, void* dst, size_t size) override;

private:
    FileSource() = default;
    std::string path_;
    int fd_ = -1;
    uint64_t size_ = 0;
};

// Writes to a temp file next to `path`; commit() renames it over `path`.
// Destroyed without commit(), it removes the temp file: on any error no
// output is left behind and an existing file at `path` is untouched.
class AtomicFileSink final : public ByteSink {
public:
    ~AtomicFileSink() override;
    static Result<AtomicFileSink*> create(const std::string& path); // caller owns
    Status write(const void* src, size_t size) override;
    Status commit() override;

private:
    AtomicFileSink() = default;
    std::string path_;
    std::string temp_path_;
    std::FILE* file_ = nullptr;
    bool committed_ = false;
};

// Reads a whole (small) file: .param and .table.
Result<std::string> read_whole_file(const std::string& path);

} // namespace ncnn_int8
