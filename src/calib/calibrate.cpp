#include "calib/calibrate.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>

#include "calib/eq_search.h"
#include "calib/image_input.h"
#include "calib/kl_search.h"
#include "calib/npy_reader.h"
#include "calib/table_writer.h"
#include "calib/weight_scales.h"
#include "core/format.h"
#include "core/json_writer.h"
#include "core/thread_team.h"
#include "model/bin_reader.h"

namespace ncnn_int8 {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// Ranges of thresholds per blob in the KL search, of about equal work.
constexpr int kKlRangesPerBlob = 8;

// The calibrated blobs: each calibrated layer's first bottom, deduplicated.
struct BlobPlan {
    std::vector<std::string> names;       // unique, in first-use order
    std::vector<size_t> layer_blob;       // per calibrated layer: index into names
    std::map<std::string, size_t> lookup; // name -> index
    // What the engine runs for: the names plus the calibrated layers' tops,
    // so each calibrated layer itself runs and refuses an input its weights
    // do not fit (the int8 model would fail on it later).
    std::vector<std::string> run_names;
};

Result<BlobPlan> plan_blobs(const Model& model, const std::vector<size_t>& layers)
{
    BlobPlan plan;
    for (size_t li : layers) {
        const LayerDecl& d = *model.layers[li].decl;
        if (d.bottoms.empty()) return Status::failure(model.file.file_name + ":" + std::to_string(d.line) + ": " + model.layers[li].label() + " has no input blob");
        auto it = plan.lookup.find(d.bottoms[0]);
        if (it == plan.lookup.end()) {
            it = plan.lookup.emplace(d.bottoms[0], plan.names.size()).first;
            plan.names.push_back(d.bottoms[0]);
        }
        plan.layer_blob.push_back(it->second);
    }
    plan.run_names = plan.names;
    for (size_t li : layers)
        for (const std::string& top : model.layers[li].decl->tops)
            if (!plan.lookup.count(top) && std::find(plan.run_names.begin(), plan.run_names.end(), top) == plan.run_names.end()) plan.run_names.push_back(top);
    return plan;
}

size_t worker_count(const CalibOptions& o, size_t files)
{
    size_t t = o.threads > 0 ? static_cast<size_t>(o.threads) : std::max(1u, std::thread::hardware_concurrency());
    return std::max<size_t>(1, std::min(t, files));
}

// Runs `per_file(worker, runner, file)` over every file, one worker per
// member of `team`. A worker's runner is made on its first pass and kept for the
// next (every pass wants the same blobs), so the model loads once per
// worker. On failure the error of the lowest file index is returned, so
// the message does not depend on scheduling.
template <typename Worker, typename PerFile>
Status run_pass(ThreadTeam& team, const CalibrationJob& job, const std::vector<std::string>& wanted, const char* stage, size_t files,
                std::vector<Worker>& workers, PerFile per_file)
{
    std::atomic<size_t> next{0}, done{0};
    std::atomic<bool> stop{false};
    std::mutex mu;
    size_t failed_index = SIZE_MAX;
    Status failure;
    auto record = [&](size_t index, Status s) {
        std::lock_guard<std::mutex> lock(mu);
        if (index < failed_index) {
            failed_index = index;
            failure = std::move(s);
        }
        stop = true;
    };
    auto body = [&](size_t w) {
        std::unique_ptr<ForwardRunner>& runner = workers[w].runner;
        if (!runner) {
            auto made = job.make_runner(wanted);
            if (!made.is_ok()) {
                record(0, made.status());
                return;
            }
            runner = std::move(made).value();
        }
        while (!stop) {
            const size_t i = next++;
            if (i >= files) break;
            Status s = per_file(workers[w], *runner, i);
            if (!s.is_ok()) {
                record(i, std::move(s));
                break;
            }
            const size_t n = ++done;
            if (job.on_progress) {
                std::lock_guard<std::mutex> lock(mu);
                if (!job.on_progress({stage, n, files, i})) {
                    if (failed_index == SIZE_MAX) {
                        failed_index = SIZE_MAX - 1;
                        failure = Status::error(ErrorCode::Cancelled, Location{}, "cancelled");
                    }
                    stop = true;
                }
            }
        }
    };
    team.run(body);
    if (failed_index != SIZE_MAX) return failure;
    return Status::ok();
}

struct Worker {
    std::unique_ptr<ForwardRunner> runner; // made by the first pass
    std::vector<BlobStats> stats;
    std::vector<double> seconds; // per file, this pass
};

Status run_one(const CalibrationJob& job, const BlobPlan& plan, ForwardRunner& runner, size_t file,
               const std::function<void(size_t blob, const BlobView&)>& use)
{
    ASSIGN_OR_RETURN(std::vector<InputTensor> inputs, load_sample(job, file));
    std::vector<bool> seen(plan.names.size(), false);
    RETURN_IF_ERROR(runner.run(inputs, plan.run_names, [&](const std::string& blob, const BlobView& view) -> Status {
        auto it = plan.lookup.find(blob);
        if (it == plan.lookup.end()) return Status::ok();
        seen[it->second] = true;
        use(it->second, view);
        return Status::ok();
    }));
    for (size_t b = 0; b < seen.size(); b++)
        if (!seen[b]) return Status::failure("the engine did not produce blob '" + plan.names[b] + "'");
    return Status::ok();
}

std::string file_label(const CalibrationJob& job, size_t file)
{
    std::string s;
    for (size_t j = 0; j < job.lists.size(); j++) s += (j ? "," : "") + job.lists[j][file];
    return s;
}

} // namespace

