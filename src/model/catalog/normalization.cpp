// Normalization and per-channel affine layers.
#include "model/catalog/builders.h"

namespace ncnn_int8::catalog {
namespace {

LayerSchema batch_norm()
{
    using P = params::BatchNorm;
    LayerSchema s = make<P>({I(P::channels, 0), F(P::eps, 0.f)});
    s.blobs = {
        Raw("slope_data", count_of<P::channels>),
        Raw("mean_data", count_of<P::channels>),
        Raw("var_data", count_of<P::channels>),
        Raw("bias_data", count_of<P::channels>),
    };
    return s;
}

// GroupNorm / InstanceNorm / LayerNorm / RMSNorm: gamma (and beta) of
// `Size` elements when affine.
template <const IntParam& Size, const IntParam& Affine>
void add_affine_blobs(LayerSchema& s, bool with_beta)
{
    s.blobs.push_back(Raw("gamma_data", count_of<Size>, is_set<Affine>));
    if (with_beta)
        s.blobs.push_back(Raw("beta_data", count_of<Size>, is_set<Affine>));
}

LayerSchema group_norm()
{
    using P = params::GroupNorm;
    LayerSchema s = make<P>({I(P::group, 1), I(P::channels, 0), F(P::eps, 0.001f), I(P::affine, 1)});
    add_affine_blobs<P::channels, P::affine>(s, true);
    return s;
}

LayerSchema instance_norm()
{
    using P = params::InstanceNorm;
    LayerSchema s = make<P>({I(P::channels, 0), F(P::eps, 0.001f), I(P::affine, 1)});
    add_affine_blobs<P::channels, P::affine>(s, true);
    return s;
}

LayerSchema layer_norm()
{
    using P = params::LayerNorm;
    LayerSchema s = make<P>({I(P::affine_size, 0), F(P::eps, 0.001f), I(P::affine, 1)});
    add_affine_blobs<P::affine_size, P::affine>(s, true);
    return s;
}

LayerSchema rms_norm()
{
    using P = params::RMSNorm;
    LayerSchema s = make<P>({I(P::affine_size, 0), F(P::eps, 0.001f), I(P::affine, 1)});
    add_affine_blobs<P::affine_size, P::affine>(s, false);
    return s;
}

LayerSchema scale()
{
    using P = params::Scale;
    LayerSchema s = make<P>({I(P::scale_data_size, 0), I(P::bias_term, 0)});
    // scale_data_size == -233: the scale comes from a second input blob
    s.blobs = {
        Raw("scale_data", count_of<P::scale_data_size>, [](const LayerParams& p) { return p.get(P::scale_data_size) != -233; }),
        Raw("bias_data", count_of<P::scale_data_size>,
            [](const LayerParams& p) { return p.get(P::scale_data_size) != -233 && p.get(P::bias_term) != 0; }),
    };
    return s;
}

LayerSchema normalize()
{
    using P = params::Normalize;
    return with_blobs(make<P>({
                          I(P::across_spatial, 0),
                          I(P::channel_shared, 0),
                          F(P::eps, 0.0001f),
                          I(P::scale_data_size, 0),
                          I(P::across_channel, 1),
                          I(P::eps_mode, 0),
                      }),
                      {Raw("scale_data", count_of<P::scale_data_size>)});
}

} // namespace

void add_normalization_layers(std::vector<LayerSchema>& t)
{
    t.push_back(batch_norm());
    t.push_back(group_norm());
    t.push_back(instance_norm());
    t.push_back(layer_norm());
    t.push_back(rms_norm());
    t.push_back(scale());
    t.push_back(with_blobs(make<params::Bias>({I(params::Bias::bias_data_size, 0)}), {Raw("bias_data", count_of<params::Bias::bias_data_size>)}));
    t.push_back(normalize());
    {
        using P = params::MVN;
        t.push_back(make<P>({I(P::normalize_variance, 0), I(P::across_channels, 0), F(P::eps, 0.0001f)}));
    }
    {
        using P = params::LRN;
        t.push_back(make<P>({
            I(P::region_type, 0),
            I(P::local_size, 5),
            F(P::alpha, 1.f),
            F(P::beta, 0.75f),
            F(P::bias, 1.f),
        }));
    }
}

} // namespace ncnn_int8::catalog
