#include "io_bound.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "timing.h"

namespace ncnn_int8::bench {

namespace {

std::string os_error(const std::string& what, const std::string& path)
{
    return what + " " + path + ": " + std::strerror(errno);
}

// The whole file into `buffer` with read(), as a FileSource would stream it.
Status read_file(const std::string& path, uint8_t* buffer, uint64_t size)
{
    const int fd = ::open(path.c_str(), O_RDONLY);
    if (fd < 0) return Status::failure(os_error("cannot open", path));
    uint64_t done = 0;
    while (done < size) {
        const ssize_t n = ::read(fd, buffer + done, size - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            ::close(fd);
            return Status::failure(os_error("cannot read", path));
        }
        done += uint64_t(n);
    }
    ::close(fd);
    return Status::ok();
}

Status write_file(const std::string& path, const uint8_t* buffer, uint64_t size)
{
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) return Status::failure(os_error("cannot create", path));
    uint64_t done = 0;
    while (done < size) {
        const ssize_t n = ::write(fd, buffer + done, size - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            ::close(fd);
            return Status::failure(os_error("cannot write", path));
        }
        done += uint64_t(n);
    }
    if (::close(fd) != 0) return Status::failure(os_error("cannot close", path));
    return Status::ok();
}

Result<uint64_t> file_size(const std::string& path)
{
    const int fd = ::open(path.c_str(), O_RDONLY);
    if (fd < 0) return Status::failure(os_error("cannot open", path));
    const off_t size = ::lseek(fd, 0, SEEK_END);
    ::close(fd);
    if (size < 0) return Status::failure(os_error("cannot seek", path));
    return uint64_t(size);
}

} // namespace

Result<IoBound> measure_io_bound(const std::string& bin_path, const std::string& scratch_dir, int repeats)
{
    IoBound bound;
    ASSIGN_OR_RETURN(bound.bytes, file_size(bin_path));
    const size_t size = size_t(bound.bytes);
    // Both buffers are touched before timing so page faults are not measured.
    std::unique_ptr<uint8_t[]> source(new uint8_t[size]);
    std::unique_ptr<uint8_t[]> copy(new uint8_t[size]);
    std::memset(copy.get(), 0, size);
    RETURN_IF_ERROR(read_file(bin_path, source.get(), size)); // warms the page cache

    const std::string scratch = scratch_dir + "/io_bound_copy.bin";
    std::vector<double> reads, writes, both, copies;
    for (int r = 0; r < repeats; r++) {
        settle_page_cache();
        auto start = std::chrono::steady_clock::now();
        RETURN_IF_ERROR(read_file(bin_path, source.get(), size));
        reads.push_back(seconds_since(start));

        ::unlink(scratch.c_str()); // a new file each time, as the quantizer's output is
        start = std::chrono::steady_clock::now();
        RETURN_IF_ERROR(write_file(scratch, source.get(), size));
        writes.push_back(seconds_since(start));
        both.push_back(reads.back() + writes.back());

        start = std::chrono::steady_clock::now();
        std::memcpy(copy.get(), source.get(), size);
        copies.push_back(seconds_since(start));
        if (copy[size / 2] != source[size / 2]) return Status::failure("memcpy check failed"); // keeps the copy observable
    }
    ::unlink(scratch.c_str());
    bound.read_seconds = median(reads);
    bound.write_seconds = median(writes);
    bound.read_write_seconds = median(both);
    bound.memcpy_seconds = median(copies);
    return bound;
}

} // namespace ncnn_int8::bench
