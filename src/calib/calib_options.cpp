#include "calib/calib_options.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>

#include "core/format.h"

namespace ncnn_int8 {

const char* method_name(CalibMethod m)
{
    switch (m) {
    case CalibMethod::Kl: return "kl";
    case CalibMethod::Aciq: return "aciq";
    case CalibMethod::Eq: return "eq";
    }
    return "?";
}

const char* pixel_order_name(PixelOrder p)
{
    switch (p) {
    case PixelOrder::Rgb: return "RGB";
    case PixelOrder::Bgr: return "BGR";
    case PixelOrder::Gray: return "GRAY";
    case PixelOrder::Rgba: return "RGBA";
    case PixelOrder::Bgra: return "BGRA";
    }
    return "?";
}

int pixel_order_channels(PixelOrder p)
{
    switch (p) {
    case PixelOrder::Gray: return 1;
    case PixelOrder::Rgba:
    case PixelOrder::Bgra: return 4;
    default: return 3;
    }
}

namespace {

// The reference reads at most 19 characters per number (%19[^,]).
constexpr size_t kMaxNumberLength = 19;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Splits "[a,b],[c,d]" (or a bare "a,b,c": one array) into the arrays' item texts.
Result<std::vector<std::vector<std::string_view>>> split_arrays(std::string_view value, const std::string& what)
{
    std::vector<std::vector<std::string_view>> arrays;
    auto split_items = [&](std::string_view body) -> Status {
        std::vector<std::string_view> items;
        size_t start = 0;
        while (true) {
            const size_t comma = body.find(',', start);
            const std::string_view item = body.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
            if (item.empty()) return Status::failure(what + ": empty value in '" + std::string(value) + "'");
            items.push_back(item);
            if (comma == std::string_view::npos) break;
            start = comma + 1;
        }
        arrays.push_back(std::move(items));
        return Status::ok();
    };
    if (value.empty()) return Status::failure(what + ": no value");
    if (value.find_first_of("[]") == std::string_view::npos) {
        RETURN_IF_ERROR(split_items(value));
        return arrays;
    }
    size_t pos = 0;
    while (pos < value.size()) {
        if (value[pos] != '[')
            return Status::failure(what + ": expected '[' at position " + std::to_string(pos + 1) + " of '" + std::string(value) + "'");
        const size_t close = value.find(']', pos + 1);
        if (close == std::string_view::npos)
            return Status::failure(what + ": missing ']' in '" + std::string(value) + "'");
        RETURN_IF_ERROR(split_items(value.substr(pos + 1, close - pos - 1)));
        pos = close + 1;
        if (pos < value.size()) {
            if (value[pos] != ',' || pos + 1 == value.size())
                return Status::failure(what + ": arrays must be separated by ',' in '" + std::string(value) + "'");
            pos++;
        }
    }
    return arrays;
}

Result<int> parse_int(std::string_view text, const std::string& what)
{
    size_t i = 0;
    bool negative = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
    if (i == text.size()) return Status::failure(what + ": '" + std::string(text) + "' is not an integer");
    int64_t v = 0;
    for (; i < text.size(); i++) {
        if (!is_digit(text[i])) return Status::failure(what + ": '" + std::string(text) + "' is not an integer");
        v = v * 10 + (text[i] - '0');
        if (v > std::numeric_limits<int32_t>::max()) return Status::failure(what + ": '" + std::string(text) + "' is too large");
    }
    return static_cast<int>(negative ? -v : v);
}

Result<std::vector<std::vector<float>>> parse_float_arrays(std::string_view value, const std::string& what)
{
    ASSIGN_OR_RETURN(auto arrays, split_arrays(value, what));
    std::vector<std::vector<float>> out;
    for (const auto& items : arrays) {
        std::vector<float> v;
        for (std::string_view item : items) {
            ASSIGN_OR_RETURN(float f, parse_reference_decimal(item, what));
            v.push_back(f);
        }
        out.push_back(std::move(v));
    }
    return out;
}

Result<std::vector<std::vector<int>>> parse_int_arrays(std::string_view value, const std::string& what)
{
    ASSIGN_OR_RETURN(auto arrays, split_arrays(value, what));
    std::vector<std::vector<int>> out;
    for (const auto& items : arrays) {
        std::vector<int> v;
        for (std::string_view item : items) {
            ASSIGN_OR_RETURN(int n, parse_int(item, what));
            v.push_back(n);
        }
        out.push_back(std::move(v));
    }
    return out;
}

Result<std::vector<PixelOrder>> parse_pixels(std::string_view value, const std::string& what)
{
    std::vector<PixelOrder> out;
    size_t start = 0;
    while (true) {
        const size_t comma = value.find(',', start);
        const std::string_view name = value.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
        if (name == "RGB")
            out.push_back(PixelOrder::Rgb);
        else if (name == "BGR")
            out.push_back(PixelOrder::Bgr);
        else if (name == "GRAY")
            out.push_back(PixelOrder::Gray);
        else if (name == "RGBA")
            out.push_back(PixelOrder::Rgba);
        else if (name == "BGRA")
            out.push_back(PixelOrder::Bgra);
        else if (name == "RAW")
            return Status::failure(what + ": RAW is not supported (ncnn2table converts nothing for it and calibrates on empty inputs); "
                                          "images are decoded as BGR: use BGR, RGB, GRAY, RGBA or BGRA");
        else
            return Status::failure(what + ": unknown pixel order '" + std::string(name) + "' (expected RGB, BGR, GRAY, RGBA or BGRA)");
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    return out;
}

} // namespace

Result<float> parse_reference_decimal(std::string_view text, const std::string& what)
{
    auto bad = [&]() { return Status::failure(what + ": '" + std::string(text) + "' is not a decimal number"); };
    if (text.size() > kMaxNumberLength)
        return Status::failure(what + ": '" + std::string(text) + "' is longer than " + std::to_string(kMaxNumberLength) + " characters");
    size_t i = 0;
    const bool positive = !(i < text.size() && text[i] == '-');
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) i++;

