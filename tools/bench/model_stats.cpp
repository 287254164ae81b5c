#include "model_stats.h"

#include <memory>

#include "core/byte_io.h"
#include "core/diagnostics.h"
#include "model/bin_reader.h"
#include "model/model.h"
#include "model/param_file.h"

namespace ncnn_int8::bench {

Result<ModelStats> model_stats(const std::string& model_dir)
{
    const std::string param_path = model_dir + "/model.param", bin_path = model_dir + "/model.bin";
    ASSIGN_OR_RETURN(std::string text, read_whole_file(param_path));
    ASSIGN_OR_RETURN(ParamFile file, read_param_text(text, param_path));
    Diagnostics diagnostics;
    ASSIGN_OR_RETURN(Model model, build_model(std::move(file), diagnostics));
    ASSIGN_OR_RETURN(FileSource * raw_bin, FileSource::open(bin_path));
    std::unique_ptr<FileSource> bin(raw_bin);
    ASSIGN_OR_RETURN(std::vector<LayerBlobs> index, index_bin(model, *bin, bin_path));

    ModelStats stats;
    stats.layers = model.layers.size();
    stats.bin_bytes = bin->size();
    for (size_t i = 0; i < index.size(); i++) {
        uint64_t fp32_bytes = 0;
        for (const BlobLocation& blob : index[i].blobs) fp32_bytes += blob.count * 4;
        if (fp32_bytes > stats.largest_layer_fp32_bytes) {
            stats.largest_layer_fp32_bytes = fp32_bytes;
            stats.largest_layer = model.layers[i].label();
        }
    }
    return stats;
}

} // namespace ncnn_int8::bench
