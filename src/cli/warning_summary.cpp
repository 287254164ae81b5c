#include "cli/warning_summary.h"

#include <map>

namespace ncnn_int8 {

namespace {

std::string place_of(const Warning& w)
{
    if (w.layer.empty()) return w.where;
    if (w.where.empty()) return w.layer;
    return w.layer + " at " + w.where;
}

} // namespace

std::string warning_summary(const std::vector<Warning>& warnings, size_t places_shown)
{
    // Groups in the order their message first appears.
    std::vector<std::vector<const Warning*>> groups;
    std::map<std::string, size_t> group_of;
    for (const Warning& w : warnings) {
        auto it = group_of.find(w.message);
        if (it == group_of.end()) {
            group_of.emplace(w.message, groups.size());
            groups.push_back({&w});
        } else {
            groups[it->second].push_back(&w);
        }
    }
    std::string out;
    for (const std::vector<const Warning*>& group : groups) {
        const Warning& first = *group.front();
        if (group.size() == 1) {
            out += "warning: ";
            if (!first.where.empty()) out += first.where + ": ";
            if (!first.layer.empty()) out += first.layer + ": ";
            out += first.message + "\n";
            continue;
        }
        out += "warning: " + first.message + " (" + std::to_string(group.size()) + " times: ";
        const size_t shown = group.size() < places_shown ? group.size() : places_shown;
        for (size_t i = 0; i < shown; i++) {
            if (i) out += ", ";
            out += place_of(*group[i]);
        }
        if (group.size() > shown) out += " and " + std::to_string(group.size() - shown) + " more";
        out += ")\n";
    }
    return out;
}

std::string cli_summary(const Report& report)
{
    Report totals = report;
    totals.warnings.clear(); // printed grouped above the totals instead
    return warning_summary(report.warnings) + report_to_text(totals);
}

} // namespace ncnn_int8
