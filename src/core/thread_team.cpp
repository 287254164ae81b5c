#include "core/thread_team.h"

#include <atomic>

namespace ncnn_int8 {

ThreadTeam::ThreadTeam(size_t size)
{
    const size_t helpers = size > 1 ? size - 1 : 0;
    helpers_.reserve(helpers);
    for (size_t i = 0; i < helpers; i++) helpers_.emplace_back([this, i] { helper_loop(i + 1); });
}

ThreadTeam::~ThreadTeam()
{
    {
        std::lock_guard<std::mutex> lock(mu_);
        stopping_ = true;
    }
    start_.notify_all();
    for (std::thread& t : helpers_) t.join();
}

void ThreadTeam::record(std::exception_ptr e)
{
    std::lock_guard<std::mutex> lock(mu_);
    if (!error_) error_ = e;
}

void ThreadTeam::helper_loop(size_t member)
{
    unsigned long seen = 0;
    for (;;) {
        const std::function<void(size_t)>* task;
        {
            std::unique_lock<std::mutex> lock(mu_);
            start_.wait(lock, [&] { return stopping_ || generation_ != seen; });
            if (stopping_) return;
            seen = generation_;
            task = task_;
        }
        try {
            (*task)(member);
        } catch (...) {
            record(std::current_exception());
        }
        std::lock_guard<std::mutex> lock(mu_);
        if (--running_ == 0) finished_.notify_one();
    }
}

void ThreadTeam::run(const std::function<void(size_t)>& task)
{
    {
        std::lock_guard<std::mutex> lock(mu_);
        task_ = &task;
        running_ = helpers_.size();
        error_ = nullptr;
        generation_++;
    }
    start_.notify_all();
    std::exception_ptr own;
    try {
        task(0);
    } catch (...) {
        own = std::current_exception();
    }
    std::unique_lock<std::mutex> lock(mu_);
    finished_.wait(lock, [&] { return running_ == 0; });
    task_ = nullptr;
    if (own) std::rethrow_exception(own);
    if (error_) std::rethrow_exception(error_);
}

void ThreadTeam::for_each(size_t n, const std::function<void(size_t)>& task)
{
    std::atomic<size_t> next{0};
    run([&](size_t) {
        for (size_t i; (i = next++) < n;) task(i);
    });
}

} // namespace ncnn_int8
