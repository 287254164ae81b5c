// The fp32 engine (src/engine) as the calibrator's ForwardRunner.
#pragma once

#include <string>

#include "calib/calibrate.h"
#include "core/byte_io.h"
#include "model/model.h"

namespace ncnn_int8 {

// One engine per worker thread, each loading the weights from `bin`
// (read with positioned reads, so workers may share it).
RunnerFactory engine_runner_factory(const Model& model, ByteSource& bin, const std::string& bin_name);

} // namespace ncnn_int8
