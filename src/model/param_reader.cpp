// Reads the text .param with ncnn's value rules (ParamDict::load_param):
// a value is a string when it starts with a letter or a quote, a float when
// it holds '.', 'e' or 'E', else an int; `id=a,b,c` and `-233XX=n,a,b,c` are
// arrays. Where ncnn would silently misread (overlong values, garbage after
// a number, ids out of range) we stop with an error naming the line.
#include <cctype>
#include <climits>
#include <cstdlib>
#include <set>
#include <unordered_map>

#include "model/param_file.h"
#include "model/param_text.h"

namespace ncnn_int8 {

namespace {

constexpr int kMagic = 7767517;
constexpr size_t kMaxValueChars = 15; // ncnn scans values with %15[^,\n ]
constexpr size_t kMaxStringChars = 255;

struct LineCursor {
    std::string_view text;
    size_t pos = 0;

    void skip_space()
    {
        while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) pos++;
    }
    bool done()
    {
        skip_space();
        return pos >= text.size();
    }
    std::string_view word()
    {
        skip_space();
        const size_t start = pos;
        while (pos < text.size() && text[pos] != ' ' && text[pos] != '\t') pos++;
        return text.substr(start, pos - start);
    }
    // A value token ends at a comma or whitespace.
    std::string_view value_token()
    {
        const size_t start = pos;
        while (pos < text.size() && text[pos] != ',' && text[pos] != ' ' && text[pos] != '\t') pos++;
        return text.substr(start, pos - start);
    }
    bool eat(char c)
    {
        if (pos < text.size() && text[pos] == c) {
            pos++;
            return true;
        }
        return false;
    }
};

class LineReader {
public:
    LineReader(const std::string& file, int line) : file_(file),
                                                    line_(line) {}

    Status fail(const std::string& why) const
    {
        return Status::error(ErrorCode::Input, {file_, line_, ""}, why);
    }

    Result<ParamValue> scalar_number(std::string_view token) const
    {
        if (token.size() > kMaxValueChars)
            return fail("value '" + std::string(token) + "' is longer than the 15 characters ncnn reads");
        if (token.empty()) return fail("missing value");
        if (looks_like_float(token)) {
            float f = 0;
            if (!parse_ncnn_float(token, &f)) return fail("'" + std::string(token) + "' is not a number");
            return ParamValue::from_float(f);
        }
        int32_t i = 0;
        if (!parse_ncnn_int(token, &i)) return fail("'" + std::string(token) + "' is not an integer");
        return ParamValue::from_int(i);
    }

