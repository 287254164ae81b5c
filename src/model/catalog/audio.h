// Param handles of the audio family: one struct per ncnn layer type, one
// handle per param (id and name as ncnn's layer sources call them).
// Audio transforms.
#pragma once

#include "model/param_handle.h"

namespace ncnn_int8::params {

struct Spectrogram {
    static constexpr const char* layer_type = "Spectrogram";
    static constexpr IntParam n_fft{0, "n_fft"};
    static constexpr IntParam power{1, "power"};
    static constexpr IntParam hoplen{2, "hoplen"};
    static constexpr IntParam winlen{3, "winlen"};
    static constexpr IntParam window_type{4, "window_type"};
    static constexpr IntParam center{5, "center"};
    static constexpr IntParam pad_type{6, "pad_type"};
    static constexpr IntParam normalized{7, "normalized"};
    static constexpr IntParam onesided{8, "onesided"};
    static constexpr std::array all{
        ref(n_fft), ref(power), ref(hoplen), ref(winlen), ref(window_type), ref(center), ref(pad_type),
        ref(normalized), ref(onesided)};
};

struct InverseSpectrogram {
    static constexpr const char* layer_type = "InverseSpectrogram";
    static constexpr IntParam n_fft{0, "n_fft"};
    static constexpr IntParam returns{1, "returns"};
    static constexpr IntParam hoplen{2, "hoplen"};
    static constexpr IntParam winlen{3, "winlen"};
    static constexpr IntParam window_type{4, "window_type"};
    static constexpr IntParam center{5, "center"};
    static constexpr IntParam normalized{7, "normalized"};
    static constexpr std::array all{
        ref(n_fft), ref(returns), ref(hoplen), ref(winlen), ref(window_type), ref(center), ref(normalized)};
};

} // namespace ncnn_int8::params
