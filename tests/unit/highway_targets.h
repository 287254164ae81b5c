// Runs a test body once per Highway target compiled into the kernels and
// supported by this CPU, then restores the default dispatch.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "hwy/highway.h"
#include "hwy/targets.h"
#include "kernels/kernels.h"

namespace ncnn_int8 {

template <typename Body>
void for_each_target(Body body)
{
    const std::vector<int64_t> targets = hwy::SupportedAndGeneratedTargets();
    ASSERT_FALSE(targets.empty());
    for (int64_t t : targets) {
        hwy::SetSupportedTargetsForTest(t);
        hwy::GetChosenTarget().Update(hwy::SupportedTargets());
        SCOPED_TRACE(std::string("Highway target ") + hwy::TargetName(t));
        std::printf("[ target   ] %s (active: %s)\n", hwy::TargetName(t), kernels::active_target());
        body(t);
    }
    hwy::SetSupportedTargetsForTest(0);
    hwy::GetChosenTarget().Update(hwy::SupportedTargets());
}

} // namespace ncnn_int8