    // Array elements: each element is an int or a float on its own; the
    // array's kind is its last element's, as in ncnn.
    Status append_element(ParamValue& array, std::string_view token) const
    {
        ASSIGN_OR_RETURN(ParamValue v, scalar_number(token));
        if (array.items.size() >= kMaxArrayLength) return fail("array longer than " + std::to_string(kMaxArrayLength) + " values");
        array.items.push_back(v.bits);
        array.kind = v.kind == ValueKind::Float ? ValueKind::FloatArray : ValueKind::IntArray;
        return Status::ok();
    }

private:
    const std::string& file_;
    int line_;
};

Result<std::vector<std::pair<int, ParamValue>>> parse_params(std::string_view text, const LineReader& in)
{
    std::vector<std::pair<int, ParamValue>> params;
    std::set<int> seen;
    LineCursor cur{text};
    while (!cur.done()) {
        const size_t key_start = cur.pos;
        while (cur.pos < text.size() && text[cur.pos] != '=' && text[cur.pos] != ' ' && text[cur.pos] != '\t') cur.pos++;
        const std::string_view key = text.substr(key_start, cur.pos - key_start);
        if (!cur.eat('=')) return in.fail("expected id=value, got '" + std::string(key) + "'");
        int32_t id = 0;
        if (!parse_ncnn_int(key, &id)) return in.fail("param id '" + std::string(key) + "' is not an integer");
        const bool old_style_array = id <= -23300;
        if (old_style_array) {
            const int64_t wide = -static_cast<int64_t>(id) - 23300; // INT32_MIN must not overflow
            id = wide >= 32 ? 32 : static_cast<int32_t>(wide);
        }
        if (id < 0 || id >= 32) return in.fail("param id " + std::string(key) + " is out of range (ncnn allows 0..31)");
        if (!seen.insert(id).second) return in.fail("param " + std::to_string(id) + " is given twice");

        ParamValue value;
        if (old_style_array) {
            // -233XX=count,v1,v2,...
            const std::string_view count_token = cur.value_token();
            int32_t count = 0;
            if (!parse_ncnn_int(count_token, &count) || count < 0)
                return in.fail("array param " + std::string(key) + " needs a non-negative count, got '" + std::string(count_token) + "'");
            if (static_cast<size_t>(count) > kMaxArrayLength)
                return in.fail("array param " + std::string(key) + " has " + std::to_string(count) + " values; the limit is " + std::to_string(kMaxArrayLength));
            value = ParamValue::empty_array(ValueKind::IntArray);
            value.items.reserve(static_cast<size_t>(count));
            for (int32_t j = 0; j < count; j++) {
                if (!cur.eat(','))
                    return in.fail("array param " + std::string(key) + " declares " + std::to_string(count) + " values but has " + std::to_string(j));
                RETURN_IF_ERROR(in.append_element(value, cur.value_token()));
            }
            if (cur.pos < text.size() && text[cur.pos] == ',')
                return in.fail("array param " + std::string(key) + " has more values than its count " + std::to_string(count));
        } else if (cur.pos < text.size() && (std::isalpha(static_cast<unsigned char>(text[cur.pos])) || text[cur.pos] == '"')) {
            // A string: quoted (may hold spaces) or up to the next whitespace.
            std::string s;
            if (cur.eat('"')) {
                const size_t close = text.find('"', cur.pos);
                if (close == std::string_view::npos) return in.fail("string param " + std::to_string(id) + " has no closing quote");
                s = std::string(text.substr(cur.pos, close - cur.pos));
                cur.pos = close + 1;
            } else {
                s = std::string(cur.word());
            }
            if (s.size() > kMaxStringChars) return in.fail("string param " + std::to_string(id) + " is longer than ncnn's 255 characters");
            // Strings are written back quoted, and a quoted string ends at the next quote.
            if (s.find('"') != std::string::npos)
                return in.fail("string param " + std::to_string(id) + " holds a '\"', which cannot be written back in a form ncnn reads");
            value = ParamValue::from_string(std::move(s));
        } else {
            const std::string_view first = cur.value_token();
            if (cur.pos < text.size() && text[cur.pos] == ',') {
                value = ParamValue::empty_array(ValueKind::IntArray);
                RETURN_IF_ERROR(in.append_element(value, first));
                while (cur.eat(',')) RETURN_IF_ERROR(in.append_element(value, cur.value_token()));
            } else {
                ASSIGN_OR_RETURN(value, in.scalar_number(first));
            }
        }
        if (cur.pos < text.size() && text[cur.pos] != ' ' && text[cur.pos] != '\t')
            return in.fail("unexpected '" + std::string(1, text[cur.pos]) + "' after param " + std::string(key));
        params.emplace_back(id, std::move(value));
    }
    return params;
}

// ncnn's reading of -23330: `len / top_count` values per top, 4 (dims,w,h,c)
// or 5 (dims,w,h,d,c); a dims outside 1..4 leaves the shape unknown.
Result<std::vector<BlobShape>> read_shape_hints(const ParamValue& hint, size_t top_count, const LineReader& in)
{
    std::vector<BlobShape> shapes(top_count);
    if (!is_array(hint.kind)) return in.fail("shape hint (param 30) must be an array");
    if (top_count == 0) return in.fail("shape hint (-23330) on a layer without outputs");
    const size_t len = hint.items.size();
    const size_t step = len / top_count;
    if (step != 4 && step != 5)
        return in.fail("shape hint -23330 has " + std::to_string(len) + " values for " + std::to_string(top_count) + " outputs; ncnn expects 4 or 5 per output");
    for (size_t j = 0; j < top_count; j++) {
        const size_t base = j * step;
        auto at = [&](size_t k) -> int32_t { return base + k < len ? hint.item_int(base + k) : 0; };
        const int dims = at(0);
        BlobShape& s = shapes[j];
        if (dims == 4 && base + 4 >= len) return in.fail("shape hint -23330 is too short for a 4-dim output");
        if (dims == 1) s = {1, at(1), 1, 1, 1};
        if (dims == 2) s = {2, at(1), at(2), 1, 1};
        if (dims == 3) s = {3, at(1), at(2), 1, step == 5 ? at(4) : at(3)};
        if (dims == 4) s = {4, at(1), at(2), at(3), at(4)};
    }
    return shapes;
}

Result<LayerDecl> parse_layer_line(std::string_view line, int line_number, const std::string& file)
{
    LineReader in(file, line_number);
    LineCursor cur{line};
    LayerDecl layer;
    layer.line = line_number;
    layer.type = std::string(cur.word());
    layer.name = std::string(cur.word());
    const std::string_view nb = cur.word();
    const std::string_view nt = cur.word();
    int32_t bottom_count = 0, top_count = 0;
    if (layer.name.empty() || nt.empty()) return in.fail("expected 'Type name bottom_count top_count ...', got '" + std::string(line) + "'");
    if (!parse_ncnn_int(nb, &bottom_count) || bottom_count < 0 || static_cast<size_t>(bottom_count) > kMaxBlobsPerLayer)
        return in.fail("layer '" + layer.name + "': bad input count '" + std::string(nb) + "'");
    if (!parse_ncnn_int(nt, &top_count) || top_count < 0 || static_cast<size_t>(top_count) > kMaxBlobsPerLayer)
        return in.fail("layer '" + layer.name + "': bad output count '" + std::string(nt) + "'");
    if (layer.type.size() > kMaxNameLength || layer.name.size() > kMaxNameLength)
        return in.fail("layer type or name longer than ncnn's 255 characters");
    for (int32_t j = 0; j < bottom_count + top_count; j++) {
        const std::string_view blob = cur.word();
        if (blob.empty())
            return in.fail(layer.type + " '" + layer.name + "' declares " + std::to_string(bottom_count) + " inputs and " + std::to_string(top_count) + " outputs but names only " + std::to_string(j) + " blobs");
        if (blob.find('=') != std::string_view::npos)
            return in.fail(layer.type + " '" + layer.name + "': blob name '" + std::string(blob) + "' looks like a param; the input/output counts do not match the names");
        if (blob.size() > kMaxNameLength) return in.fail("blob name longer than ncnn's 255 characters");
        (j < bottom_count ? layer.bottoms : layer.tops).emplace_back(blob);
    }
    cur.skip_space();
    layer.params_text = std::string(line.substr(cur.pos));
    while (!layer.params_text.empty() && (layer.params_text.back() == ' ' || layer.params_text.back() == '\t')) layer.params_text.pop_back();
    ASSIGN_OR_RETURN(layer.params, parse_params(layer.params_text, in));
    layer.top_shapes.assign(layer.tops.size(), BlobShape{});
    const ParamValue* hint = layer.find(kShapeHintId);
    // An empty hint (-23330=0, which the reference writes for a layer without
    // outputs) is no hint: ncnn skips an empty Mat.
    if (hint && !(is_array(hint->kind) && hint->items.empty())) {
        ASSIGN_OR_RETURN(layer.top_shapes, read_shape_hints(*hint, layer.tops.size(), in));
    }
    return layer;
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

} // namespace

Result<ParamFile> read_param_text(std::string_view text, const std::string& file_name)
{
    ParamFile file;
    file.file_name = file_name;
    if (text.find('\0') != std::string_view::npos)
        return Status::error(ErrorCode::Input, {file_name}, "contains binary data; expected the text .param (a .param.bin is not supported)");

    std::vector<std::pair<int, std::string_view>> lines; // non-blank lines with their numbers
    size_t start = 0;
    int number = 0;
    while (start <= text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        number++;
        const std::string_view line = trim(text.substr(start, end - start));
        if (!line.empty()) lines.emplace_back(number, line);
        if (lines.size() > kMaxLayers + 2) return Status::error(ErrorCode::Unsupported, {file_name}, "more than " + std::to_string(kMaxLayers) + " layers");
        start = end + 1;
    }
    if (lines.empty()) return Status::error(ErrorCode::Input, {file_name}, "is empty");
    int32_t magic = 0;
    if (!parse_ncnn_int(lines[0].second, &magic) || magic != kMagic)
        return Status::error(ErrorCode::Input, {file_name, lines[0].first}, "not an ncnn .param: the first line must be the magic number 7767517");
    if (lines.size() < 2) return Status::error(ErrorCode::Input, {file_name}, "has no layer/blob count line");
    {
        LineCursor cur{lines[1].second};
        const std::string_view a = cur.word(), b = cur.word();
        const Location at{file_name, lines[1].first};
        if (!parse_ncnn_int(a, &file.declared_layer_count) || !parse_ncnn_int(b, &file.declared_blob_count) || !cur.done())
            return Status::error(ErrorCode::Input, at, "expected 'layer_count blob_count'");
        if (file.declared_layer_count <= 0 || file.declared_blob_count <= 0)
            return Status::error(ErrorCode::Input, at, "layer and blob counts must be positive");
    }

    // Blob name -> where it first appears. ncnn makes a new blob for every
    // output and connects an input to the first blob of that name, so an
    // output named like an earlier blob is unreachable (and the reference
    // writes a blob count ncnn then overruns): refused.
    struct BlobSeen {
        size_t layer;
        bool produced;
    };
    std::unordered_map<std::string, BlobSeen> known_blobs;
    size_t ncnn_blob_count = 0; // counted as ncnn's loader creates blobs
    for (size_t k = 2; k < lines.size(); k++) {
        ASSIGN_OR_RETURN(LayerDecl layer, parse_layer_line(lines[k].second, lines[k].first, file_name));
        for (const std::string& b : layer.bottoms)
            if (known_blobs.emplace(b, BlobSeen{file.layers.size(), false}).second) ncnn_blob_count++;
        for (const std::string& t : layer.tops) {
            auto [it, inserted] = known_blobs.emplace(t, BlobSeen{file.layers.size(), true});
            if (!inserted) {
                const LayerDecl& first = it->second.layer < file.layers.size() ? file.layers[it->second.layer] : layer;
                return Status::error(ErrorCode::Input, {file_name, layer.line, layer.type + " '" + layer.name + "'"}, "output blob '" + t + "' " + (it->second.produced ? "is already an output of " : "is already an input of ") + first.type + " '" + first.name + "' (line " + std::to_string(first.line) + "); ncnn would connect every reader to the first blob of that name");
            }
            ncnn_blob_count++;
        }
        file.layers.push_back(std::move(layer));
    }
    const Location header_at{file_name, lines[1].first};
    if (file.layers.size() != static_cast<size_t>(file.declared_layer_count))
        return Status::error(ErrorCode::Input, header_at, "the header declares " + std::to_string(file.declared_layer_count) + " layers but the file has " + std::to_string(file.layers.size()));
    if (ncnn_blob_count != static_cast<size_t>(file.declared_blob_count))
        return Status::error(ErrorCode::Input, header_at, "the header declares " + std::to_string(file.declared_blob_count) + " blobs but the layers use " + std::to_string(ncnn_blob_count));
    return file;
}

} // namespace ncnn_int8
