// One libFuzzer executable per target: compiled once per target with
// NCNN_INT8_FUZZ_TARGET set to the entry's name (see fuzz_entries.h).
#include "fuzz_entries.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    return ncnn_int8::fuzz::NCNN_INT8_FUZZ_TARGET(data, size);
}
