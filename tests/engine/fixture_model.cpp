#include "fixture_model.h"

#include "core/byte_io.h"
#include "fixture_rng.h"
#include "he_weights.h"
#include "model/param_file.h"

namespace ncnn_int8::test {

std::string fixture_param_path(const std::string& model, const std::string& shared_dir, const std::string& local_dir)
{
    const size_t slash = model.find('/');
    const std::string corpus = model.substr(0, slash), name = model.substr(slash + 1);
    if (corpus == "local") return local_dir + "/" + name + ".param";
    return shared_dir + "/" + corpus + "/cases/" + name + "/model.param";
}

Result<std::unique_ptr<Model>> load_model_file(const std::string& param_path)
{
    ASSIGN_OR_RETURN(std::string text, read_whole_file(param_path));
    ASSIGN_OR_RETURN(ParamFile file, read_param_text(text, param_path));
    Diagnostics diag;
    ASSIGN_OR_RETURN(Model model, build_model(std::move(file), diag));
    return std::make_unique<Model>(std::move(model));
}

engine::Tensor fixture_input(const FixtureInput& in)
{
    engine::Tensor t = in.dims == 1   ? engine::Tensor::make1(in.w)
                       : in.dims == 2 ? engine::Tensor::make2(in.w, in.h)
                       : in.dims == 3 ? engine::Tensor::make3(in.w, in.h, in.c)
                                      : engine::Tensor::make4(in.w, in.h, in.d, in.c);
    const std::vector<float> values = fixture::symmetric_values(t.total(), in.seed);
    t.data.assign(values.begin(), values.end());
    return t;
}

Result<FixtureCase> load_fixture_case(const Fixture& f, const std::string& shared_dir, const std::string& local_dir)
{
    FixtureCase c;
    const std::string param = fixture_param_path(f.model, shared_dir, local_dir);
    ASSIGN_OR_RETURN(c.model, load_model_file(param));
    if (f.he) {
        ASSIGN_OR_RETURN(c.bin, he_weights_bin(*c.model, f.he_seed, f.factors));
    } else {
        const std::string bin = param.substr(0, param.size() - 6) + ".bin";
        ASSIGN_OR_RETURN(std::string bytes, read_whole_file(bin));
        c.bin.assign(bytes.begin(), bytes.end());
    }
    for (const FixtureInput& in : f.inputs) c.inputs.push_back(fixture_input(in));
    return c;
}

} // namespace ncnn_int8::test
