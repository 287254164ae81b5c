#include "calib/engine_runner.h"

#include "engine/engine.h"

namespace ncnn_int8 {

namespace {

class EngineRunner final : public ForwardRunner {
public:
    explicit EngineRunner(std::unique_ptr<engine::Engine> e) : engine_(std::move(e)) {}

    Status run(const std::vector<InputTensor>& inputs, const std::vector<std::string>& wanted,
               const std::function<Status(const std::string& blob, const BlobView& view)>& on_blob) override
    {
        return engine_->run(inputs, wanted, [&](const std::string& blob, const engine::Tensor& t) {
            BlobView v;
            v.dims = t.dims;
            v.w = t.w;
            v.h = t.h;
            v.d = t.d;
            v.c = t.c;
            v.data = t.data.data();
            return on_blob(blob, v);
        });
    }

private:
    std::unique_ptr<engine::Engine> engine_;
};

} // namespace

RunnerFactory engine_runner_factory(const Model& model, ByteSource& bin, const std::string& bin_name)
{
    return [&model, &bin, bin_name](const std::vector<std::string>& wanted) -> Result<std::unique_ptr<ForwardRunner>> {
        ASSIGN_OR_RETURN(std::unique_ptr<engine::Engine> e, engine::Engine::create(model, bin, bin_name, wanted));
        return std::unique_ptr<ForwardRunner>(std::make_unique<EngineRunner>(std::move(e)));
    };
}

} // namespace ncnn_int8
