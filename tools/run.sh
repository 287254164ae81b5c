#!/usr/bin/env bash
# Sets up what is missing, then shows the tool working: makes a small sample
# model, quantizes it with the native CLI, prints the report, and serves the
# web page on http://127.0.0.1:8080 (Ctrl-C stops it).
#   tools/run.sh --no-serve    stop after the CLI run
set -euo pipefail
cd "$(dirname "$0")/.."
serve=1
[ "${1:-}" = "--no-serve" ] && serve=0
tools/setup.sh

sample=build/sample
out=build/sample-int8
mkdir -p "$sample" "$out"
build/tools/ncnn_int8_make_model sample "$sample"
printf '\n== ncnn2int8 %s/model.param %s/model.bin %s/model.param %s/model.bin %s/model.table\n' "$sample" "$sample" "$out" "$out" "$sample"
build/ncnn2int8 "$sample/model.param" "$sample/model.bin" "$out/model.param" "$out/model.bin" "$sample/model.table" --report "$out/report.json"
ls -l "$sample/model.bin" "$out/model.bin" "$out/report.json"

if [ "$serve" = 1 ] && [ -f tools/serve.mjs ]; then
  printf '\n== web page: http://127.0.0.1:8080  (Ctrl-C to stop)\n'
  exec node tools/serve.mjs --port 8080
fi
