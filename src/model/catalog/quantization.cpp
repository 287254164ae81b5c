// Int8 quantize / dequantize / requantize layers.
#include "model/catalog/builders.h"

namespace ncnn_int8::catalog {

void add_quantization_layers(std::vector<LayerSchema>& t)
{
    {
        using P = params::Quantize;
        t.push_back(with_blobs(make<P>({I(P::scale_data_size, 1)}), {Raw("scale_data", count_of<P::scale_data_size>)}));
    }
    {
        using P = params::Dequantize;
        t.push_back(with_blobs(make<P>({I(P::scale_data_size, 1), I(P::bias_data_size, 0)}),
                               {Raw("scale_data", count_of<P::scale_data_size>), Raw("bias_data", count_of<P::bias_data_size>, is_set<P::bias_data_size>)}));
    }
    {
        using P = params::Requantize;
        t.push_back(with_blobs(make<P>({
                                   I(P::scale_in_data_size, 1),
                                   I(P::scale_out_data_size, 1),
                                   I(P::bias_data_size, 0),
                                   I(P::activation_type, 0),
                                   FA(P::activation_params),
                               }),
                               {
                                   Raw("scale_in_data", count_of<P::scale_in_data_size>),
                                   Raw("scale_out_data", count_of<P::scale_out_data_size>),
                                   Raw("bias_data", count_of<P::bias_data_size>, is_set<P::bias_data_size>),
                               }));
    }
}

} // namespace ncnn_int8::catalog
