// Embind functions around ncnn2table (src/calib/calibrate.h), for
// js/calibrate.js and `npx ncnn2table`:
//
//   calibModelInputs(param: Uint8Array, paramName)
//     -> {inputs: [{blob, layer, w, h, c}], error, errorCode}
//   calibPreprocess(bytes: Uint8Array, name, optionArgs: string[], inputIndex, inputCount)
//     -> {data: Float32Array, w, h, d, c, dims, min, max, mean, error, errorCode}
//   calibStart(param, paramName, binSize, readBin, binName, listNames: string[],
//              lists: string[][], held: (Uint8Array | null)[][], optionArgs: string[],
//              callbacks)
//     -> {job: number, error, errorCode}
//   calibProvide(request, bytes: Uint8Array | string)   (threads build)
//   calibPump()                                          (threads build)
//   calibCancel(job)
//   calibFinish(job)
//     -> {table: Uint8Array, report: string (JSON), summary: string (the CLI's
//         stderr lines), warnings: [{code, message, layer}], error, errorCode}
//   ncnn2tableArgs(args: string[]) -> the CLI's arguments (src/cli/ncnn2table_args.h)
//   ncnn2tableUsage(), calibParseList(text, name), calibSplitLists(arg),
//   calibLayerTypes(), calibThreads() (1: no pthreads in this build)
//
// optionArgs are ncnn2table's key=value arguments, parsed by the CLI's own
// parser. The .bin is read into wasm memory before the run (every worker's
// engine loads its weights from it). Callbacks never throw (bindings.cpp's
// rules): failures come back as strings or false.
//
// Single-thread build: calibStart runs the whole calibration before it
// returns; callbacks.readInput(list, index) returns the file's bytes (a
// Uint8Array) or a message, callbacks.progress(stage, done, total, index)
// returns false to cancel, then callbacks.done() is called.
//
// Threads build (-pthread): calibStart parses the model, reads the .bin and
// starts the calibration on a thread of its own, then returns, so the JS
// thread stays free to serve it: a worker thread that needs an input posts
// callbacks.requestInput(request, list, index) to the JS thread and waits;
// JS answers with calibProvide(request, bytes or message), at any later
// time (e.g. after an async File read). Each worker asks for one file at a
// time, so at most `thread` inputs are held at once besides the ones given
// in `held` (the caller's bytes of inputs it has in memory anyway, copied in
// at the start and read without asking). progress(...) and done() are
// posted the same way; calibCancel stops the run.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

#ifdef __EMSCRIPTEN_PTHREADS__
#include <emscripten/threading.h>

#include <condition_variable>
#include <thread>
#endif

#include "calib/calibrate.h"
#include "calib/engine_runner.h"
#include "calib/list_file.h"
#include "cli/ncnn2table_args.h"
#include "engine/engine.h"
#include "model/catalog/shape.h"
#include "model/model.h"
#include "model/param_file.h"
#include "wasm/js_io.h"

