// The JS side of the core's byte streams, shared by the Embind bindings:
// a ByteSource that asks a JS callback for pieces of the .bin, a ByteSink
// that hands chunks (views of wasm memory) to a JS callback, and small
// helpers. Callbacks report failure by returning a string, never by throwing.
#pragma once

#include <emscripten/val.h>

#include <algorithm>
#include <cstdint>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/byte_io.h"

namespace ncnn_int8::js {

using emscripten::typed_memory_view;
using emscripten::val;

// Reads are forwarded to JS in pieces of at most this size, so one read of a
// large layer never asks JS for one huge array.
constexpr size_t kReadChunk = size_t(4) << 20;
// Output is handed to JS in pieces of about this size.
constexpr size_t kWriteChunk = size_t(4) << 20;
// A write at least this large (a layer's int8 weights, mostly) is handed to
// JS as it is, after what is buffered, instead of being copied into the
// buffer first: in WebAssembly a large memcpy is a call out to JS, and
// that copy took 10 % of the core's time on a ViT-B-sized model. Smaller
// writes are gathered, so JS still gets few calls.
constexpr size_t kDirectWrite = size_t(1) << 20;

// Runs body(); what C++ throws (out of memory above all) becomes
// on_error(message, code) instead of an abort. Only C++ exceptions: an
// exception a JS callback throws goes on to the caller as it is.
template <typename Body, typename OnError>
auto catch_thrown(Body body, OnError on_error) -> decltype(body())
{
    try {
        return body();
    } catch (const std::bad_alloc&) {
        return on_error("out of memory: this does not fit in the WebAssembly instance (4 GB at most)", ErrorCode::OutOfMemory);
    } catch (const std::length_error&) {
        return on_error("out of memory: a size exceeds what this WebAssembly instance can hold", ErrorCode::OutOfMemory);
    } catch (const std::exception& e) {
        return on_error(std::string("internal error: ") + e.what(), ErrorCode::Input);
    }
}

// A failed call's result as the package reads it: {error, errorCode}.
inline val error_object(const std::string& message, ErrorCode code = ErrorCode::Input)
{
    val o = val::object();
    o.set("error", message);
    o.set("errorCode", std::string(error_code_name(code)));
    return o;
}

// body() returning its result object, or the error object of what it threw.
template <typename Body>
val guarded(Body body)
{
    return catch_thrown(body, [](const std::string& message, ErrorCode code) { return error_object(message, code); });
}

inline bool is_uint8_array(const val& v) { return v.instanceof (val::global("Uint8Array")); }

inline std::string bytes_of(const val& u8)
{
    std::string s;
    const size_t n = u8["length"].as<size_t>();
    s.resize(n);
    if (n) val(typed_memory_view(n, reinterpret_cast<uint8_t*>(&s[0]))).call<void>("set", u8);
    return s;
}

inline std::string string_field(const val& obj, const char* key, const char* fallback)
{
    if (obj.isUndefined() || obj.isNull()) return fallback;
    val v = obj[key];
    if (v.typeOf().as<std::string>() != "string") return fallback;
    std::string s = v.as<std::string>();
    return s.empty() ? fallback : s;
}

// Buffered: each raw read is a call out to JS (and there a File slice read).
class JsSource final : public BufferedSource {
public:
    JsSource(uint64_t size, val read, std::string name) : size_(size),
                                                          read_(std::move(read)),
                                                          name_(std::move(name)) {}
    uint64_t size() const override { return size_; }

private:
    Result<size_t> read_raw(uint64_t offset, void* dst, size_t size) override
    {
        if (offset >= size_) return size_t(0);
        size = size_t(std::min<uint64_t>(size, size_ - offset));
        uint8_t* out = static_cast<uint8_t*>(dst);
        size_t done = 0;
        while (done < size) {
            const size_t want = std::min(kReadChunk, size - done);
            // The callback fills a view of wasm memory in place (no JS array
            // in between); the heap cannot grow during the call.
            val got_val = read_(double(offset + done), val(typed_memory_view(want, out + done)));
            if (got_val.typeOf().as<std::string>() == "string") return Status::failure(got_val.as<std::string>());
            if (got_val.typeOf().as<std::string>() != "number")
                return Status::failure(name_ + ": the read callback returned something other than a byte count");
            const double got_d = got_val.as<double>();
            if (!(got_d >= 0) || got_d > double(want) || got_d != double(size_t(got_d)))
                return Status::failure(name_ + ": the read callback reported " + std::to_string(got_d) + " bytes, " + std::to_string(want) + " were asked");
            const size_t got = size_t(got_d);
            done += got;
            if (got < want) break; // the source is shorter than it said
        }
        return done;
    }

    uint64_t size_;
    val read_;
    std::string name_;
};

class JsSink final : public ByteSink {
public:
    // `rewind`: a function that throws away what `write` was given, or null
    // where the output cannot start again.
    JsSink(val write, val rewind) : write_(std::move(write)),
                                    rewind_(std::move(rewind)) { buffer_.reserve(kWriteChunk); }

    bool can_rewind() const { return rewind_.typeOf().as<std::string>() == "function"; }

    Status write(const void* src, size_t size) override
    {
        const uint8_t* p = static_cast<const uint8_t*>(src);
        while (size > 0) {
            if (size >= kDirectWrite) {
                RETURN_IF_ERROR(flush());
                const size_t n = std::min(size, kWriteChunk);
                RETURN_IF_ERROR(emit(p, n));
                p += n;
                size -= n;
                continue;
            }
            const size_t n = std::min(size, kWriteChunk - buffer_.size());
            buffer_.insert(buffer_.end(), p, p + n);
            p += n;
            size -= n;
            if (buffer_.size() == kWriteChunk) RETURN_IF_ERROR(flush());
        }
        return Status::ok();
    }

    Status commit() override { return flush(); }

    Status rewind() override
    {
        buffer_.clear();
        if (!can_rewind()) return ByteSink::rewind();
        val r = rewind_();
        if (r.typeOf().as<std::string>() == "string") return Status::failure(r.as<std::string>());
        return Status::ok();
    }

private:
    Status flush()
    {
        if (buffer_.empty()) return Status::ok();
        Status s = emit(buffer_.data(), buffer_.size());
        buffer_.clear();
        return s;
    }

    Status emit(const uint8_t* p, size_t n)
    {
        val r = write_(val(typed_memory_view(n, p)));
        if (r.typeOf().as<std::string>() == "string") return Status::failure(r.as<std::string>());
        return Status::ok();
    }

    val write_;
    val rewind_;
    std::vector<uint8_t> buffer_;
};

} // namespace ncnn_int8::js
