#!/usr/bin/env bash
# Instruction counts (callgrind Ir) of ncnn2table on the first N inputs of
# calibration corpus cases, one thread: ours, and in the same script a
# baseline build of ours (--baseline, e.g. an earlier commit's) and the
# reference (NCNN2TABLE_REF, a build of ncnn's tool made outside this tree).
# Counts do not depend on the machine's load, unlike times, so before/after
# comparisons hold on a busy machine; they are not times (the reference's
# fused multiply-adds and ours differ in what an instruction does).
# Ours runs with Highway's AVX2 target at most (valgrind has no AVX-512):
# tools/callgrind/hwy_valgrind_shim.cpp is preloaded. Needs valgrind.
#   NCNN2TABLE_REF=/path/to/ncnn2table tools/callgrind-calib.sh [--inputs N] [--cases "a b"] [--methods "aciq kl"] [--baseline PATH]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus="${NCNN_INT8_CALIBRATION_DIR:-$root/../shared/calibration}"
build="${NCNN_INT8_BUILD_DIR:-$root/build}"
inputs=2
cases="squeezenet_he mobilenet_v2_he"
methods="aciq"
baseline=""
while [ $# -gt 0 ]; do
  case "$1" in
    --inputs) inputs="$2"; shift 2 ;;
    --cases) cases="$2"; shift 2 ;;
    --methods) methods="$2"; shift 2 ;;
    --baseline) baseline="$2"; shift 2 ;;
    *) echo "usage: $0 [--inputs N] [--cases \"a b\"] [--methods \"aciq kl\"] [--baseline PATH]" >&2; exit 2 ;;
  esac
done
command -v valgrind >/dev/null || { echo "valgrind not found (apt-get install valgrind)" >&2; exit 1; }
[ -d "$corpus/cases" ] || { echo "no calibration corpus at $corpus" >&2; exit 1; }
ref="${NCNN2TABLE_REF:-}"
if [ -n "$ref" ] && [ ! -x "$ref" ]; then echo "NCNN2TABLE_REF=$ref is not executable" >&2; exit 1; fi
if [ -n "$baseline" ] && [ ! -x "$baseline" ]; then echo "--baseline $baseline is not executable" >&2; exit 1; fi

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" --target ncnn2table >/dev/null
ours="$build/ncnn2table"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
shim="$tmp/hwy_valgrind_shim.so"
c++ -std=c++17 -O2 -shared -fPIC -o "$shim" "$root/tools/callgrind/hwy_valgrind_shim.cpp" -lhwy

# ir PRELOAD TOOL ARGS... -> instructions of one run (from the case folder)
ir() {
  local pre="$1" tool="$2"; shift 2
  if ! LD_PRELOAD="$pre" valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" "$tool" "$@" >/dev/null 2>"$tmp/log"; then
    echo "FAILED: $tool ($(grep -v '^==' "$tmp/log" | tail -1))" >&2; echo 0; return; fi
  sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$tmp/log"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", (a > 0 && b > 0) ? a / b : 0}'; }

printf "%-20s %-5s %6s %14s %14s %10s %14s %9s\n" case method inputs "ours Ir" "base Ir" "base/ours" "ref Ir" "ref/ours"
for c in $cases; do
  dir="$corpus/cases/$c"
  [ -f "$dir/list.txt" ] || { echo "$c: only single-list cases are supported here" >&2; continue; }
  head -n "$inputs" "$dir/list.txt" > "$tmp/list.txt"
  read -r -a args < "$dir/args.txt"
  args=("${args[@]/#thread=*/thread=1}")
  for m in $methods; do
    run_args=(model.param model.bin "$tmp/list.txt" "$tmp/out.table" "${args[@]}" method=$m)
    o="$(cd "$dir" && ir "$shim" "$ours" "${run_args[@]}")"
    b="-"; br="-"; r="-"; rr="-"
    if [ -n "$baseline" ]; then b="$(cd "$dir" && ir "$shim" "$baseline" "${run_args[@]}")"; br="$(ratio "$b" "$o")"; fi
    if [ -n "$ref" ]; then r="$(cd "$dir" && ir "" "$ref" "${run_args[@]}")"; rr="$(ratio "$r" "$o")"; fi
    printf "%-20s %-5s %6s %14s %14s %10s %14s %9s\n" "$c" "$m" "$inputs" "$o" "$b" "$br" "$r" "$rr"
  done
done
