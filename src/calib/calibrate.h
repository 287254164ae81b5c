// ncnn2table as a library call: weight scales from the model, activation
// scales from running the fp32 model over the calibration inputs (kl or
// aciq), the table text and a JSON report. Threads work on whole inputs and
// merge order-independent statistics, so the table does not depend on the
// thread count (aciq takes N from the last input in list order).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "calib/activation_stats.h"
#include "calib/calib_options.h"
#include "calib/input_tensor.h"
#include "core/byte_io.h"
#include "core/diagnostics.h"
#include "core/status.h"
#include "model/model.h"

namespace ncnn_int8 {

// Runs the fp32 model on one sample (one tensor per Input layer, in layer
// order) and hands each wanted blob to `on_blob`.
class ForwardRunner {
public:
    virtual ~ForwardRunner() = default;
    virtual Status run(const std::vector<InputTensor>& inputs, const std::vector<std::string>& wanted,
                       const std::function<Status(const std::string& blob, const BlobView& view)>& on_blob) = 0;
};

// Makes one runner per worker thread, planned for the `wanted` blobs.
using RunnerFactory = std::function<Result<std::unique_ptr<ForwardRunner>>(const std::vector<std::string>& wanted)>;

struct CalibProgress {
    const char* stage = ""; // "absmax", "histogram", "eq" (done and total count scale searches there)
    size_t done = 0, total = 0;
    size_t index = 0; // the sample just finished
};

struct CalibrationJob {
    const Model* model = nullptr;
    ByteSource* bin = nullptr;
    std::string bin_name;
    // Per Input layer (layer order), the list's name and its file paths;
    // empty: the weight-only table.
    std::vector<std::string> list_names;
    std::vector<std::vector<std::string>> lists;
    CalibOptions options;
    std::function<Result<std::vector<uint8_t>>(const std::string& path)> read_input;
    // When set, used instead of read_input: file `index` of list `list`
    // (front ends whose inputs are not paths: bytes, browser Files).
    std::function<Result<std::vector<uint8_t>>(size_t list, size_t index, const std::string& path)> read_list_input;
    RunnerFactory make_runner;
    std::function<bool(const CalibProgress&)> on_progress; // false cancels
};

struct BlobSummary {
    std::string layer, blob;
    float absmax = 0, threshold = 0, scale = 0;
    double clipped_share = 0;
    uint64_t values = 0;
    int aciq_n = 0;
};

struct CalibrationOutcome {
    std::string table;
    std::string report_json;
    std::vector<BlobSummary> blobs;
    Diagnostics diagnostics;
};

// The names of the Input layers' blobs, in layer order.
std::vector<std::string> model_input_blobs(const Model& model);

// One input file (of Input layer `input`) prepared as the options say:
// decoded, resized and normalized for images, read and checked for npy.
Result<InputTensor> prepare_input(const CalibOptions& options, size_t input, const uint8_t* bytes, size_t size, const std::string& path);

// One sample: file `index` of every list, prepared as the options say.
Result<std::vector<InputTensor>> load_sample(const CalibrationJob& job, size_t index);

Result<CalibrationOutcome> run_calibration(const CalibrationJob& job);

} // namespace ncnn_int8
