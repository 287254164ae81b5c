// Reads a layer's params by the catalog's names (e.g. "num_output"). The
// values are ncnn's after load_param: given, else the catalog's default.
// A name the layer type does not declare is a programming error, reported as
// a failure naming the layer so it cannot pass silently.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "model/model.h"

namespace ncnn_int8::engine {

class NamedParams {
public:
    NamedParams(const ModelLayer& layer, const std::string& param_file) : layer_(layer), file_(param_file) {}

    // Each getter records the first unknown name; status() reports it.
    int i(const char* name) const;
    float f(const char* name) const;
    std::vector<int> ints(const char* name) const;
    std::vector<float> floats(const char* name) const;
    Status status() const { return status_; }

    // "model.param:12: Convolution 'conv1': " prefix for messages.
    std::string where() const;

private:
    const ParamSpec* spec(const char* name) const;

    const ModelLayer& layer_;
    const std::string& file_;
    mutable Status status_;
};

} // namespace ncnn_int8::engine
