#include "engine/engine.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <set>

#include "engine/layer_registry.h"
#include "engine/plan.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif
#if defined(__SSE__) || defined(_M_X64)
#include <xmmintrin.h>
#define NI8_HAS_MXCSR 1
#endif

namespace ncnn_int8::engine {

namespace {

// ncnn runs with denormals flushed to zero (Option::flush_denormals = 3:
// FTZ and DAZ on x86); so does a run, which also keeps subnormal values from
// slowing the arithmetic down. The previous mode is restored afterwards.
class FlushDenormals {
public:
#ifdef NI8_HAS_MXCSR
    FlushDenormals() : saved_(_mm_getcsr())
    {
        _mm_setcsr(saved_ | 0x8040);
    }
    ~FlushDenormals() { _mm_setcsr(saved_); }

private:
    unsigned int saved_;
#endif
};

// A run allocates and frees blobs of a few MB per layer. glibc serves those
// with mmap and returns them on free, so every reuse page-faults its memory
// in again (a fifth of a run's time on an image model). Keep them in the heap.
void keep_freed_blobs_in_heap()
{
#if defined(__GLIBC__)
    static std::once_flag once;
    std::call_once(once, [] {
        mallopt(M_MMAP_THRESHOLD, 32 << 20); // glibc's largest allowed value
        mallopt(M_TRIM_THRESHOLD, 256 << 20);
    });
#endif
}

constexpr const char* kUnsupportedMarker = "unsupported layer types: ";

std::string layer_where(const Model& model, const ModelLayer& layer)
{
    return model.file.file_name + ":" + std::to_string(layer.decl->line) + ": " + layer.label();
}

// Blob ids, producers, the Input layers, and the wanted blobs' ids.
Status index_blobs(const Model& model, ExecutionPlan& plan, std::vector<int>& producer)
{
    auto id_of = [&](const std::string& name) {
        auto it = plan.blob_ids.find(name);
        if (it != plan.blob_ids.end()) return it->second;
        const int id = static_cast<int>(plan.blob_names.size());
        plan.blob_ids.emplace(name, id);
        plan.blob_names.push_back(name);
        producer.push_back(-1);
        return id;
    };
    for (size_t li = 0; li < model.layers.size(); li++) {
        const LayerDecl& decl = *model.layers[li].decl;
        for (const std::string& b : decl.bottoms) {
            const int id = id_of(b);
            if (producer[id] < 0)
                return Status::failure(layer_where(model, model.layers[li]) + ": bottom blob '" + b + "' is not produced by any earlier layer");
        }
        for (size_t t = 0; t < decl.tops.size(); t++) {
            const int id = id_of(decl.tops[t]);
            producer[id] = static_cast<int>(li); // ncnn: the last writer of a name wins
            if (decl.type == "Input") {
                plan.input_names.push_back(decl.tops[t]);
                plan.input_hints.push_back(t < decl.top_shapes.size() ? decl.top_shapes[t] : BlobShape{});
                plan.input_ids.push_back(id);
            }
        }
    }
    return Status::ok();
}

} // namespace

Engine::Engine() : plan_(std::make_unique<ExecutionPlan>()) {}
Engine::~Engine() = default;

Result<std::unique_ptr<Engine>> Engine::create(const Model& model, ByteSource& bin, const std::string& bin_name,
                                               const std::vector<std::string>& wanted, const EngineOptions&)
{
    keep_freed_blobs_in_heap();
    std::unique_ptr<Engine> engine(new Engine());
    ExecutionPlan& plan = *engine->plan_;
    std::vector<int> producer;
    RETURN_IF_ERROR(index_blobs(model, plan, producer));

    // Wanted blobs (empty: all), then every layer they depend on.
    plan.wanted.assign(plan.blob_names.size(), wanted.empty());
    for (const std::string& name : wanted) {
        auto it = plan.blob_ids.find(name);
        if (it == plan.blob_ids.end())
            return Status::failure(model.file.file_name + ": no blob named '" + name + "' in the graph");
        plan.wanted[it->second] = true;
    }
    std::vector<bool> needed(model.layers.size(), false);
    std::vector<int> stack;
    for (size_t b = 0; b < plan.wanted.size(); b++)
        if (plan.wanted[b] && producer[b] >= 0) stack.push_back(producer[b]);
    while (!stack.empty()) {
        const int li = stack.back();
        stack.pop_back();
        if (needed[li]) continue;
        needed[li] = true;
        for (const std::string& b : model.layers[li].decl->bottoms) stack.push_back(producer[plan.blob_ids.at(b)]);
    }

    // Every planned type must be implemented: one message for all of them.
    const LayerRegistry& registry = layer_registry();
    std::map<std::string, std::vector<std::string>> missing;
    for (size_t li = 0; li < model.layers.size(); li++) {
        const ModelLayer& layer = model.layers[li];
        if (!needed[li] || layer.decl->type == "Input") continue;
        if (!layer.schema || !registry.count(layer.decl->type)) missing[layer.decl->type].push_back(layer.decl->name);
    }
    if (!missing.empty()) {
        std::string msg = model.file.file_name + ": " + kUnsupportedMarker;
        bool first = true;
        for (const auto& [type, names] : missing) {
            msg += first ? "" : "; ";
            first = false;
            msg += type + " (";
            for (size_t k = 0; k < names.size(); k++) msg += (k ? ", '" : "'") + names[k] + "'";
            msg += ")";
        }
        msg += "; the engine computes the blobs the calibration needs and these layers lie on their path";
        return Status::failure(msg);
    }

    ASSIGN_OR_RETURN(std::vector<LayerBlobs> weights, index_bin(model, bin, bin_name));
    for (size_t li = 0; li < model.layers.size(); li++) {
        const ModelLayer& layer = model.layers[li];
        if (!needed[li] || layer.decl->type == "Input") continue;
        LayerContext ctx(layer, model.file.file_name, bin, bin_name, weights[li]);
        auto made = registry.at(layer.decl->type)(ctx);
        if (!made.is_ok()) return made.status();
        PlanStep step;
        step.layer = li;
        step.label = layer_where(model, layer);
        step.forward = std::move(made).value();
        for (const std::string& b : layer.decl->bottoms) step.bottoms.push_back(plan.blob_ids.at(b));
        for (const std::string& t : layer.decl->tops) step.tops.push_back(plan.blob_ids.at(t));
        plan.steps.push_back(std::move(step));
    }
    plan.last_use.assign(plan.blob_names.size(), -1);
    for (size_t s = 0; s < plan.steps.size(); s++)
        for (int b : plan.steps[s].bottoms) plan.last_use[b] = static_cast<int>(s);
    return engine;
}

const std::vector<std::string>& Engine::input_blobs() const { return plan_->input_names; }
const std::vector<BlobShape>& Engine::input_shape_hints() const { return plan_->input_hints; }
size_t Engine::planned_layer_count() const { return plan_->steps.size(); }

Status Engine::run(const std::vector<Tensor>& inputs, const std::vector<std::string>& wanted, const BlobCallback& on_blob)
{
    const ExecutionPlan& plan = *plan_;
    [[maybe_unused]] const FlushDenormals flush; // does nothing without x86's MXCSR (WebAssembly)
    std::vector<bool> report(plan.blob_names.size(), wanted.empty());
    if (wanted.empty()) report = plan.wanted;
    for (const std::string& name : wanted) {
        auto it = plan.blob_ids.find(name);
        if (it == plan.blob_ids.end() || !plan.wanted[it->second])
            return Status::failure("blob '" + name + "' was not among the blobs the engine was created for");
        report[it->second] = true;
    }
    if (inputs.size() != plan.input_ids.size())
        return Status::failure("the model has " + std::to_string(plan.input_ids.size()) + " Input layer(s), got " + std::to_string(inputs.size()) + " input(s)");

    std::vector<TensorPtr> blobs(plan.blob_names.size());
    auto release_unused = [&](int id, int step) {
        if (plan.last_use[id] <= step) blobs[id].reset();
    };
    for (size_t k = 0; k < inputs.size(); k++) {
        const int id = plan.input_ids[k];
        if (inputs[k].empty() || inputs[k].data.size() != inputs[k].total())
            return Status::failure("input '" + plan.input_names[k] + "' is empty or its data does not match its shape");
        blobs[id] = std::make_shared<const Tensor>(inputs[k]);
        if (report[id] && on_blob) RETURN_IF_ERROR(on_blob(plan.input_names[k], *blobs[id]));
        release_unused(id, -1);
    }

    std::vector<TensorPtr> bottoms;
    std::vector<TensorPtr> tops;
    for (size_t s = 0; s < plan.steps.size(); s++) {
        const PlanStep& step = plan.steps[s];
        bottoms.clear();
        for (int b : step.bottoms) {
            if (!blobs[b]) return Status::failure(step.label + ": bottom blob '" + plan.blob_names[b] + "' has no value");
            bottoms.push_back(blobs[b]);
        }
        tops.clear();
        Status st = step.forward->forward(bottoms, tops);
        if (!st.is_ok()) return Status::failure(step.label + ": " + st.message());
        if (tops.size() != step.tops.size())
            return Status::failure(step.label + ": produced " + std::to_string(tops.size()) + " blobs for " + std::to_string(step.tops.size()) + " tops");
        bottoms.clear();
        for (int b : step.bottoms) release_unused(b, static_cast<int>(s));
        for (size_t t = 0; t < tops.size(); t++) {
            const int id = step.tops[t];
            blobs[id] = std::move(tops[t]);
            if (report[id] && on_blob) RETURN_IF_ERROR(on_blob(plan.blob_names[id], *blobs[id]));
            release_unused(id, static_cast<int>(s));
        }
    }
    return Status::ok();
}

bool is_unsupported(const Status& status)
{
    return !status.is_ok() && status.message().find(kUnsupportedMarker) != std::string::npos;
}

std::vector<std::string> supported_layer_types()
{
    std::vector<std::string> out;
    for (const auto& [type, factory] : layer_registry()) out.push_back(type);
    out.push_back("Input");
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace ncnn_int8::engine
