#!/usr/bin/env bash
# Sets up what is missing and runs every test: native unit + conformance
# tests, the same under AddressSanitizer/UBSan, a short fuzzing pass, and
# the JavaScript (WASM, npm package, browser) tests.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh

say() { printf "\n== %s (%ss)\n" "$*" "$SECONDS"; }

say "native tests"
ctest --test-dir build --output-on-failure -j2

say "sanitizer build and tests (build-asan/)"
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNCNN_INT8_SANITIZE=ON -DNCNN_INT8_BENCH=OFF >/dev/null
cmake --build build-asan
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --test-dir build-asan --output-on-failure -j2

if [ -x tools/fuzz.sh ]; then
  say "fuzzing smoke pass"
  tools/fuzz.sh --smoke
fi

if [ -z "${NCNN_INT8_SKIP_WASM:-}" ] && [ -f package.json ]; then
  say "JavaScript tests"
  npm test
fi
