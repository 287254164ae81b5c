#!/usr/bin/env bash
# Sets up what is missing and runs every test: native unit + conformance
# tests, the same under AddressSanitizer/UBSan, a short fuzzing pass, and
# the JavaScript (WASM, npm package, browser) tests.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh

say() { printf "\n== %s (%ss)\n" "$*" "$SECONDS"; }

say "format check (tools/format.sh --check)"
tools/format.sh --check

say "native tests"
ctest --preset native

say "sanitizer build and tests (build-asan/)"
cmake --preset asan >/dev/null
cmake --build --preset asan
ctest --preset asan

if [ -x tools/fuzz.sh ]; then
  say "fuzzing smoke pass"
  tools/fuzz.sh --smoke
fi

if [ -z "${NCNN_INT8_SKIP_WASM:-}" ] && [ -f package.json ]; then
  say "JavaScript tests"
  npm test
fi
