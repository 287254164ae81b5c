// Engine fixtures (tests/engine/fixtures/*.fixture), text, one record a line:
//   model <corpus>/<case>            conformance/NAME, calibration/NAME (../shared)
//                                    or local/NAME (tests/engine/fixtures/NAME.param)
//   weights he <seed> | weights file  He weights rebuilt from the seed and the
//                                    factors, or the case's own model.bin
//   factor <layer> <hex float>       He weights of <layer> times this factor
//   input <blob> <dims> <w> <h> <d> <c> <seed>   uniform [-1, 1) values
//   blob <name> <dims> <w> <h> <d> <c> <sum> <sumsq> <absmax> <k> <i:v>...
// The blob lines come from the reference (tools/ref_blobs).
#pragma once

#include <cstdint>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace ncnn_int8::test {

struct FixtureInput {
    std::string blob;
    int dims = 0, w = 1, h = 1, d = 1, c = 1;
    uint64_t seed = 0;
};

struct FixtureBlob {
    std::string name;
    int dims = 0, w = 1, h = 1, d = 1, c = 1;
    double sum = 0, sumsq = 0, absmax = 0;
    std::vector<std::pair<size_t, float>> samples;
};

struct Fixture {
    std::string model; // "conformance/squeezenet"
    bool he = false;   // weights: he
    uint64_t he_seed = 0;
    std::map<std::string, float> factors;
    std::vector<FixtureInput> inputs;
    std::vector<FixtureBlob> blobs;
};

// Returns false with `error` set on a malformed line.
inline bool parse_fixture(const std::string& text, Fixture& f, std::string& error)
{
    std::istringstream all(text);
    std::string line;
    int n = 0;
    while (std::getline(all, line)) {
        n++;
        std::istringstream is(line);
        std::string key;
        if (!(is >> key) || key[0] == '#') continue;
        bool ok = true;
        if (key == "model") {
            ok = static_cast<bool>(is >> f.model);
        } else if (key == "weights") {
            std::string kind;
            is >> kind;
            f.he = kind == "he";
            if (f.he)
                ok = static_cast<bool>(is >> f.he_seed);
            else
                ok = kind == "file";
        } else if (key == "factor") {
            std::string layer, hex;
            ok = static_cast<bool>(is >> layer >> hex);
            if (ok) f.factors[layer] = std::strtof(hex.c_str(), nullptr);
        } else if (key == "input") {
            FixtureInput in;
            ok = static_cast<bool>(is >> in.blob >> in.dims >> in.w >> in.h >> in.d >> in.c >> in.seed);
            f.inputs.push_back(in);
        } else if (key == "blob") {
            FixtureBlob b;
            size_t k = 0;
            ok = static_cast<bool>(is >> b.name >> b.dims >> b.w >> b.h >> b.d >> b.c >> b.sum >> b.sumsq >> b.absmax >> k);
            for (size_t i = 0; ok && i < k; i++) {
                std::string s;
                ok = static_cast<bool>(is >> s);
                const size_t colon = s.find(':');
                ok = ok && colon != std::string::npos;
                if (ok) b.samples.push_back({std::stoull(s.substr(0, colon)), std::strtof(s.c_str() + colon + 1, nullptr)});
            }
            f.blobs.push_back(b);
        }
        if (!ok) {
            error = "line " + std::to_string(n) + " is malformed: " + line;
            return false;
        }
    }
    if (f.model.empty()) {
        error = "no model line";
        return false;
    }
    return true;
}

} // namespace ncnn_int8::test
