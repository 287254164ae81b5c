// Float storage that is not zeroed on resize, for buffers whose every value
// is written right after (a weight blob read from the .bin, a layer's
// output): zeroing them first was a second pass over the data.
#pragma once

#include <memory>
#include <new>
#include <utility>
#include <vector>

namespace ncnn_int8 {

// std::allocator whose value-initialization (resize, vector(n)) leaves the
// elements uninitialized: a layer that writes every output value does not
// pay for zeroing it first. assign(n, v) and the other fills still fill.
template <typename T>
struct UninitAllocator : std::allocator<T> {
    template <typename U>
    struct rebind {
        using other = UninitAllocator<U>;
    };
    UninitAllocator() = default;
    template <typename U>
    UninitAllocator(const UninitAllocator<U>&) noexcept
    {
    }
    template <typename U>
    void construct(U* p) noexcept
    {
        ::new (static_cast<void*>(p)) U;
    }
    template <typename U, typename... Args>
    void construct(U* p, Args&&... args)
    {
        ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
    }
};

using Floats = std::vector<float, UninitAllocator<float>>;

} // namespace ncnn_int8
