// The fp32 engine: runs an ncnn fp32 graph on one input and hands over the
// blobs a calibrator asks for, computing what ncnn computes (fp16/bf16 off,
// light mode). Not a deployment runtime: it exists to make statistics.
//
// Plan up front (Engine::create): the layers the wanted blobs depend on, in
// .param order (ncnn's order is topological), each blob's last consumer, and
// each planned layer's forward with its weights loaded once. run() then
// executes the plan, handing each wanted blob to on_blob as soon as it is
// computed and freeing every blob after its last use, so memory stays near
// the widest cut of the graph.
//
// Threads: an Engine runs one input at a time; make one Engine per thread
// (weights are loaded per Engine).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/byte_io.h"
#include "core/status.h"
#include "engine/tensor.h"
#include "model/model.h"
#include "model/param_file.h"

namespace ncnn_int8::engine {

struct EngineOptions {
    // Reserved. Threads are over inputs, by the caller (one Engine each).
};

struct ExecutionPlan; // engine/plan.h
class LayerForward;   // engine/layer.h

class Engine {
public:
    // Plans for `wanted` (blob names; empty: every blob of the graph) and
    // loads the weights of the planned layers from `bin` (fp32, fp16 and
    // lookup-table tagged blobs, as ncnn's ModelBin does).
    // Fails on an unknown wanted blob, on weights that do not match the
    // params, and, for a layer type the engine lacks among the planned
    // layers, with ONE message listing every missing type and its layers
    // (is_unsupported() is true for that failure). Layers no wanted blob
    // depends on are neither loaded nor checked.
    static Result<std::unique_ptr<Engine>> create(const Model& model, ByteSource& bin, const std::string& bin_name,
                                                  const std::vector<std::string>& wanted, const EngineOptions& options = {});
    ~Engine();
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    // The graph's Input layers' top blobs, in Input-layer (.param) order,
    // and their shape hints (dims 0 when the .param gives none). Inputs a
    // planned layer does not need are still listed; run() ignores them.
    const std::vector<std::string>& input_blobs() const;
    const std::vector<BlobShape>& input_shape_hints() const;

    // Runs the plan on one input per Input layer (same order as
    // input_blobs()). `wanted` must be a subset of create()'s wanted (empty:
    // all of them); on_blob(name, tensor) is called once per wanted blob as
    // soon as it is computed; the tensor is only valid during the call.
    // A failing on_blob stops the run and its Status is returned.
    using BlobCallback = std::function<Status(const std::string& blob, const Tensor&)>;
    Status run(const std::vector<Tensor>& inputs, const std::vector<std::string>& wanted, const BlobCallback& on_blob);

    // The number of layers the plan runs (for progress and tests).
    size_t planned_layer_count() const;

private:
    Engine();
    std::unique_ptr<ExecutionPlan> plan_;
};

// True for the failure create() returns when planned layers have types the
// engine does not implement.
bool is_unsupported(const Status& status);

// The layer types the engine implements (catalog type names, sorted).
std::vector<std::string> supported_layer_types();

} // namespace ncnn_int8::engine
