#!/usr/bin/env bash
# `npm run build`: builds the WebAssembly module (build-wasm/), copies it into
# dist/ (what the npm package ships) and makes the sample model the web page
# uses (dist/sample/, with the native generator from build/) and its
# worker's warm-up transformer (dist/warmup/, text and layout only).
set -euo pipefail
cd "$(dirname "$0")/.."

# emcc's JS optimizer needs Debian's node modules (acorn).
export NODE_PATH="${NODE_PATH:-/usr/share/nodejs}"
emcmake cmake --preset wasm >/dev/null
cmake --build --preset wasm

mkdir -p dist
# ncnn_int8_calib_mt*: ncnn2table with pthreads. Its worker script is
# classic JavaScript (require() in Node): dist/package.json says so, since
# the package itself is "type": "module".
printf '{\n  "//": "the pthread worker script (ncnn_int8_calib_mt.worker.js) is CommonJS",\n  "type": "commonjs"\n}\n' > build-wasm/dist-package.json
for f in build-wasm/ncnn_int8_wasm.mjs build-wasm/ncnn_int8_wasm.wasm src/wasm/ncnn_int8_wasm.d.mts \
  build-wasm/ncnn_int8_calib_mt.mjs build-wasm/ncnn_int8_calib_mt.wasm build-wasm/ncnn_int8_calib_mt.worker.js \
  src/wasm/ncnn_int8_calib_mt.d.mts; do
  # Copy only when changed, so timestamps (and browser caches) stay put.
  cmp -s "$f" "dist/${f##*/}" || cp "$f" "dist/${f##*/}"
done
cmp -s build-wasm/dist-package.json dist/package.json || cp build-wasm/dist-package.json dist/package.json

generator=build/tools/ncnn_int8_make_model
if [ ! -x "$generator" ]; then
  if [ ! -f build/build.ninja ] && [ ! -f build/Makefile ]; then
    cmake --preset native >/dev/null
  fi
  cmake --build build --target ncnn_int8_make_model
fi
"$generator" sample dist/sample
# The page worker's warm-up transformer: its text and the .bin's layout
# only (web/worker.js makes the weights up).
"$generator" vit-tiny dist/warmup --layout
echo "dist/: $(cd dist && ls | tr '\n' ' ')"
