// Every layer type's param handles (params::<Type>::<param>), by family.
#pragma once

#include "model/catalog/activation.h"
#include "model/catalog/attention.h"
#include "model/catalog/audio.h"
#include "model/catalog/convolution.h"
#include "model/catalog/dense.h"
#include "model/catalog/detection.h"
#include "model/catalog/elementwise.h"
#include "model/catalog/normalization.h"
#include "model/catalog/pooling.h"
#include "model/catalog/quantization.h"
#include "model/catalog/recurrent.h"
#include "model/catalog/shape.h"
