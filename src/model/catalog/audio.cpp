// Audio transforms: Spectrogram, InverseSpectrogram (the reference writer has
// no branch for either: all their params are kept).
#include "model/catalog/builders.h"

namespace ncnn_int8::catalog {
namespace {

template <class P>
ParamValue default_hoplen(const LayerParams& p)
{
    return ParamValue::from_int(p.get(P::n_fft) / 4);
}

// load_param fills an n_fft-long window with winlen taps centred in it;
// winlen outside 0..n_fft writes out of bounds.
template <class P>
LoadCheck window_check()
{
    return {"winlen must be between 0 and n_fft",
            [](const LayerParams& p) { return p.get(P::winlen) >= 0 && p.get(P::winlen) <= p.get(P::n_fft); }};
}

} // namespace

void add_audio_layers(std::vector<LayerSchema>& t)
{
    {
        using P = params::InverseSpectrogram;
        LayerSchema s = unwritten<P>({
            I(P::n_fft, 0),
            I(P::returns, 0),
            I(P::hoplen, 0).computed(default_hoplen<P>),
            I(P::winlen, 0).same_as(P::n_fft),
            I(P::window_type, 0),
            I(P::center, 1),
            I(P::normalized, 0),
        });
        s.checks.push_back(window_check<P>());
        t.push_back(s);
    }
    {
        using P = params::Spectrogram;
        LayerSchema s = unwritten<P>({
            I(P::n_fft, 0),
            I(P::power, 0),
            I(P::hoplen, 0).computed(default_hoplen<P>),
            I(P::winlen, 0).same_as(P::n_fft),
            I(P::window_type, 0),
            I(P::center, 1),
            I(P::pad_type, 2),
            I(P::normalized, 0),
            I(P::onesided, 1),
        });
        s.checks.push_back(window_check<P>());
        t.push_back(s);
    }
}

} // namespace ncnn_int8::catalog
