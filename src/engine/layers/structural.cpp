// Layers that route blobs without computing: Split (every top is the bottom,
// shared as ncnn shares the Mat) and Noop (tops are the bottoms).
#include "engine/layer_registry.h"

namespace ncnn_int8::engine {

namespace {

class Split final : public LayerForward {
public:
    explicit Split(size_t tops) : tops_(tops) {}
    Status forward(const std::vector<TensorPtr>& bottoms, std::vector<TensorPtr>& tops) const override
    {
        tops.assign(tops_, bottoms.at(0));
        return Status::ok();
    }

private:
    size_t tops_;
};

class Noop final : public LayerForward {
public:
    Status forward(const std::vector<TensorPtr>& bottoms, std::vector<TensorPtr>& tops) const override
    {
        tops = bottoms;
        return Status::ok();
    }
};

Result<std::unique_ptr<LayerForward>> make_split(const LayerContext& ctx)
{
    if (ctx.bottom_count() != 1) return ctx.error("Split takes one bottom blob");
    return std::unique_ptr<LayerForward>(new Split(ctx.top_count()));
}

Result<std::unique_ptr<LayerForward>> make_noop(const LayerContext& ctx)
{
    if (ctx.bottom_count() != ctx.top_count()) return ctx.error("Noop needs as many tops as bottoms");
    return std::unique_ptr<LayerForward>(new Noop());
}

} // namespace

void register_structural_layers(LayerRegistry& r)
{
    r["Split"] = make_split;
    r["Noop"] = make_noop;
}

} // namespace ncnn_int8::engine
