// A fixed set of threads that runs one task after another. A calibration
// run makes one and keeps it for every pass, the threshold search and each
// eq step, so its threads start once per run. That matters most in the
// WebAssembly threads build, where starting a thread is a request to the
// JS thread and, when no worker is idle, a Worker to create and load.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace ncnn_int8 {

class ThreadTeam {
public:
    // `size` members (at least 1): the calling thread and size - 1 threads
    // started here.
    explicit ThreadTeam(size_t size);
    ~ThreadTeam();
    ThreadTeam(const ThreadTeam&) = delete;
    ThreadTeam& operator=(const ThreadTeam&) = delete;

    size_t size() const { return helpers_.size() + 1; }

    // Runs task(member) once on every member, member 0 on the calling
    // thread, and returns when all have finished. An exception thrown by a
    // member is thrown again here (the first one, when several throw).
    void run(const std::function<void(size_t member)>& task);

    // Runs task(i) for every i < n, the members taking the next i in turn.
    void for_each(size_t n, const std::function<void(size_t i)>& task);

private:
    void helper_loop(size_t member);
    void record(std::exception_ptr e);

    std::vector<std::thread> helpers_;
    std::mutex mu_;
    std::condition_variable start_;
    std::condition_variable finished_;
    const std::function<void(size_t)>* task_ = nullptr;
    unsigned long generation_ = 0; // one more per run()
    size_t running_ = 0;           // helpers still on this run's task
    bool stopping_ = false;
    std::exception_ptr error_;
};

} // namespace ncnn_int8
