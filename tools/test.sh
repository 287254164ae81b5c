#!/usr/bin/env bash
# Sets up what is missing and runs every test: native unit + conformance
# tests; one clang ASan + UBSan build (build-asan/) for the sanitizer tests
# (what sanitizers find bugs in: parsers, readers, quantizer, kernels, bad
# inputs, fuzz regressions; see the asan test preset) and a short fuzzing
# pass; the kernel tests on the WASM build under Node; and the JavaScript
# (WASM, npm package, browser) tests.
# Steps that do not depend on each other run side by side (tools/jobs.sh);
# each step's output is printed when it ends
# and kept in build-logs/test/, and a table of wall-clock and CPU seconds
# per step closes the run.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh --packages
source tools/jobs.sh
JOB_LOGS=build-logs/test
wasm=0
[ -z "${NCNN_INT8_SKIP_WASM:-}" ] && [ -f package.json ] && wasm=1

# The longest chain goes first: the WebAssembly build and the native CLIs
# the JavaScript tests compare against, then those tests (Node and headless
# Chromium, minutes of wall-clock time on less than one core). The other
# builds run at a lower priority (nice) beside it and take whatever CPU the
# chain leaves, so it is never slowed by them and the cores never sit idle.
# (The sanitizer build at normal priority beside the browser tests ended
# its part sooner but loaded the machine while they ran; at a priority
# between the two, the Release build's tests ended the run later.)
# Test steps run at normal priority.
JOB_SLOTS=8
low="nice -n 10"
if [ "$wasm" = 1 ]; then
  job npm_ci "" npm ci --no-audit --no-fund --loglevel=error
  # The two modules npm's tests need; the kernel tests of this build after
  # them (and after npm run build, which runs this build's ninja again),
  # beside those tests.
  job wasm_build "" bash -c 'set -e; export NODE_PATH="${NODE_PATH:-/usr/share/nodejs}"
    emcmake cmake --preset wasm >/dev/null
    cmake --build build-wasm --target ncnn_int8_wasm ncnn_int8_calib_mt'
fi
# The shipped native executables (and the model generator), which the
# JavaScript tests run; the rest of the native build (its tests) follows.
job native_clis "" bash -c 'cmake --preset native >/dev/null &&
  cmake --build --preset native --target ncnn2int8 ncnn2table ncnnllm2table ncnnllm2int ncnn_int8_make_model'
if [ "$wasm" = 1 ]; then
  # dist/ (the npm package) and its sample model, from the builds above.
  job npm_build "wasm_build native_clis" npm run build --silent
  # `npm test` in its two steps side by side: the type check and Node's
  # tests, and the page in Chromium.
  job js_tests "npm_ci npm_build" npm run --silent test:node
  job e2e_tests "npm_ci npm_build" npm run --silent test:e2e
fi
job asan_build "" $low bash -c 'cmake --preset asan >/dev/null && cmake --build --preset asan'
job native_build native_clis $low cmake --build --preset native
if [ "$wasm" = 1 ]; then
  job wasm_kernel_tests_build npm_build $low bash -c 'export NODE_PATH="${NODE_PATH:-/usr/share/nodejs}"
    cmake --build build-wasm --target ncnn_int8_wasm_kernel_tests'
fi
job format_check "" $low tools/format.sh --check
job sanitizer_tests asan_build ctest --preset asan
job native_tests native_build ctest --preset native
job fuzz_smoke asan_build tools/fuzz.sh --smoke --no-build
if [ "$wasm" = 1 ]; then
  job wasm_kernel_tests wasm_kernel_tests_build node --no-experimental-fetch build-wasm/ncnn_int8_wasm_kernel_tests.cjs
fi
run_jobs
printf '\n== all tests passed (%ss)\n' "$SECONDS"
