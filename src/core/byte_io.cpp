#include "core/byte_io.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ncnn_int8 {

namespace {

std::string os_error(const std::string& path, const char* what)
{
    return path + ": " + what + ": " + std::strerror(errno);
}

// Regular files only: a directory or a device is refused up front.
Status check_regular_file(const std::string& path, int64_t* size)
{
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) return Status::failure(os_error(path, "cannot open"));
    if (S_ISDIR(st.st_mode)) return Status::failure(path + ": is a directory, not a file");
    if (!S_ISREG(st.st_mode)) return Status::failure(path + ": is not a regular file");
    *size = static_cast<int64_t>(st.st_size);
    return Status::ok();
}

} // namespace

Result<size_t> MemorySource::read_at(uint64_t offset, void* dst, size_t size)
{
    if (offset >= size_) return size_t(0);
    const size_t n = std::min<uint64_t>(size, size_ - offset);
    std::memcpy(dst, data_ + offset, n);
    return n;
}

Status MemorySink::write(const void* src, size_t size)
{
    const auto* p = static_cast<const uint8_t*>(src);
    bytes_.insert(bytes_.end(), p, p + size);
    return Status::ok();
}

FileSource::~FileSource()
{
    if (fd_ >= 0) ::close(fd_);
}

Result<FileSource*> FileSource::open(const std::string& path)
{
    int64_t size = 0;
    RETURN_IF_ERROR(check_regular_file(path, &size));
    const int fd = ::open(path.c_str(), O_RDONLY);
    if (fd < 0) return Status::failure(os_error(path, "cannot open"));
    auto* src = new FileSource();
    src->path_ = path;
    src->fd_ = fd;
    src->size_ = static_cast<uint64_t>(size);
    return src;
}

Result<size_t> BufferedSource::counted_read(uint64_t offset, void* dst, size_t size)
{
    raw_reads_++;
    return read_raw(offset, dst, size);
}

Result<size_t> BufferedSource::read_at(uint64_t offset, void* dst, size_t size)
{
    if (size == 0 || offset >= this->size()) return size_t(0);
    if (size >= kSmallRead) return counted_read(offset, dst, size);
    std::lock_guard<std::mutex> lock(window_mutex_);
    const bool in_window = offset >= window_offset_ && offset + size <= window_offset_ + window_size_;
    if (!in_window) {
        if (window_.empty()) window_.resize(kWindow);
        window_size_ = 0; // stays empty if the read fails
        ASSIGN_OR_RETURN(size_t got, counted_read(offset, window_.data(), kWindow));
        window_offset_ = offset;
        window_size_ = got;
    }
    const size_t n = std::min<uint64_t>(size, window_offset_ + window_size_ - offset);
    std::memcpy(dst, window_.data() + (offset - window_offset_), n);
    return n;
}

Result<size_t> FileSource::read_raw(uint64_t offset, void* dst, size_t size)
{
    size_t done = 0;
    auto* p = static_cast<char*>(dst);
    while (done < size) {
        const ssize_t n = ::pread(fd_, p + done, size - done, static_cast<off_t>(offset + done));
        if (n < 0) {
            if (errno == EINTR) continue;
            return Status::failure(os_error(path_, "read failed"));
        }
        if (n == 0) break;
        done += static_cast<size_t>(n);
    }
    return done;
}

AtomicFileSink::~AtomicFileSink()
{
    if (file_) std::fclose(file_);
    if (!committed_ && !temp_path_.empty()) ::unlink(temp_path_.c_str());
}

Result<AtomicFileSink*> AtomicFileSink::create(const std::string& path)
{
    struct stat st;
    if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
        return Status::failure(path + ": is a directory; cannot write the output there");
    std::string temp = path + ".partial-XXXXXX";
    std::vector<char> name(temp.begin(), temp.end());
    name.push_back('\0');
    const int fd = ::mkstemp(name.data());
    if (fd < 0) return Status::failure(os_error(path, "cannot create output"));
    std::FILE* f = ::fdopen(fd, "wb");
    if (!f) {
        ::close(fd);
        ::unlink(name.data());
        return Status::failure(os_error(path, "cannot create output"));
    }
    auto* sink = new AtomicFileSink();
    sink->path_ = path;
    sink->temp_path_ = name.data();
    sink->file_ = f;
    return sink;
}

Status AtomicFileSink::write(const void* src, size_t size)
{
    if (size && std::fwrite(src, 1, size, file_) != size) return Status::failure(os_error(path_, "write failed"));
    return Status::ok();
}

Status AtomicFileSink::commit()
{
    // mkstemp creates 0600; give the output the usual 0644-minus-umask.
    const mode_t mask = ::umask(0);
    ::umask(mask);
    ::fchmod(::fileno(file_), 0666 & ~mask);
    const bool flushed = std::fflush(file_) == 0;
    const bool closed = std::fclose(file_) == 0;
    file_ = nullptr;
    if (!flushed || !closed) return Status::failure(os_error(path_, "write failed"));
    if (::rename(temp_path_.c_str(), path_.c_str()) != 0) return Status::failure(os_error(path_, "cannot move output into place"));
    committed_ = true;
    return Status::ok();
}

Result<std::string> read_whole_file(const std::string& path)
{
    int64_t size = 0;
    RETURN_IF_ERROR(check_regular_file(path, &size));
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) return Status::failure(os_error(path, "cannot open"));
    std::string text(static_cast<size_t>(size), '\0');
    const size_t n = std::fread(text.data(), 1, text.size(), f);
    const bool failed = std::ferror(f) != 0;
    std::fclose(f);
    if (failed) return Status::failure(os_error(path, "read failed"));
    text.resize(n);
    return text;
}

} // namespace ncnn_int8