std::vector<std::string> model_input_blobs(const Model& model)
{
    std::vector<std::string> out;
    for (const ModelLayer& l : model.layers)
        if (l.decl->type == "Input" && !l.decl->tops.empty()) out.push_back(l.decl->tops[0]);
    return out;
}

Result<InputTensor> prepare_input(const CalibOptions& o, size_t j, const uint8_t* bytes, size_t size, const std::string& path)
{
    if (o.file_type == 0) return prepare_image(bytes, size, path, o.shapes[j], o.pixels[j], o.means[j], o.norms[j]);
    ASSIGN_OR_RETURN(NpyArray a, parse_npy(bytes, size, path));
    RETURN_IF_ERROR(check_npy_shape(a, o.shapes[j], path));
    const auto& s = o.shapes[j];
    InputTensor t;
    t.dims = static_cast<int>(s.size());
    t.w = s[0];
    t.h = s.size() > 1 ? s[1] : 1;
    if (s.size() == 3) t.c = s[2];
    if (s.size() == 4) {
        t.d = s[2];
        t.c = s[3];
    }
    t.data.assign(a.data.begin(), a.data.end());
    return t;
}

Result<std::vector<InputTensor>> load_sample(const CalibrationJob& job, size_t index)
{
    std::vector<InputTensor> out;
    for (size_t j = 0; j < job.lists.size(); j++) {
        const std::string& path = job.lists[j][index];
        const std::string where = job.list_names[j] + ":" + path;
        auto bytes = job.read_list_input ? job.read_list_input(j, index, path) : job.read_input(path);
        if (!bytes.is_ok()) return Status::error(bytes.status().code(), Location{}, where + ": " + bytes.status().message());
        const std::vector<uint8_t>& b = bytes.value();
        ASSIGN_OR_RETURN(InputTensor t, prepare_input(job.options, j, b.data(), b.size(), path));
        out.push_back(std::move(t));
    }
    return out;
}

