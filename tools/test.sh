#!/usr/bin/env bash
# Sets up what is missing and runs every test: native unit + conformance
# tests; one clang ASan + UBSan build (build-asan/) for the sanitizer tests
# (what sanitizers find bugs in: parsers, readers, quantizer, kernels, bad
# inputs, fuzz regressions; see the asan test preset) and a short fuzzing
# pass; the kernel tests on the WASM build under Node; and the JavaScript
# (WASM, npm package, browser) tests.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh

say() { printf "\n== %s (%ss)\n" "$*" "$SECONDS"; }

say "format check (tools/format.sh --check)"
tools/format.sh --check

say "native tests"
ctest --preset native

say "sanitizer build (build-asan/: clang -O1, ASan + UBSan, libFuzzer targets)"
cmake --preset asan >/dev/null
cmake --build --preset asan

say "sanitizer tests"
ctest --preset asan

say "fuzzing smoke pass"
tools/fuzz.sh --smoke --no-build

if [ -z "${NCNN_INT8_SKIP_WASM:-}" ] && [ -f package.json ]; then
  say "kernel tests on the WASM build (Node)"
  NODE_PATH="${NODE_PATH:-/usr/share/nodejs}" cmake --build build-wasm --target ncnn_int8_wasm_kernel_tests
  node --no-experimental-fetch build-wasm/ncnn_int8_wasm_kernel_tests.cjs

  say "JavaScript tests"
  npm test
fi
say "all tests passed"
