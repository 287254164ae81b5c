// The ncnn2table command line, for every front end that offers it (the
// native CLI, and `npx ncnn2table` through the WebAssembly build): the usage
// text, the argument rules and their messages, written once.
#pragma once

#include <string>
#include <vector>

#include "calib/calib_options.h"
#include "calib/calibrate.h"
#include "cli/cli_args.h"

namespace ncnn_int8 {

extern const char kNcnn2TableUsage[];

enum class Ncnn2TableAction { Run,
                              Help,
                              Version,
                              Layers,
                              Error };

// Run: make the table. Layers: print the engine's layer types. An Error's
// message for exit code 1 comes without the "ncnn2table: error: " prefix;
// for 2 it is printed as it is.
struct Ncnn2TableArgs : CliDecision<Ncnn2TableAction> {
    std::string param_path, bin_path;
    std::string list_arg; // LIST[,LIST...]; empty: the weight-only table
    std::string table_path;
    CalibOptions options;
};

Ncnn2TableArgs parse_ncnn2table_args(const std::vector<std::string>& args);

// What the CLI prints to stderr after a run: one line per calibrated layer
// (max, threshold, scale, share clipped), then the warnings.
std::string ncnn2table_summary(const CalibrationOutcome& outcome);

// The progress line the CLI prints for a finished sample, or "" when this
// one is not shown (every 10th and the last).
std::string ncnn2table_progress_line(const CalibProgress& progress);

} // namespace ncnn_int8
