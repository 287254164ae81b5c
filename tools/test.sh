#!/usr/bin/env bash
# Sets up what is missing and runs every test: native unit + conformance
# tests; one clang ASan + UBSan build (build-asan/) for the sanitizer tests
# (what sanitizers find bugs in: parsers, readers, quantizer, kernels, bad
# inputs, fuzz regressions; see the asan test preset) and a short fuzzing
# pass; the kernel tests on the WASM build under Node; and the JavaScript
# (WASM, npm package, browser) tests.
# Steps that do not depend on each other run side by side (tools/jobs.sh;
# at most JOB_SLOTS=3 at a time); each step's output is printed when it ends
# and kept in build-logs/test/, and a table of wall-clock and CPU seconds
# per step closes the run.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh --packages
source tools/jobs.sh
JOB_LOGS=build-logs/test
wasm=0
[ -z "${NCNN_INT8_SKIP_WASM:-}" ] && [ -f package.json ] && wasm=1

# Declared in the order they should start: a job starts as soon as its
# dependencies are done and a slot is free. The longest chains first; the
# JavaScript tests (one Node process at a time, ~1 core) before the test
# steps that use both cores.
job asan_build "" bash -c 'cmake --preset asan >/dev/null && cmake --build --preset asan'
job native_build "" bash -c 'cmake --preset native >/dev/null && cmake --build --preset native'
if [ "$wasm" = 1 ]; then
  job npm_ci "" npm ci --no-audit --no-fund --loglevel=error
fi
job format_check "" tools/format.sh --check
if [ "$wasm" = 1 ]; then
  # Both modules and the kernel tests in one build, so its two compilers stay busy.
  job wasm_build "" bash -c 'set -e; export NODE_PATH="${NODE_PATH:-/usr/share/nodejs}"
    emcmake cmake --preset wasm >/dev/null
    cmake --build build-wasm --target ncnn_int8_wasm ncnn_int8_calib_mt ncnn_int8_wasm_kernel_tests'
  # dist/ (the npm package) and its sample model, from the builds above.
  job npm_build "wasm_build native_build" npm run build --silent
  job js_tests "npm_ci npm_build" npm test
fi
job sanitizer_tests asan_build ctest --preset asan
job native_tests native_build ctest --preset native
job fuzz_smoke asan_build tools/fuzz.sh --smoke --no-build
if [ "$wasm" = 1 ]; then
  job wasm_kernel_tests wasm_build node --no-experimental-fetch build-wasm/ncnn_int8_wasm_kernel_tests.cjs
fi
run_jobs
printf '\n== all tests passed (%ss)\n' "$SECONDS"
