// ThreadTeam: every member runs each task once, for_each hands out every
// index once, the team is reused across many runs, and a member's
// exception reaches the caller.
#include "core/thread_team.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

namespace ncnn_int8 {
namespace {

TEST(ThreadTeam, EveryMemberRunsOnceMemberZeroOnTheCaller)
{
    ThreadTeam team(4);
    ASSERT_EQ(team.size(), 4u);
    std::vector<std::atomic<int>> runs(4);
    std::thread::id member0;
    team.run([&](size_t m) {
        runs.at(m)++;
        if (m == 0) member0 = std::this_thread::get_id();
    });
    for (auto& r : runs) EXPECT_EQ(r.load(), 1);
    EXPECT_EQ(member0, std::this_thread::get_id());
}

TEST(ThreadTeam, ForEachCoversEveryIndexOnceAcrossManyRuns)
{
    ThreadTeam team(3);
    for (size_t n : {0u, 1u, 2u, 7u, 1000u}) {
        for (int round = 0; round < 50; round++) {
            std::vector<std::atomic<int>> seen(n);
            team.for_each(n, [&](size_t i) { seen.at(i)++; });
            for (size_t i = 0; i < n; i++) ASSERT_EQ(seen[i].load(), 1) << "n=" << n << " i=" << i;
        }
    }
}

TEST(ThreadTeam, SizeOneAndZeroRunOnTheCallerOnly)
{
    for (size_t size : {0u, 1u}) {
        ThreadTeam team(size);
        EXPECT_EQ(team.size(), 1u);
        std::set<std::thread::id> ids;
        team.for_each(5, [&](size_t) { ids.insert(std::this_thread::get_id()); });
        EXPECT_EQ(ids, std::set<std::thread::id>{std::this_thread::get_id()});
    }
}

TEST(ThreadTeam, AHelpersExceptionReachesTheCallerAndTheTeamStaysUsable)
{
    ThreadTeam team(2);
    EXPECT_THROW(team.run([](size_t m) {
        if (m == 1) throw std::runtime_error("helper failed");
    }),
                 std::runtime_error);
    EXPECT_THROW(team.run([](size_t m) {
        if (m == 0) throw std::logic_error("caller failed");
    }),
                 std::logic_error);
    std::atomic<int> runs{0};
    team.run([&](size_t) { runs++; });
    EXPECT_EQ(runs.load(), 2);
}

} // namespace
} // namespace ncnn_int8