Result<CalibrationOutcome> run_calibration(const CalibrationJob& job)
{
    const Clock::time_point t0 = Clock::now();
    const Model& model = *job.model;
    const CalibOptions& o = job.options;
    CalibrationOutcome out;
    const bool with_lists = !job.lists.empty();
    const std::vector<std::string> inputs = model_input_blobs(model);
    const std::vector<size_t> layers = calibrated_layers(model);

    if (with_lists) {
        if (job.lists.size() != inputs.size())
            return Status::failure(format("the model has %zu Input layer%s but %zu list%s were given", inputs.size(), inputs.size() == 1 ? "" : "s",
                                          job.lists.size(), job.lists.size() == 1 ? "" : "s"));
        for (size_t j = 1; j < job.lists.size(); j++)
            if (job.lists[j].size() != job.lists[0].size())
                return Status::failure(format("%s has %zu files but %s has %zu: line k of every list is one sample", job.list_names[j].c_str(),
                                              job.lists[j].size(), job.list_names[0].c_str(), job.lists[0].size()));
    }
    RETURN_IF_ERROR(check_calib_options(o, inputs.size(), with_lists));

    ASSIGN_OR_RETURN(std::vector<LayerBlobs> index, index_bin(model, *job.bin, job.bin_name));
    ASSIGN_OR_RETURN(WeightScales weights, compute_weight_scales(model, index, *job.bin, job.bin_name, o.method, with_lists));

    std::vector<ScaleLine> activation_lines;
    std::vector<double> file_seconds;
    size_t threads_used = 0;
    if (!with_lists && !layers.empty())
        out.diagnostics.warn("ncnn2table", "", "no calibration lists: the table holds only the weight-only lines (Embed, MultiHeadAttention, RNN, LSTM, GRU); "
                                               "Convolution/ConvolutionDepthWise/InnerProduct layers stay unquantized");
    if (with_lists && !layers.empty()) {
        if (!job.make_runner) return Status::failure("no fp32 engine to run the model");
        ASSIGN_OR_RETURN(BlobPlan plan, plan_blobs(model, layers));
        const size_t files = job.lists[0].size();
        const size_t nthreads = worker_count(o, files);
        threads_used = nthreads;
        ThreadTeam team(nthreads);
        std::vector<Worker> workers(nthreads);
        for (Worker& w : workers) {
            w.stats.resize(plan.names.size());
            w.seconds.assign(files, 0.0);
        }
        // kl and eq take the report's clipped share from their histograms
        const bool count_magnitudes = o.method == CalibMethod::Aciq;
        RETURN_IF_ERROR(run_pass(team, job, plan.run_names, "absmax", files, workers, [&](Worker& w, ForwardRunner& r, size_t i) -> Status {
            const Clock::time_point t = Clock::now();
            Status s = run_one(job, plan, r, i, [&](size_t b, const BlobView& v) { add_absmax(w.stats[b], v, static_cast<long>(i), count_magnitudes); });
            w.seconds[i] += seconds_since(t);
            return s;
        }));
        // the first worker's statistics are taken over, not copied (the
        // histogram pass fills fresh ones)
        std::vector<BlobStats> merged = std::move(workers[0].stats);
        workers[0].stats.assign(plan.names.size(), BlobStats());
        for (size_t w = 1; w < workers.size(); w++)
            for (size_t b = 0; b < merged.size(); b++) merged[b].merge(workers[w].stats[b]);

        std::vector<float> thresholds(plan.names.size());
        std::vector<int> kl_bins(plan.names.size(), -1);
        if (o.method != CalibMethod::Aciq) { // eq starts from kl
            for (Worker& w : workers)
                for (BlobStats& s : w.stats) s.histogram.assign(kHistogramBins, 0);
            RETURN_IF_ERROR(run_pass(team, job, plan.run_names, "histogram", files, workers, [&](Worker& w, ForwardRunner& r, size_t i) -> Status {
                const Clock::time_point t = Clock::now();
                Status s = run_one(job, plan, r, i, [&](size_t b, const BlobView& v) { add_histogram(w.stats[b], v, merged[b].absmax); });
                w.seconds[i] += seconds_since(t);
                return s;
            }));
            for (size_t b = 0; b < merged.size(); b++) {
                merged[b].histogram.assign(kHistogramBins, 0);
                for (const Worker& w : workers)
                    for (int k = 0; k < kHistogramBins; k++) merged[b].histogram[k] += w.stats[b].histogram[k];
            }
            // The KL searches, each blob's in ranges of thresholds the team
            // takes in turn: with a few blobs, one per member would leave
            // members idle while the last ones finish.
            const std::vector<std::pair<int, int>> ranges = kl_threshold_ranges(kKlRangesPerBlob);
            std::vector<KlSearch> searches;
            searches.reserve(merged.size());
            for (const BlobStats& s : merged) searches.emplace_back(s.histogram);
            std::vector<KlSearch::Winner> winners(merged.size() * ranges.size());
            team.for_each(winners.size(), [&](size_t i) {
                const std::pair<int, int>& r = ranges[i % ranges.size()];
                winners[i] = searches[i / ranges.size()].search(r.first, r.second);
            });
            for (size_t b = 0; b < merged.size(); b++) {
                const int bin = KlSearch::winner_bin(&winners[b * ranges.size()], ranges.size());
                kl_bins[b] = bin;
                thresholds[b] = (bin + 0.5f) * merged[b].absmax / kHistogramBins;
            }
        } else {
            for (size_t b = 0; b < merged.size(); b++) thresholds[b] = aciq_threshold(merged[b].absmax, merged[b].last_count, 8);
        }

        file_seconds.assign(files, 0.0);
        for (const Worker& w : workers)
            for (size_t i = 0; i < files; i++) file_seconds[i] += w.seconds[i];

        std::vector<float> scales(layers.size());
        for (size_t k = 0; k < layers.size(); k++) scales[k] = 127 / thresholds[plan.layer_blob[k]];
        if (o.method == CalibMethod::Eq) RETURN_IF_ERROR(eq_search(job, layers, index, weights.conv, scales, team));
        for (size_t k = 0; k < layers.size(); k++) {
            const size_t b = plan.layer_blob[k];
            const float scale = scales[k];
            activation_lines.push_back({model.layers[layers[k]].decl->name, {scale}, layers[k]});
            BlobSummary s;
            s.layer = model.layers[layers[k]].decl->name;
            s.blob = plan.names[b];
            s.absmax = merged[b].absmax;
            s.threshold = o.method == CalibMethod::Eq ? 127 / scale : thresholds[b];
            s.scale = scale;
            s.clipped_share = count_magnitudes ? clipped_share(merged[b], thresholds[b]) : clipped_share_of_histogram(merged[b], kl_bins[b]);
            s.values = merged[b].values;
            s.aciq_n = merged[b].last_count;
            out.blobs.push_back(s);
        }
    }

    out.table = write_table(model, weights.conv, activation_lines, weights.fixed, o.full_precision, out.diagnostics);

    // The report: numbers with 9 significant digits, null when not finite.
    constexpr int kDigits = 9;
    JsonWriter j;
    j.begin_object();
    j.string("tool", "ncnn2table");
    j.string("method", method_name(o.method));
    j.integer("threads", static_cast<int64_t>(threads_used));
    j.integer("files", static_cast<int64_t>(with_lists ? job.lists[0].size() : 0));
    j.begin_array("blobs");
    for (const BlobSummary& s : out.blobs) {
        j.begin_object();
        j.string("layer", s.layer);
        j.string("blob", s.blob);
        j.number_or_null("absmax", s.absmax, kDigits);
        j.number_or_null("threshold", s.threshold, kDigits);
        j.number_or_null("scale", s.scale, kDigits);
        j.number_or_null("clipped_share", s.clipped_share, kDigits);
        j.integer("values", static_cast<int64_t>(s.values));
        j.end_object();
    }
    j.end_array();
    j.begin_array("inputs");
    double total_input_seconds = 0;
    for (size_t i = 0; i < file_seconds.size(); i++) {
        j.begin_object();
        j.string("files", file_label(job, i));
        j.number_or_null("seconds", file_seconds[i], kDigits);
        j.end_object();
        total_input_seconds += file_seconds[i];
    }
    j.end_array();
    j.begin_array("warnings");
    for (const Warning& w : out.diagnostics.warnings()) {
        j.begin_object();
        j.string("layer", w.layer);
        j.string("message", w.message);
        j.end_object();
    }
    j.end_array();
    j.begin_object("totals");
    j.integer("calibrated_layers", static_cast<int64_t>(activation_lines.size()));
    j.integer("weight_lines", static_cast<int64_t>(weights.conv.size() + weights.fixed.size()));
    j.number_or_null("input_seconds", total_input_seconds, kDigits);
    j.number_or_null("seconds", seconds_since(t0), kDigits);
    j.end_object();
    j.end_object();
    out.report_json = j.text() + "\n";
    return out;
}

} // namespace ncnn_int8
