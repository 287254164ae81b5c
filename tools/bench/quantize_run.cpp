#include "quantize_run.h"

#include <malloc.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>

#include "core/byte_io.h"
#include "ncnn_int8.h"
#include "timing.h"

namespace ncnn_int8::bench {

namespace {

// What the child sends back through the pipe (plain bytes: same binary).
struct ChildMessage {
    bool ok = false;
    double seconds = 0;
    uint64_t vm_hwm_kb = 0, start_rss_kb = 0;
    uint64_t bin_bytes_in = 0, bin_bytes_out = 0;
    uint64_t warnings = 0;
    char error[1024] = {};
};

Result<Report> quantize_files(const std::string& model_dir, const std::string& out_dir)
{
    const std::string param_path = model_dir + "/model.param", bin_path = model_dir + "/model.bin",
                      table_path = model_dir + "/model.table";
    ASSIGN_OR_RETURN(std::string param_text, read_whole_file(param_path));
    ASSIGN_OR_RETURN(std::string table_text, read_whole_file(table_path));
    ASSIGN_OR_RETURN(FileSource * raw_bin, FileSource::open(bin_path));
    std::unique_ptr<FileSource> bin(raw_bin);

    QuantizeRequest request;
    request.param = {param_path, param_text};
    request.bin_name = bin_path;
    request.bin = bin.get();
    request.table = TextInput{table_path, table_text};

    ASSIGN_OR_RETURN(AtomicFileSink * raw_param_out, AtomicFileSink::create(out_dir + "/int8.param"));
    std::unique_ptr<AtomicFileSink> param_out(raw_param_out);
    ASSIGN_OR_RETURN(AtomicFileSink * raw_bin_out, AtomicFileSink::create(out_dir + "/int8.bin"));
    std::unique_ptr<AtomicFileSink> bin_out(raw_bin_out);
    return quantize_model(request, *param_out, *bin_out);
}

[[noreturn]] void child_main(int pipe_fd, const std::string& model_dir, const std::string& out_dir)
{
    ChildMessage message;
    message.start_rss_kb = proc_status_kb("VmRSS");
    const auto start = std::chrono::steady_clock::now();
    Result<Report> report = quantize_files(model_dir, out_dir);
    message.seconds = seconds_since(start);
    message.vm_hwm_kb = proc_status_kb("VmHWM");
    if (report.is_ok()) {
        message.ok = true;
        message.bin_bytes_in = report.value().bin_bytes_in;
        message.bin_bytes_out = report.value().bin_bytes_out;
        message.warnings = report.value().warnings.size();
    } else {
        std::snprintf(message.error, sizeof message.error, "%s", report.status().message().c_str());
    }
    const ssize_t n = ::write(pipe_fd, &message, sizeof message);
    ::_exit(n == ssize_t(sizeof message) ? 0 : 1);
}

Status read_message(int fd, ChildMessage* message)
{
    size_t done = 0;
    auto* bytes = reinterpret_cast<char*>(message);
    while (done < sizeof *message) {
        const ssize_t n = ::read(fd, bytes + done, sizeof *message - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return Status::failure("the quantize child exited without a result");
        done += size_t(n);
    }
    return Status::ok();
}

} // namespace

uint64_t proc_status_kb(const char* field)
{
    std::FILE* f = std::fopen("/proc/self/status", "r");
    if (!f) return 0;
    char line[256];
    uint64_t value = 0;
    const size_t field_length = std::strlen(field);
    while (std::fgets(line, sizeof line, f)) {
        if (std::strncmp(line, field, field_length) == 0 && line[field_length] == ':') {
            value = std::strtoull(line + field_length + 1, nullptr, 10);
            break;
        }
    }
    std::fclose(f);
    return value;
}

Result<QuantizeRun> run_quantize_in_child(const std::string& model_dir, const std::string& out_dir)
{
    int fds[2];
    if (::pipe(fds) != 0) return Status::failure(std::string("pipe: ") + std::strerror(errno));
    settle_page_cache();
    std::fflush(nullptr); // the child must not flush the parent's buffered output again
    // Freed heap the parent's allocator kept would be resident in the child
    // too and count in its RSS: hand it back to the OS first.
    ::malloc_trim(0);
    const pid_t pid = ::fork();
    if (pid < 0) {
        ::close(fds[0]);
        ::close(fds[1]);
        return Status::failure(std::string("fork: ") + std::strerror(errno));
    }
    if (pid == 0) {
        ::close(fds[0]);
        child_main(fds[1], model_dir, out_dir);
    }
    ::close(fds[1]);
    ChildMessage message;
    const Status received = read_message(fds[0], &message);
    ::close(fds[0]);

    int wait_status = 0;
    struct rusage usage {};
    while (::wait4(pid, &wait_status, 0, &usage) < 0)
        if (errno != EINTR) return Status::failure(std::string("wait4: ") + std::strerror(errno));
    RETURN_IF_ERROR(received);
    if (!WIFEXITED(wait_status) || WEXITSTATUS(wait_status) != 0) return Status::failure("the quantize child failed");
    if (!message.ok) return Status::failure(message.error);

    QuantizeRun run;
    run.seconds = message.seconds;
    run.peak_rss_kb = uint64_t(usage.ru_maxrss); // KiB on Linux
    run.vm_hwm_kb = message.vm_hwm_kb;
    run.start_rss_kb = message.start_rss_kb;
    run.bin_bytes_in = message.bin_bytes_in;
    run.bin_bytes_out = message.bin_bytes_out;
    run.warnings = size_t(message.warnings);
    return run;
}

} // namespace ncnn_int8::bench
