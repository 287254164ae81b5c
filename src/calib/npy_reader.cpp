#include "calib/npy_reader.h"

#include <cstring>
#include <string_view>

#include "core/format.h"

namespace ncnn_int8 {

namespace {

constexpr size_t kMaxHeader = 65536;

// A tiny reader for the header's Python dict literal:
// {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
class HeaderReader {
public:
    HeaderReader(std::string_view text, const std::string& name) : s_(text),
                                                                   name_(name) {}

    Status parse(std::string& descr, bool& fortran, std::vector<uint64_t>& shape)
    {
        bool has_descr = false, has_fortran = false, has_shape = false;
        skip();
        if (!eat('{')) return fail("the header is not a Python dict");
        while (true) {
            skip();
            if (eat('}')) break;
            std::string key;
            RETURN_IF_ERROR(quoted(key));
            skip();
            if (!eat(':')) return fail("expected ':' after '" + key + "'");
            skip();
            if (key == "descr") {
                RETURN_IF_ERROR(quoted(descr));
                has_descr = true;
            } else if (key == "fortran_order") {
                if (take("True"))
                    fortran = true;
                else if (take("False"))
                    fortran = false;
                else
                    return fail("fortran_order is not True or False");
                has_fortran = true;
            } else if (key == "shape") {
                RETURN_IF_ERROR(tuple(shape));
                has_shape = true;
            } else {
                return fail("unknown header key '" + key + "'");
            }
            skip();
            if (eat(',')) continue;
            skip();
            if (eat('}')) break;
            return fail("expected ',' or '}' in the header");
        }
        skip();
        if (pos_ != s_.size()) return fail("bytes after the header dict");
        if (!has_descr || !has_fortran || !has_shape) return fail("the header lacks descr, fortran_order or shape");
        return Status::ok();
    }

private:
    Status fail(const std::string& what) { return Status::failure(name_ + ": not a valid .npy header: " + what); }
    void skip()
    {
        while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n')) pos_++;
    }
    bool eat(char c)
    {
        if (pos_ < s_.size() && s_[pos_] == c) {
            pos_++;
            return true;
        }
        return false;
    }
    bool take(std::string_view word)
    {
        if (s_.substr(pos_, word.size()) == word) {
            pos_ += word.size();
            return true;
        }
        return false;
    }
    Status quoted(std::string& out)
    {
        if (pos_ >= s_.size() || (s_[pos_] != '\'' && s_[pos_] != '"')) return fail("expected a quoted string");
        const char q = s_[pos_++];
        const size_t end = s_.find(q, pos_);
        if (end == std::string_view::npos) return fail("unterminated string");
        out = std::string(s_.substr(pos_, end - pos_));
        pos_ = end + 1;
        return Status::ok();
    }
    Status tuple(std::vector<uint64_t>& out)
    {
        if (!eat('(')) return fail("shape is not a tuple");
        while (true) {
            skip();
            if (eat(')')) return Status::ok();
            uint64_t v = 0;
            size_t digits = 0;
            while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') {
                v = v * 10 + static_cast<uint64_t>(s_[pos_++] - '0');
                if (++digits > 15) return fail("a shape value is too large");
            }
            if (digits == 0) return fail("shape holds something other than integers");
            out.push_back(v);
            if (out.size() > 32) return fail("shape has more than 32 axes");
            skip();
            if (eat(',')) continue;
            skip();
            if (eat(')')) return Status::ok();
            return fail("expected ',' or ')' in shape");
        }
    }

    std::string_view s_;
    const std::string& name_;
    size_t pos_ = 0;
};

} // namespace

Result<NpyArray> parse_npy(const uint8_t* bytes, size_t size, const std::string& name, uint64_t max_elements)
{
    static const uint8_t kMagic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
    if (size < 10 || std::memcmp(bytes, kMagic, 6) != 0) return Status::failure(name + ": not a .npy file (no \\x93NUMPY magic)");
    const uint8_t major = bytes[6], minor = bytes[7];
    size_t header_len = 0, offset = 0;
    if (major == 1 && minor == 0) {
        header_len = bytes[8] | (bytes[9] << 8);
        offset = 10;
    } else if (major == 2 && minor == 0) {
        if (size < 12) return Status::failure(name + ": truncated .npy header");
        header_len = static_cast<size_t>(bytes[8]) | (static_cast<size_t>(bytes[9]) << 8) | (static_cast<size_t>(bytes[10]) << 16)
                     | (static_cast<size_t>(bytes[11]) << 24);
        offset = 12;
    } else {
        return Status::failure(format("%s: .npy format version %u.%u is not supported (1.0 or 2.0)", name.c_str(), major, minor));
    }
    if (header_len > kMaxHeader) return Status::failure(name + ": .npy header longer than 64 KiB");
    if (size - offset < header_len) return Status::failure(name + ": truncated .npy header");
    std::string_view header(reinterpret_cast<const char*>(bytes + offset), header_len);
    if (header.empty() || header.back() != '\n') return Status::failure(name + ": not a valid .npy header: it does not end with a newline");
    header.remove_suffix(1);

    std::string descr;
    bool fortran = false;
    NpyArray out;
    HeaderReader reader(header, name);
    RETURN_IF_ERROR(reader.parse(descr, fortran, out.shape));
    if (descr != "<f4")
        return Status::failure(name + ": dtype '" + descr + "' is not float32 ('<f4'); save the array with .astype(numpy.float32)");
    uint64_t count = 1;
    int long_axes = 0;
    for (uint64_t d : out.shape) {
        if (d > 1) long_axes++;
        if (d != 0 && count > max_elements / d) return Status::failure(name + ": the array is too large");
        count *= d;
    }
    if (count > max_elements) return Status::failure(name + ": the array is too large");
    if (fortran && long_axes > 1)
        return Status::failure(name + ": Fortran-order arrays are not supported (ncnn2table would read them transposed); save with numpy.ascontiguousarray");
    const size_t data_offset = offset + header_len;
    const uint64_t need = count * 4;
    const uint64_t have = size - data_offset;
    if (have < need)
        return Status::failure(format("%s: truncated .npy data: %llu bytes for %llu float32 values, need %llu", name.c_str(),
                                      static_cast<unsigned long long>(have), static_cast<unsigned long long>(count),
                                      static_cast<unsigned long long>(need)));
    if (have > need)
        return Status::failure(format("%s: %llu bytes after the .npy data", name.c_str(), static_cast<unsigned long long>(have - need)));
    out.data.resize(count);
    if (count) std::memcpy(out.data.data(), bytes + data_offset, need);
    return out;
}

Status check_npy_shape(const NpyArray& array, const std::vector<int>& expected, const std::string& name)
{
    auto describe = [](const std::vector<uint64_t>& s) {
        std::string t = "(";
        for (size_t i = 0; i < s.size(); i++) t += (i ? ", " : "") + std::to_string(s[i]);
        return t + (s.size() == 1 ? ",)" : ")");
    };
    std::string want = "[";
    for (size_t i = 0; i < expected.size(); i++) want += (i ? "," : "") + std::to_string(expected[i]);
    want += "]";
    const size_t dims = expected.size();
    bool ok = array.shape.size() == dims;
    for (size_t i = 0; ok && i < dims; i++) ok = static_cast<uint64_t>(expected[i]) == array.shape[dims - 1 - i];
    if (!ok)
        return Status::failure(name + ": npy shape " + describe(array.shape) + " does not match shape=" + want
                               + " (the npy shape reversed must equal it: (c,h,w) <-> [w,h,c])");
    return Status::ok();
}

} // namespace ncnn_int8
