// Recurrent layers: RNN, LSTM, GRU.
#include <type_traits>

#include "model/catalog/builders.h"

namespace ncnn_int8::catalog {
namespace {

template <class P>
int num_directions(const LayerParams& p)
{
    return p.get(P::direction) == 2 ? 2 : 1;
}

// The unit count load_model divides by: hidden_size for LSTM, else num_output.
template <class P>
int32_t units(const LayerParams& p)
{
    if constexpr (has_hidden_size<P>::value)
        return p.get(P::hidden_size);
    else
        return p.get(P::num_output);
}

// Gates per unit: 1 (RNN), 4 (LSTM), 3 (GRU).
template <class P>
constexpr int gates()
{
    if constexpr (std::is_same_v<P, params::LSTM>)
        return 4;
    else if constexpr (std::is_same_v<P, params::GRU>)
        return 3;
    else
        return 1;
}

// weight_data_size / num_directions / units / gates, as load_model computes it.
template <class P>
int64_t rnn_input_size(const LayerParams& p)
{
    return count_div(count_div(count_div(p.get(P::weight_data_size), num_directions<P>(p)), units<P>(p)), gates<P>());
}

// load_model divides weight_data_size / num_directions by the unit count.
template <class P>
LoadCheck rnn_units_nonzero(const char* requirement)
{
    return {requirement, [](const LayerParams& p) { return int_div_ok(p.get(P::weight_data_size) / num_directions<P>(p), units<P>(p)); }};
}

// Rows of weight_xc_data and weight_hc_data as ncnn quantizes them: one per
// gate of each unit, per direction. Also the count of each int8 scale blob
// and of each table key.
template <class P>
int64_t gate_rows(const LayerParams& p)
{
    return mul3(units<P>(p), gates<P>(), num_directions<P>(p));
}

// The int8 scales of both weight blobs, and the int8 facts.
template <class P>
void add_int8(LayerSchema& s)
{
    s.blobs.push_back(Raw("weight_xc_data_int8_scales", gate_rows<P>, is_set<P::int8_scale_term>));
    s.blobs.push_back(Raw("weight_hc_data_int8_scales", gate_rows<P>, is_set<P::int8_scale_term>));
    // int8: one scale per gate row for each weight blob (table keys 0 and 1)
    Int8Facts int8;
    int8.flag = P::int8_scale_term;
    int8.weights = {
        {"weight_xc_data", "weight_xc_data_int8_scales", 0, gate_rows<P>},
        {"weight_hc_data", "weight_hc_data_int8_scales", 1, gate_rows<P>},
    };
    s.int8 = int8;
}

template <class P>
LayerSchema rnn_family()
{
    LayerSchema s = make<P>({
        I(P::num_output, 0),
        I(P::weight_data_size, 0),
        I(P::direction, 0),
    });
    if constexpr (has_hidden_size<P>::value)
        s.params.push_back(I(P::hidden_size, 0).same_as(P::num_output));
    s.params.push_back(I(P::int8_scale_term, 0));
    return s;
}

LayerSchema rnn()
{
    using P = params::RNN;
    LayerSchema s = rnn_family<P>();
    s.blobs = {
        Tagged("weight_xc_data", [](const LayerParams& p) -> int64_t { return mul3(rnn_input_size<P>(p), p.get(P::num_output), num_directions<P>(p)); }),
        Tagged("bias_c_data", [](const LayerParams& p) -> int64_t { return count_mul(p.get(P::num_output), num_directions<P>(p)); }),
        Tagged("weight_hc_data", [](const LayerParams& p) -> int64_t { return mul3(p.get(P::num_output), p.get(P::num_output), num_directions<P>(p)); }),
    };
    add_int8<P>(s);
    s.checks.push_back(rnn_units_nonzero<P>("num_output must be non-zero"));
    return s;
}

LayerSchema lstm()
{
    using P = params::LSTM;
    LayerSchema s = rnn_family<P>();
    // 4 gates of hidden_size rows; the projection weight only when num_output != hidden_size
    s.blobs = {
        Tagged("weight_xc_data",
               [](const LayerParams& p) -> int64_t { return mul4(rnn_input_size<P>(p), p.get(P::hidden_size), 4, num_directions<P>(p)); }),
        Tagged("bias_c_data", [](const LayerParams& p) -> int64_t { return mul3(p.get(P::hidden_size), 4, num_directions<P>(p)); }),
        Tagged("weight_hc_data",
               [](const LayerParams& p) -> int64_t { return mul4(p.get(P::num_output), p.get(P::hidden_size), 4, num_directions<P>(p)); }),
        Tagged(
            "weight_hr_data",
            [](const LayerParams& p) -> int64_t { return mul3(p.get(P::hidden_size), p.get(P::num_output), num_directions<P>(p)); },
            [](const LayerParams& p) { return p.get(P::num_output) != p.get(P::hidden_size); }),
    };
    add_int8<P>(s);
    s.checks.push_back(rnn_units_nonzero<P>("hidden_size must be non-zero"));
    return s;
}

LayerSchema gru()
{
    using P = params::GRU;
    LayerSchema s = rnn_family<P>();
    // 3 gates; the bias holds 4 rows per direction
    s.blobs = {
        Tagged("weight_xc_data",
               [](const LayerParams& p) -> int64_t { return mul4(rnn_input_size<P>(p), p.get(P::num_output), 3, num_directions<P>(p)); }),
        Tagged("bias_c_data", [](const LayerParams& p) -> int64_t { return mul3(p.get(P::num_output), 4, num_directions<P>(p)); }),
        Tagged("weight_hc_data",
               [](const LayerParams& p) -> int64_t { return mul4(p.get(P::num_output), p.get(P::num_output), 3, num_directions<P>(p)); }),
    };
    add_int8<P>(s);
    s.checks.push_back(rnn_units_nonzero<P>("num_output must be non-zero"));
    return s;
}

} // namespace

void add_recurrent_layers(std::vector<LayerSchema>& t)
{
    t.push_back(rnn());
    t.push_back(lstm());
    t.push_back(gru());
}

} // namespace ncnn_int8::catalog
