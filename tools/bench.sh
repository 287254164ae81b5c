#!/usr/bin/env bash
# Builds ncnn_int8_bench (Release, its own build dir) and runs it.
# Models are generated once into build-bench/bench-models/ and reused.
#   tools/bench.sh [--only vit|cnn] [--repeats N] [--json FILE] [--models DIR]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${NCNN_INT8_BENCH_BUILD_DIR:-$root/build-bench}"

cd "$root"
cmake --preset bench -B "$build" >/dev/null
cmake --build "$build" --target ncnn_int8_bench

# Default models dir inside the (git-ignored) build dir; a later --models wins.
exec "$build/tools/ncnn_int8_bench" --models "$build/bench-models" --json "$build/bench-results.json" "$@"
