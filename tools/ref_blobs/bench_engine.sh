#!/bin/sh
# Engine forward time against the reference ncnn's fp32 forward, one thread
# each, same models, weights and inputs (the engine fixtures), best of N runs,
# side by side in one run. Needs ref_blobs built as its README says.
#
#   tools/ref_blobs/bench_engine.sh REF_BLOBS [N]
set -eu
ref=$1
runs=${2:-5}
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-$here/build}
shared=$(cd "$here/../shared" && pwd)
printf '%-20s %12s %12s %8s\n' model reference_ms engine_ms ratio
for fixture in "$here"/tests/engine/fixtures/*.fixture; do
  name=$(basename "$fixture" .fixture)
  model=$(sed -n 's/^model //p' "$fixture")
  corpus=${model%%/*}
  case_name=${model#*/}
  if [ "$corpus" = local ]; then param=$here/tests/engine/fixtures/$case_name.param; else param=$shared/$corpus/cases/$case_name/model.param; fi
  tmp=$(mktemp -d)
  # the fixture's header (everything but the blob lines): inputs for the reference
  grep -v '^blob ' "$fixture" > "$tmp/header"
  "$build/tests/ncnn_int8_engine_fixture_weights" --from "$fixture" "$tmp/w.bin"
  set -- $("$build/tests/ncnn_int8_engine_bench" "$fixture" "$runs")
  ours_ms=$1
  ref_ms=$(OMP_NUM_THREADS=1 "$ref" "$param" "$tmp/w.bin" "$tmp/header" --time="$runs,$2")
  ratio=$(awk -v a="$ours_ms" -v b="$ref_ms" 'BEGIN { printf "%.2f", a / b }')
  printf '%-20s %12s %12s %8s\n' "$name" "$ref_ms" "$ours_ms" "$ratio"
  rm -rf "$tmp"
done
echo "ratio = engine / reference (lower is faster)"