namespace {

using namespace ncnn_int8;
using namespace ncnn_int8::js;

std::vector<std::string> string_list(const val& array)
{
    std::vector<std::string> out;
    if (!array.isArray()) return out;
    const size_t n = array["length"].as<size_t>();
    for (size_t i = 0; i < n; i++) out.push_back(array[i].as<std::string>());
    return out;
}

Result<Model> parse_model(const val& param, const std::string& name, Diagnostics& diagnostics)
{
    if (!is_uint8_array(param)) return Status::failure("param must be a Uint8Array");
    const std::string text = bytes_of(param);
    ASSIGN_OR_RETURN(ParamFile file, read_param_text(text, name));
    return build_model(std::move(file), diagnostics);
}

// Warning codes for the page: what kind of warning, without parsing text.
const char* warning_code(const Warning& w)
{
    if (w.where == "table") return "scale_prints_zero";
    if (w.where == "ncnn2table") return "weight_only";
    return "model";
}

val warnings_array(const std::vector<Warning>& warnings)
{
    val a = val::array();
    for (const Warning& w : warnings) {
        val o = val::object();
        o.set("code", std::string(warning_code(w)));
        o.set("message", w.message);
        if (!w.layer.empty()) o.set("layer", w.layer);
        a.call<void>("push", o);
    }
    return a;
}

// The CLI's line for a warning of the model reader (where: layer: message).
std::string model_warning_lines(const Diagnostics& d)
{
    std::string s;
    for (const Warning& w : d.warnings()) s += "ncnn2table: warning: " + w.where + ": " + w.layer + (w.layer.empty() ? "" : ": ") + w.message + "\n";
    return s;
}

val model_inputs(val param, std::string param_name)
{
    return guarded([&]() -> val {
        Diagnostics diagnostics;
        Result<Model> model = parse_model(param, param_name, diagnostics);
        if (!model.is_ok()) return error_object(model.status().message(), model.status().code());
        val inputs = val::array();
        for (const ModelLayer& l : model.value().layers) {
            if (l.decl->type != "Input" || l.decl->tops.empty()) continue;
            val o = val::object();
            o.set("blob", l.decl->tops[0]);
            o.set("layer", l.decl->name);
            o.set("w", l.params.get(params::Input::w));
            o.set("h", l.params.get(params::Input::h));
            o.set("c", l.params.get(params::Input::c));
            inputs.call<void>("push", o);
        }
        val o = val::object();
        o.set("inputs", inputs);
        o.set("error", val::null());
        return o;
    });
}

// One input file as calibration prepares it. input_count < 0: no model to
// check against; the options are checked for as many inputs as they give.
val preprocess(val bytes, std::string name, val option_args, int input_index, int input_count)
{
    return guarded([&]() -> val {
        if (!is_uint8_array(bytes)) return error_object("the input must be a Uint8Array");
        auto options = parse_calib_options(string_list(option_args));
        if (!options.is_ok()) return error_object(options.status().message(), options.status().code());
        const CalibOptions& o = options.value();
        if (input_index < 0) return error_object("inputIndex must be 0 or more");
        size_t count = input_count >= 0 ? size_t(input_count) : std::max(size_t(input_index) + 1, o.shapes.size());
        if (size_t(input_index) >= count)
            return error_object("inputIndex " + std::to_string(input_index) + ": the model has " + std::to_string(count) + " Input layer" + (count == 1 ? "" : "s"));
        Status s = check_calib_options(o, count, true);
        if (!s.is_ok()) return error_object(s.message(), s.code());
        const std::string data = bytes_of(bytes);
        Result<InputTensor> t = prepare_input(o, size_t(input_index), reinterpret_cast<const uint8_t*>(data.data()), data.size(), name);
        if (!t.is_ok()) return error_object(t.status().message(), t.status().code());
        const auto& v = t.value().data; // the tensor's value store
        float lo = v.empty() ? 0.f : v[0], hi = lo;
        double sum = 0;
        for (float x : v) {
            lo = std::min(lo, x);
            hi = std::max(hi, x);
            sum += x;
        }
        val o2 = val::object();
        o2.set("data", val::global("Float32Array").new_(typed_memory_view(v.size(), v.data())));
        o2.set("w", t.value().w);
        o2.set("h", t.value().h);
        o2.set("d", t.value().d);
        o2.set("c", t.value().c);
        o2.set("dims", t.value().dims);
        o2.set("min", lo);
        o2.set("max", hi);
        o2.set("mean", v.empty() ? 0.0 : sum / double(v.size()));
        o2.set("error", val::null());
        return o2;
    });
}

// One calibration run: what it reads, what it made.
struct Job {
    int id = 0;
    val callbacks = val::undefined(); // JS thread only
    Model model;
    std::vector<uint8_t> bin;
    std::unique_ptr<MemorySource> bin_source;
    CalibrationJob calib;
    std::string model_warnings;
    // Inputs the caller held in memory at the start, by (list, index); read
    // only after the start, by any thread.
    std::map<std::pair<size_t, size_t>, std::vector<uint8_t>> held;
    std::atomic<bool> cancelled{false};
    bool finished = false;
    Result<CalibrationOutcome> outcome = Status::failure("not run");
};

std::mutex jobs_mutex;
std::map<int, std::unique_ptr<Job>> jobs;
int next_job_id = 1;

Job* find_job(int id)
{
    std::lock_guard<std::mutex> lock(jobs_mutex);
    auto it = jobs.find(id);
    return it == jobs.end() ? nullptr : it->second.get();
}

// The bytes of a Uint8Array, copied into the module's memory.
std::vector<uint8_t> vector_of(const val& u8)
{
    std::vector<uint8_t> bytes(u8["length"].as<size_t>());
    if (!bytes.empty()) val(typed_memory_view(bytes.size(), bytes.data())).call<void>("set", u8);
    return bytes;
}

// A held input's bytes (see Job::held), or null.
const std::vector<uint8_t>* held_input(const Job& job, size_t list, size_t index)
{
    auto it = job.held.find({list, index});
    return it == job.held.end() ? nullptr : &it->second;
}

#ifdef __EMSCRIPTEN_PTHREADS__

// An input a worker thread waits for; answered on the JS thread.
struct InputRequest {
    int job = 0;
    size_t list = 0, index = 0;
    bool ready = false;
    std::vector<uint8_t> bytes;
    std::string error;
    std::mutex mu;
    std::condition_variable cv;
};

std::mutex requests_mutex;
std::map<int, InputRequest*> requests;
int next_request_id = 1;

// Posted to the JS thread (emscripten_async_run_in_main_runtime_thread).
void post_request_on_main(int id)
{
    InputRequest* r = nullptr;
    {
        std::lock_guard<std::mutex> lock(requests_mutex);
        auto it = requests.find(id);
        if (it != requests.end()) r = it->second;
    }
    Job* job = r ? find_job(r->job) : nullptr;
    if (!job) return;
    job->callbacks.call<void>("requestInput", id, double(r->list), double(r->index));
}

struct ProgressPost {
    int job;
    const char* stage;
    size_t done, total, index;
};

void post_progress_on_main(ProgressPost* p)
{
    std::unique_ptr<ProgressPost> owned(p);
    Job* job = find_job(p->job);
    if (!job || job->finished) return;
    val r = job->callbacks.call<val>("progress", std::string(p->stage), double(p->done), double(p->total), double(p->index));
    if (r.isFalse()) job->cancelled = true;
}

void post_done_on_main(int id)
{
    Job* job = find_job(id);
    if (job) job->callbacks.call<void>("done");
}

Result<std::vector<uint8_t>> read_from_js(Job& job, size_t list, size_t index)
{
    if (job.cancelled) return Status::error(ErrorCode::Cancelled, Location{}, "cancelled");
    InputRequest r;
    r.job = job.id;
    r.list = list;
    r.index = index;
    int id;
    {
        std::lock_guard<std::mutex> lock(requests_mutex);
        id = next_request_id++;
        requests[id] = &r;
    }
    emscripten_async_run_in_main_runtime_thread(EM_FUNC_SIG_VI, post_request_on_main, id);
    {
        std::unique_lock<std::mutex> lock(r.mu);
        // Wakes up now and then to notice a cancel while JS is still reading.
        while (!r.ready && !job.cancelled) r.cv.wait_for(lock, std::chrono::milliseconds(50));
    }
    {
        std::lock_guard<std::mutex> lock(requests_mutex);
        requests.erase(id);
    }
    std::lock_guard<std::mutex> lock(r.mu);
    if (!r.ready) return Status::error(ErrorCode::Cancelled, Location{}, "cancelled");
    if (!r.error.empty()) return Status::error(ErrorCode::Io, Location{}, r.error);
    return std::move(r.bytes);
}

void provide(int id, val value)
{
    std::lock_guard<std::mutex> lock(requests_mutex);
    auto it = requests.find(id);
    if (it == requests.end()) return; // cancelled meanwhile
    InputRequest& r = *it->second;
    std::lock_guard<std::mutex> lock2(r.mu);
    if (value.typeOf().as<std::string>() == "string")
        r.error = value.as<std::string>();
    else if (!is_uint8_array(value))
        r.error = "the input reader returned something other than a Uint8Array";
    else {
        try {
            r.bytes = vector_of(value);
        } catch (const std::bad_alloc&) {
            r.error = "out of memory reading the input";
        }
    }
    r.ready = true;
    r.cv.notify_all();
}

// Runs the calls the calibration threads posted to the JS thread (input
// requests, progress, done). Emscripten wakes the JS thread with a message
// when that queue turns non-empty; the JS side also calls this every few
// milliseconds during a run, so that a wake-up the runtime misses delays a
// call by one tick instead of leaving every thread waiting for good.
void pump()
{
    emscripten_main_thread_process_queued_calls();
}

#endif // __EMSCRIPTEN_PTHREADS__

void run_job(Job& job)
{
    try {
        job.outcome = run_calibration(job.calib);
    } catch (const std::bad_alloc&) {
        job.outcome = Status::error(ErrorCode::OutOfMemory, Location{}, "out of memory: this does not fit in the WebAssembly instance (4 GB at most)");
    } catch (const std::exception& e) {
        job.outcome = Status::failure(std::string("internal error: ") + e.what());
    }
    if (!job.outcome.is_ok() && job.cancelled) job.outcome = Status::error(ErrorCode::Cancelled, Location{}, "cancelled");
}

val start(val param, std::string param_name, double bin_size, val read_bin, std::string bin_name, val list_names, val lists, val held,
          val option_args, val callbacks)
{
    return guarded([&]() -> val {
        auto job = std::make_unique<Job>();
        Diagnostics model_diag;
        Result<Model> model = parse_model(param, param_name, model_diag);
        if (!model.is_ok()) return error_object(model.status().message(), model.status().code());
        job->model = std::move(model).value();
        job->model_warnings = model_warning_lines(model_diag);
        auto options = parse_calib_options(string_list(option_args));
        if (!options.is_ok()) return error_object(options.status().message(), options.status().code());

        if (!(bin_size >= 0) || bin_size > 4294967295.0 || bin_size != double(uint64_t(bin_size))) return error_object(bin_name + ": invalid size");
        {
            JsSource source(uint64_t(bin_size), read_bin, bin_name);
            job->bin.resize(size_t(bin_size));
            size_t done = 0;
            while (done < job->bin.size()) {
                Result<size_t> got = source.read_at(done, job->bin.data() + done, job->bin.size() - done);
                if (!got.is_ok()) return error_object(got.status().message(), ErrorCode::Io);
                if (got.value() == 0) return error_object(bin_name + ": shorter than its size");
                done += got.value();
            }
        }
        job->bin_source = std::make_unique<MemorySource>(job->bin.data(), job->bin.size());

        CalibrationJob& c = job->calib;
        c.model = &job->model;
        c.bin = job->bin_source.get();
        c.bin_name = bin_name;
        c.options = options.value();
#ifndef __EMSCRIPTEN_PTHREADS__
        c.options.threads = 1; // no threads in this build
#endif
        c.list_names = string_list(list_names);
        if (lists.isArray())
            for (size_t j = 0, n = lists["length"].as<size_t>(); j < n; j++) c.lists.push_back(string_list(lists[j]));
        if (c.list_names.size() != c.lists.size()) return error_object("one name per list is needed");
        if (held.isArray())
            for (size_t j = 0, n = std::min(held["length"].as<size_t>(), c.lists.size()); j < n; j++) {
                const val list = held[j];
                if (!list.isArray()) continue;
                for (size_t i = 0, m = std::min(list["length"].as<size_t>(), c.lists[j].size()); i < m; i++) {
                    const val bytes = list[i];
                    if (is_uint8_array(bytes)) job->held[{j, i}] = vector_of(bytes);
                }
            }
        c.make_runner = engine_runner_factory(job->model, *job->bin_source, bin_name);
        job->callbacks = callbacks;
        Job* j = job.get();
#ifdef __EMSCRIPTEN_PTHREADS__
        c.read_list_input = [j](size_t list, size_t index, const std::string&) -> Result<std::vector<uint8_t>> {
            if (const std::vector<uint8_t>* bytes = held_input(*j, list, index)) return *bytes;
            return read_from_js(*j, list, index);
        };
        c.on_progress = [j](const CalibProgress& p) {
            emscripten_async_run_in_main_runtime_thread(EM_FUNC_SIG_VI, post_progress_on_main, new ProgressPost{j->id, p.stage, p.done, p.total, p.index});
            return !j->cancelled.load();
        };
#else
        c.read_list_input = [j](size_t list, size_t index, const std::string&) -> Result<std::vector<uint8_t>> {
            if (j->cancelled) return Status::error(ErrorCode::Cancelled, Location{}, "cancelled");
            val r = j->callbacks.call<val>("readInput", double(list), double(index));
            if (r.typeOf().as<std::string>() == "string") return Status::error(ErrorCode::Io, Location{}, r.as<std::string>());
            if (!is_uint8_array(r)) return Status::failure("the input reader returned something other than a Uint8Array");
            const std::string bytes = bytes_of(r);
            return std::vector<uint8_t>(bytes.begin(), bytes.end());
        };
        c.on_progress = [j](const CalibProgress& p) {
            val r = j->callbacks.call<val>("progress", std::string(p.stage), double(p.done), double(p.total), double(p.index));
            if (r.isFalse()) j->cancelled = true;
            return !j->cancelled.load();
        };
#endif
        {
            std::lock_guard<std::mutex> lock(jobs_mutex);
            j->id = next_job_id++;
            jobs[j->id] = std::move(job);
        }
#ifdef __EMSCRIPTEN_PTHREADS__
        // Detached: the JS thread must never block waiting for it (a join
        // there can wait on a thread that needs the JS thread to finish).
        // After posting done it touches nothing of the job, which
        // calibFinish then frees.
        const int id = j->id;
        std::thread([j, id]() {
            run_job(*j);
            emscripten_async_run_in_main_runtime_thread(EM_FUNC_SIG_VI, post_done_on_main, id);
        }).detach();
#else
        run_job(*j);
        j->callbacks.call<void>("done");
#endif
        val o = val::object();
        o.set("job", j->id);
        o.set("error", val::null());
        return o;
    });
}

void cancel(int id)
{
    Job* job = find_job(id);
    if (job) job->cancelled = true;
}

val finish(int id)
{
    std::unique_ptr<Job> job;
    {
        std::lock_guard<std::mutex> lock(jobs_mutex);
        auto it = jobs.find(id);
        if (it == jobs.end()) return error_object("no calibration run " + std::to_string(id));
        it->second->finished = true;
    }
    {
        std::lock_guard<std::mutex> lock(jobs_mutex);
        auto it = jobs.find(id);
        job = std::move(it->second);
        jobs.erase(it);
    }
    return guarded([&]() -> val {
        if (!job->outcome.is_ok()) return error_object(job->outcome.status().message(), job->outcome.status().code());
        const CalibrationOutcome& out = job->outcome.value();
        val o = val::object();
        o.set("table", val::global("Uint8Array").new_(typed_memory_view(out.table.size(), reinterpret_cast<const uint8_t*>(out.table.data()))));
        o.set("report", out.report_json);
        o.set("summary", job->model_warnings + ncnn2table_summary(out));
        o.set("warnings", warnings_array(out.diagnostics.warnings()));
        o.set("error", val::null());
        return o;
    });
}

val cli_args(val args)
{
    const Ncnn2TableArgs a = parse_ncnn2table_args(string_list(args));
    val o = val::object();
    const char* action = a.action == Ncnn2TableArgs::Action::Run       ? "run"
                         : a.action == Ncnn2TableArgs::Action::Help    ? "help"
                         : a.action == Ncnn2TableArgs::Action::Version ? "version"
                         : a.action == Ncnn2TableArgs::Action::Layers  ? "layers"
                                                                       : "error";
    o.set("action", std::string(action));
    o.set("exitCode", a.exit_code);
    o.set("message", a.message);
    o.set("paramPath", a.param_path);
    o.set("binPath", a.bin_path);
    o.set("listArg", a.list_arg);
    o.set("tablePath", a.table_path);
    o.set("reportPath", a.options.report_path);
    return o;
}

std::string usage() { return kNcnn2TableUsage; }

val parse_list(std::string text, std::string name)
{
    Result<std::vector<std::string>> paths = parse_list_text(text, name);
    if (!paths.is_ok()) return error_object(paths.status().message(), paths.status().code());
    val a = val::array();
    for (const std::string& p : paths.value()) a.call<void>("push", p);
    val o = val::object();
    o.set("paths", a);
    o.set("error", val::null());
    return o;
}

val split_lists(std::string arg)
{
    val a = val::array();
    for (const std::string& s : split_list_argument(arg)) a.call<void>("push", s);
    return a;
}

val layer_types()
{
    val a = val::array();
    for (const std::string& t : engine::supported_layer_types()) a.call<void>("push", t);
    return a;
}

std::string progress_line(std::string stage, double done, double total)
{
    CalibProgress p;
    p.stage = stage.c_str();
    p.done = size_t(done);
    p.total = size_t(total);
    return ncnn2table_progress_line(p);
}

int threads_available()
{
#ifdef __EMSCRIPTEN_PTHREADS__
    return int(std::max(1u, std::thread::hardware_concurrency()));
#else
    return 1;
#endif
}

} // namespace

EMSCRIPTEN_BINDINGS(ncnn_int8_calib)
{
    emscripten::function("calibModelInputs", &model_inputs);
    emscripten::function("calibPreprocess", &preprocess);
    emscripten::function("calibStart", &start);
    emscripten::function("calibCancel", &cancel);
    emscripten::function("calibFinish", &finish);
#ifdef __EMSCRIPTEN_PTHREADS__
    emscripten::function("calibProvide", &provide);
    emscripten::function("calibPump", &pump);
#endif
    emscripten::function("ncnn2tableArgs", &cli_args);
    emscripten::function("ncnn2tableUsage", &usage);
    emscripten::function("ncnn2tableProgressLine", &progress_line);
    emscripten::function("calibParseList", &parse_list);
    emscripten::function("calibSplitLists", &split_lists);
    emscripten::function("calibLayerTypes", &layer_types);
    emscripten::function("calibThreads", &threads_available);
}
