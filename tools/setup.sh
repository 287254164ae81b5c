#!/usr/bin/env bash
# Installs what this project needs and is missing, then builds it.
# Safe to run again: installed packages are skipped, builds are incremental.
#   tools/setup.sh              native + WebAssembly builds and npm packages
#   tools/setup.sh --packages   Debian packages only (tools/test.sh builds itself)
#   NCNN_INT8_SKIP_WASM=1       native only
set -euo pipefail
cd "$(dirname "$0")/.."
packages_only=0
[ "${1:-}" = "--packages" ] && packages_only=1

say() { printf "\n== %s (%ss)\n" "$*" "$SECONDS"; }

# Debian packages: compiler and build tools, Highway, GoogleTest, stb_image,
# clang's sanitizer/fuzzer runtime, clang-format, GNU time (peak RSS in
# tools/bench-llm.sh), Emscripten, Chromium for the browser tests.
packages=(cmake ninja-build g++ clang clang-format libclang-rt-14-dev libhwy-dev libgtest-dev libstb-dev python3 time)
if [ -z "${NCNN_INT8_SKIP_WASM:-}" ]; then
  packages+=(emscripten chromium)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then missing+=(nodejs npm); fi
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

[ "$packages_only" = 1 ] && exit 0

# The native build and npm's download run side by side; the WebAssembly
# build's sample model comes from the native generator (tools/build-wasm.sh).
source tools/jobs.sh
JOB_LOGS=build-logs/setup
job native_build "" bash -c 'cmake --preset native >/dev/null && cmake --build --preset native'
if [ -z "${NCNN_INT8_SKIP_WASM:-}" ]; then
  job npm_ci "" npm ci --no-audit --no-fund --loglevel=error
  # WebAssembly build (build-wasm/), copied into dist/ with the sample
  # model the web page uses (tools/build-wasm.sh).
  job wasm_build native_build npm run build --silent
fi
run_jobs
