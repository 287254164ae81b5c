// Where bytes come from and go to. The core streams the .bin from a
// ByteSource and writes to ByteSinks, so a file, a memory buffer or a
// browser File (through a callback) can feed it.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <mutex>
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
    // Throws away everything written so far, for a run that starts again.
    virtual Status rewind() { return Status::error(ErrorCode::Unsupported, {}, "this output cannot start again"); }
};

class MemorySource final : public ByteSource {
public:
    MemorySource(const uint8_t* data, size_t size) : data_(data),
                                                     size_(size) {}
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
    Status rewind() override
    {
        bytes_.clear();
        return Status::ok();
    }
    std::vector<uint8_t>& bytes() { return bytes_; }

private:
    std::vector<uint8_t> bytes_;
};

// A source behind a costly read (a system call, a call out of WebAssembly):
// indexing a .bin reads its 4-8 byte tags one by one, so a read smaller
// than kSmallRead is served from a window of kWindow bytes read ahead in one
// raw read; larger reads go straight to the raw source, uncopied.
class BufferedSource : public ByteSource {
public:
    static constexpr size_t kWindow = size_t(64) << 10;
    static constexpr size_t kSmallRead = size_t(4) << 10;
    Result<size_t> read_at(uint64_t offset, void* dst, size_t size) final;
    // Raw reads made so far (tests check that small reads are gathered).
    uint64_t raw_reads() const { return raw_reads_; }

protected:
    // Reads up to `size` bytes at `offset`; fewer only at the end.
    virtual Result<size_t> read_raw(uint64_t offset, void* dst, size_t size) = 0;

private:
    Result<size_t> counted_read(uint64_t offset, void* dst, size_t size);
    // Sources are shared by threads (the calibration engines load weights
    // concurrently): the window is guarded, the counter atomic.
    std::mutex window_mutex_;
    std::vector<uint8_t> window_;
    uint64_t window_offset_ = 0;
    size_t window_size_ = 0; // valid bytes in window_
    std::atomic<uint64_t> raw_reads_{0};
};

class FileSource final : public BufferedSource {
public:
    ~FileSource() override;
    static Result<FileSource*> open(const std::string& path); // caller owns
    uint64_t size() const override { return size_; }

private:
    FileSource() = default;
    Result<size_t> read_raw(uint64_t offset, void* dst, size_t size) override;
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
