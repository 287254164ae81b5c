// Applies a layer's plan to its loaded blobs: float weights become int8 the
// way the reference computes them, and the scale blobs are set.
#pragma once

#include <string>
#include <vector>

#include "core/diagnostics.h"
#include "core/status.h"
#include "kernels/kernels.h"
#include "model/bin_reader.h"
#include "quant/quantize_plan.h"

namespace ncnn_int8 {

// A layer's blobs by schema name, as loaded and as they will be written.
struct LayerBlobSet {
    std::vector<BlobData> blobs;

    BlobData* find(const std::string& name)
    {
        for (BlobData& b : blobs)
            if (b.spec->name == name) return &b;
        return nullptr;
    }
};

Status quantize_layer(const ModelLayer& layer, const LayerPlan& plan, LayerBlobSet& blobs, const std::string& where,
                      Diagnostics& diagnostics, kernels::ErrorSums& error);

} // namespace ncnn_int8