    // Same arithmetic as the reference: integer part and fraction as
    // integers, summed in a double; the exponent as repeated products.
    size_t digits = 0;
    uint64_t v1 = 0;
    for (; i < text.size() && is_digit(text[i]); i++, digits++) v1 = v1 * 10 + static_cast<uint64_t>(text[i] - '0');
    double v = static_cast<double>(v1);
    if (i < text.size() && text[i] == '.') {
        i++;
        uint64_t pow10 = 1, v2 = 0;
        for (; i < text.size() && is_digit(text[i]); i++, digits++) {
            v2 = v2 * 10 + static_cast<uint64_t>(text[i] - '0');
            pow10 *= 10;
        }
        v += v2 / static_cast<double>(pow10);
    }
    if (digits == 0) return bad();
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        i++;
        const bool up = !(i < text.size() && text[i] == '-');
        if (i < text.size() && (text[i] == '+' || text[i] == '-')) i++;
        if (i == text.size()) return bad();
        uint64_t expon = 0;
        // Capped: past 10^400 the double scale is inf either way, so the
        // result is the same and a huge exponent does not loop for hours.
        for (; i < text.size() && is_digit(text[i]); i++) expon = std::min<uint64_t>(expon * 10 + static_cast<uint64_t>(text[i] - '0'), 400);
        double scale = 1.0;
        while (expon >= 8) {
            scale *= 1e8;
            expon -= 8;
        }
        while (expon > 0) {
            scale *= 10.0;
            expon -= 1;
        }
        v = up ? v * scale : v / scale;
    }
    if (i != text.size()) return bad();
    const float f = positive ? static_cast<float>(v) : static_cast<float>(-v);
    if (!std::isfinite(f)) return Status::failure(what + ": '" + std::string(text) + "' is out of float range");
    return f;
}

