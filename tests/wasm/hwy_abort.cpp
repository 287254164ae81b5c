// The one libhwy function the header-only WASM build of the kernel tests
// calls (HWY_ASSERT / HWY_ABORT in Highway's test adapters): print and abort.
#include <cstdarg>
#include <cstdio>
#include <cstdlib>

#include "hwy/base.h"

namespace hwy {

HWY_NORETURN void HWY_FORMAT(3, 4) Abort(const char* file, int line, const char* format, ...)
{
    std::fprintf(stderr, "Abort at %s:%d: ", file, line);
    va_list args;
    va_start(args, format);
    std::vfprintf(stderr, format, args);
    va_end(args);
    std::fputc('\n', stderr);
    std::abort();
}

} // namespace hwy
