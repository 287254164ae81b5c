#include "engine/layer_params.h"

#include <cstring>

namespace ncnn_int8::engine {

std::string NamedParams::where() const
{
    return file_ + ":" + std::to_string(layer_.decl->line) + ": " + layer_.label() + ": ";
}

const ParamSpec* NamedParams::spec(const char* name) const
{
    if (layer_.schema)
        for (const ParamSpec& p : layer_.schema->params)
            if (p.name == name) return &p;
    if (status_.is_ok())
        status_ = Status::failure(where() + "the engine reads a param '" + name + "' that the catalog does not declare for " + layer_.decl->type);
    return nullptr;
}

int NamedParams::i(const char* name) const
{
    const ParamSpec* p = spec(name);
    return p && layer_.params.has(p->id) ? layer_.params.get(p->id).as_int() : 0;
}

float NamedParams::f(const char* name) const
{
    const ParamSpec* p = spec(name);
    return p && layer_.params.has(p->id) ? layer_.params.get(p->id).as_float() : 0.f;
}

std::vector<int> NamedParams::ints(const char* name) const
{
    std::vector<int> out;
    const ParamSpec* p = spec(name);
    if (!p || !layer_.params.has(p->id)) return out;
    const ParamValue& v = layer_.params.get(p->id);
    for (size_t k = 0; k < v.items.size(); k++) out.push_back(v.item_int(k));
    return out;
}

std::vector<float> NamedParams::floats(const char* name) const
{
    std::vector<float> out;
    const ParamSpec* p = spec(name);
    if (!p || !layer_.params.has(p->id)) return out;
    const ParamValue& v = layer_.params.get(p->id);
    for (size_t k = 0; k < v.items.size(); k++) out.push_back(v.item_float(k));
    return out;
}

} // namespace ncnn_int8::engine
