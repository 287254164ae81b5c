// Loads what a fixture names: the model, its weights, its inputs.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "engine/tensor.h"
#include "fixture_format.h"
#include "model/model.h"

namespace ncnn_int8::test {

struct FixtureCase {
    std::unique_ptr<Model> model;
    std::vector<uint8_t> bin;
    std::vector<engine::Tensor> inputs;
};

// The .param of "conformance/NAME" / "calibration/NAME" (under shared_dir)
// or "local/NAME" (under local_dir).
std::string fixture_param_path(const std::string& model, const std::string& shared_dir, const std::string& local_dir);

Result<std::unique_ptr<Model>> load_model_file(const std::string& param_path);

engine::Tensor fixture_input(const FixtureInput& in);

Result<FixtureCase> load_fixture_case(const Fixture& f, const std::string& shared_dir, const std::string& local_dir);

} // namespace ncnn_int8::test
