#include "engine/layer.h"

namespace ncnn_int8::engine {

Result<std::vector<float>> LayerContext::weight(const std::string& blob) const
{
    const BlobLocation* where = blobs_.find(blob);
    if (!where) return error("weight blob " + blob + " is not in " + bin_name_);
    if (where->stored == StoredAs::Int8)
        return error("weight blob " + blob + " is stored as int8; the engine runs fp32 models (calibrate the fp32 model, before ncnn2int8)");
    std::vector<float> values(where->count);
    RETURN_IF_ERROR(read_blob_f32(bin_, bin_name_, *where, values.data()));
    return values;
}

Result<Floats> LayerContext::weight_values(const std::string& blob) const
{
    const BlobLocation* where = blobs_.find(blob);
    if (!where) return error("weight blob " + blob + " is not in " + bin_name_);
    if (where->stored == StoredAs::Int8)
        return error("weight blob " + blob + " is stored as int8; the engine runs fp32 models (calibrate the fp32 model, before ncnn2int8)");
    Floats values(where->count); // not zeroed: every value is read in
    RETURN_IF_ERROR(read_blob_f32(bin_, bin_name_, *where, values.data()));
    return values;
}

} // namespace ncnn_int8::engine