Result<CalibOptions> parse_calib_options(const std::vector<std::string>& args)
{
    CalibOptions o;
    std::vector<std::string> seen;
    for (const std::string& arg : args) {
        const size_t eq = arg.find('=');
        if (eq == std::string::npos)
            return Status::failure("argument '" + arg + "' is not key=value");
        const std::string key = arg.substr(0, eq);
        const std::string_view value = std::string_view(arg).substr(eq + 1);
        const std::string what = "option " + key;
        for (const std::string& k : seen)
            if (k == key) return Status::failure(what + " is given twice");
        seen.push_back(key);
        if (key == "mean") {
            ASSIGN_OR_RETURN(o.means, parse_float_arrays(value, what));
            o.has_mean = true;
        } else if (key == "norm") {
            ASSIGN_OR_RETURN(o.norms, parse_float_arrays(value, what));
            o.has_norm = true;
        } else if (key == "shape") {
            ASSIGN_OR_RETURN(o.shapes, parse_int_arrays(value, what));
            o.has_shape = true;
        } else if (key == "pixel") {
            ASSIGN_OR_RETURN(o.pixels, parse_pixels(value, what));
            o.has_pixel = true;
        } else if (key == "thread") {
            ASSIGN_OR_RETURN(o.threads, parse_int(value, what));
            if (o.threads < 0) return Status::failure(what + ": must be 0 (every core) or more, got " + std::string(value));
        } else if (key == "method") {
            if (value == "kl")
                o.method = CalibMethod::Kl;
            else if (value == "aciq")
                o.method = CalibMethod::Aciq;
            else if (value == "eq")
                o.method = CalibMethod::Eq;
            else
                return Status::failure(what + ": unknown method '" + std::string(value) + "' (expected kl, aciq or eq)");
        } else if (key == "type") {
            ASSIGN_OR_RETURN(o.file_type, parse_int(value, what));
            if (o.file_type != 0 && o.file_type != 1)
                return Status::failure(what + ": expected 0 (images) or 1 (npy), got " + std::string(value));
        } else if (key == "precision") {
            if (value == "full")
                o.full_precision = true;
            else if (value == "f")
                o.full_precision = false;
            else
                return Status::failure(what + ": expected 'f' (the reference's %f) or 'full', got '" + std::string(value) + "'");
        } else if (key == "report") {
            if (value.empty()) return Status::failure(what + ": needs a file name");
            o.report_path = std::string(value);
        } else {
            return Status::failure("unknown option '" + key + "' (expected mean, norm, shape, pixel, thread, method, type, precision or report)");
        }
    }
    return o;
}

Status check_calib_options(const CalibOptions& o, size_t input_count, bool with_lists)
{
    if (!with_lists) return Status::ok();
    auto count = [&](const char* key, size_t n) -> Status {
        if (n != input_count)
            return Status::failure(format("option %s: the model has %zu Input layer%s, got %zu array%s", key, input_count,
                                          input_count == 1 ? "" : "s", n, n == 1 ? "" : "s"));
        return Status::ok();
    };
    if (!o.has_shape) return Status::failure("option shape is missing (one [w,h,...] per Input layer)");
    RETURN_IF_ERROR(count("shape", o.shapes.size()));
    if (o.file_type == 1) {
        for (size_t j = 0; j < o.shapes.size(); j++) {
            const auto& s = o.shapes[j];
            if (s.empty() || s.size() > 4)
                return Status::failure(format("option shape: input %zu: an npy shape has 1 to 4 values, got %zu", j, s.size()));
            for (int v : s)
                if (v <= 0) return Status::failure(format("option shape: input %zu: npy sizes must be positive", j));
        }
        return Status::ok();
    }
    if (!o.has_mean) return Status::failure("option mean is missing (images need mean=[...] per Input layer)");
    if (!o.has_norm) return Status::failure("option norm is missing (images need norm=[...] per Input layer)");
    if (!o.has_pixel) return Status::failure("option pixel is missing (images need pixel=RGB/BGR/... per Input layer)");
    RETURN_IF_ERROR(count("mean", o.means.size()));
    RETURN_IF_ERROR(count("norm", o.norms.size()));
    RETURN_IF_ERROR(count("pixel", o.pixels.size()));
    for (size_t j = 0; j < input_count; j++) {
        const auto& s = o.shapes[j];
        if (s.size() < 2 || s.size() > 3)
            return Status::failure(format("option shape: input %zu: an image shape is [w,h] or [w,h,c], got %zu values", j, s.size()));
        const size_t channels = static_cast<size_t>(pixel_order_channels(o.pixels[j]));
        if (s.size() == 3 && static_cast<size_t>(s[2]) != channels)
            return Status::failure(format("option shape: input %zu: c=%d but pixel=%s gives %zu channels", j, s[2],
                                          pixel_order_name(o.pixels[j]), channels));
        if (o.means[j].size() != channels)
            return Status::failure(format("option mean: input %zu has %zu values, pixel=%s gives %zu channels", j, o.means[j].size(),
                                          pixel_order_name(o.pixels[j]), channels));
        if (o.norms[j].size() != channels)
            return Status::failure(format("option norm: input %zu has %zu values, pixel=%s gives %zu channels", j, o.norms[j].size(),
                                          pixel_order_name(o.pixels[j]), channels));
        for (size_t q = 0; q < channels; q++)
            if (o.norms[j][q] == 0.f)
                return Status::failure(format("option norm: input %zu channel %zu is 0: every value of that channel would be 0", j, q));
    }
    return Status::ok();
}

} // namespace ncnn_int8
