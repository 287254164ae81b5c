// Warnings collected during a run; every front end shows them.
#pragma once

#include <string>
#include <vector>

namespace ncnn_int8 {

struct Warning {
    std::string where;   // "model.param:12", "model.table:3", "model.bin"
    std::string layer;   // "Convolution 'conv1'" or empty
    std::string message; // what and why
};

class Diagnostics {
public:
    void warn(std::string where, std::string layer, std::string message)
    {
        warnings_.push_back({std::move(where), std::move(layer), std::move(message)});
    }
    const std::vector<Warning>& warnings() const { return warnings_; }

private:
    std::vector<Warning> warnings_;
};

} // namespace ncnn_int8
