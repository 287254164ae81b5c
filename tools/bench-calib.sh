#!/usr/bin/env bash
# ncnn2table side by side: the reference (if NCNN2TABLE_REF points at a
# build of ncnn's tool, made outside this tree) and ours, one thread each,
# on every case of the calibration corpus, kl and aciq, alternating runs.
# Prints wall seconds (median of N), the ratio reference / ours (> 1: ours
# is faster), the same ratio of CPU seconds (user + sys, steadier than wall
# time on a machine shared with other jobs), peak RSS, and whether our table is byte-identical to the
# reference's or passes table_diff.py's rules. --baseline runs another
# build of ours (e.g. an earlier commit's) in the same rotation, for
# before/after ratios under the same machine load.
# --callgrind N counts instructions instead (valgrind's callgrind, the
# first N inputs of each list): a figure machine load does not move, for
# before/after and reference/ours ratios on a busy machine.
#   NCNN2TABLE_REF=/path/to/ncnn2table tools/bench-calib.sh [--repeats N] [--cases "a b"] [--threads T] [--methods "kl aciq"] [--baseline PATH] [--callgrind N]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus="${NCNN_INT8_CALIBRATION_DIR:-$root/../shared/calibration}"
build="${NCNN_INT8_BUILD_DIR:-$root/build}"
repeats=1
threads=1
cases=""
methods="kl aciq"
baseline=""
callgrind=0
while [ $# -gt 0 ]; do
  case "$1" in
    --repeats) repeats="$2"; shift 2 ;;
    --cases) cases="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --methods) methods="$2"; shift 2 ;;
    --baseline) baseline="$2"; shift 2 ;;
    --callgrind) callgrind="$2"; shift 2 ;;
    *) echo "usage: $0 [--repeats N] [--cases \"a b\"] [--threads T] [--methods \"kl aciq\"] [--baseline PATH] [--callgrind N]" >&2; exit 2 ;;
  esac
done
[ -d "$corpus/cases" ] || { echo "no calibration corpus at $corpus" >&2; exit 1; }

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" --target ncnn2table >/dev/null
ours="$build/ncnn2table"
ref="${NCNN2TABLE_REF:-}"
if [ -n "$ref" ] && [ ! -x "$ref" ]; then echo "NCNN2TABLE_REF=$ref is not executable" >&2; exit 1; fi
if [ -n "$baseline" ] && [ ! -x "$baseline" ]; then echo "--baseline $baseline is not executable" >&2; exit 1; fi
[ -z "$cases" ] && cases="$(ls "$corpus/cases")"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

if [ "$callgrind" -gt 0 ]; then
  command -v valgrind >/dev/null || { echo "--callgrind needs valgrind" >&2; exit 1; }
  # valgrind 3.19 cannot decode rdtscp, which libhwy's start-up timer
  # calibration runs: a copy with rdtscp (0f 01 f9) as rdtsc; nop (0f 31 90)
  # for whichever tool links libhwy (ours no longer does on x86; an earlier
  # build given as --baseline may).
  hwy="$(for t in "$ours" ${baseline:+"$baseline"}; do ldd "$t"; done | awk '/libhwy\.so/ {print $1 " " $3; exit}')"
  if [ -n "$hwy" ]; then
    read -r soname path <<< "$hwy"
    mkdir -p "$tmp/lib"
    python3 -c 'import sys; d = open(sys.argv[1], "rb").read(); open(sys.argv[2], "wb").write(d.replace(b"\x0f\x01\xf9", b"\x0f\x31\x90"))' "$path" "$tmp/lib/$soname"
  fi
  # instructions TOOL -> Ir of one run on the first N inputs (from the case folder)
  instructions() {
    local tool="$1"; shift
    LD_LIBRARY_PATH="$tmp/lib" valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" "$tool" model.param model.bin "$short" "$tmp/cg.table" "$@" >/dev/null 2>"$tmp/stderr" || {
      echo "FAILED: $tool ($(tail -1 "$tmp/stderr"))" >&2; echo 0; return; }
    awk '/^summary:/ {print $2}' "$tmp/cg.out"
  }
  printf "%-20s %-5s %16s %16s %9s %16s %9s\n" case method "ref Ir" "ours Ir" "ref/ours" "base Ir" "base/ours"
  for c in ${cases:-$(ls "$corpus/cases")}; do
    dir="$corpus/cases/$c"
    if [ -f "$dir/list.txt" ]; then lists=list.txt; else lists="$(ls "$dir" | grep -E '^list_[a-z]\.txt$' | paste -sd, -)"; fi
    short=""
    for l in ${lists//,/ }; do head -n "$callgrind" "$dir/$l" > "$tmp/short_$l"; short="${short:+$short,}$tmp/short_$l"; done
    read -r -a args < "$dir/args.txt"
    args=("${args[@]/#thread=*/thread=1}")
    for m in $methods; do
      o="$(cd "$dir" && instructions "$ours" "${args[@]}" method=$m)"
      r="-"; rr="-"; b="-"; br="-"
      if [ -n "$ref" ]; then r="$(cd "$dir" && instructions "$ref" "${args[@]}" method=$m)"; rr="$(awk -v a="$r" -v b="$o" 'BEGIN {printf "%.2f", (b > 0) ? a / b : 0}')"; fi
      if [ -n "$baseline" ]; then b="$(cd "$dir" && instructions "$baseline" "${args[@]}" method=$m)"; br="$(awk -v a="$b" -v b="$o" 'BEGIN {printf "%.2f", (b > 0) ? a / b : 0}')"; fi
      printf "%-20s %-5s %16s %16s %9s %16s %9s\n" "$c" "$m" "$r" "$o" "$rr" "$b" "$br"
    done
  done
  exit 0
fi

# run TOOL OUT ARGS... -> "seconds peak_kib cpu_seconds" of one run (from the case folder)
run() {
  local tool="$1" out="$2"; shift 2
  /usr/bin/time -f "%e %M %U %S" -o "$tmp/time" "$tool" model.param model.bin "$lists" "$out" "$@" >/dev/null 2>"$tmp/stderr" || {
    echo "FAILED: $tool ($(tail -1 "$tmp/stderr"))" >&2; echo "nan 0 nan"; return; }
  awk '{printf "%s %s %.2f\n", $1, $2, $3 + $4}' "$tmp/time"
}
median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }

printf "%-20s %-5s %10s %10s %8s %9s %12s %12s  %-16s %8s %10s %9s\n" case method "ref s" "ours s" "ref/ours" "cpu r/o" "ref MiB" "ours MiB" "table" "base s" "base/ours" "cpu b/o"
for c in $cases; do
  dir="$corpus/cases/$c"
  if [ -f "$dir/list.txt" ]; then lists=list.txt; else lists="$(ls "$dir" | grep -E '^list_[a-z]\.txt$' | paste -sd, -)"; fi
  read -r -a args < "$dir/args.txt"
  args=("${args[@]/#thread=*/thread=$threads}")
  for m in $methods; do
    : > "$tmp/ours.t"; : > "$tmp/ref.t"; : > "$tmp/base.t"; : > "$tmp/ours.c"; : > "$tmp/ref.c"; : > "$tmp/base.c"; ours_kib=0; ref_kib=0
    for ((i = 0; i < repeats; i++)); do
      if [ -n "$ref" ]; then
        read -r s k u < <(cd "$dir" && run "$ref" "$tmp/ref.table" "${args[@]}" method=$m); echo "$s" >> "$tmp/ref.t"; echo "$u" >> "$tmp/ref.c"; ref_kib=$k
      fi
      if [ -n "$baseline" ]; then
        read -r s k u < <(cd "$dir" && run "$baseline" "$tmp/base.table" "${args[@]}" method=$m); echo "$s" >> "$tmp/base.t"; echo "$u" >> "$tmp/base.c"
      fi
      read -r s k u < <(cd "$dir" && run "$ours" "$tmp/ours.table" "${args[@]}" method=$m); echo "$s" >> "$tmp/ours.t"; echo "$u" >> "$tmp/ours.c"; ours_kib=$k
    done
    ratio_of() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b > 0) ? a / b : 0}'; }
    ours_cpu="$(median < "$tmp/ours.c")"
    if [ -n "$baseline" ]; then
      base_s="$(median < "$tmp/base.t")"; base_ratio="$(ratio_of "$base_s" "$(median < "$tmp/ours.t")")"; base_cpu="$(ratio_of "$(median < "$tmp/base.c")" "$ours_cpu")"
    else base_s="-"; base_ratio="-"; base_cpu="-"; fi
    if [ -n "$ref" ]; then ref_cpu="$(ratio_of "$(median < "$tmp/ref.c")" "$ours_cpu")"; else ref_cpu="-"; fi
    ours_s="$(median < "$tmp/ours.t")"
    if [ -n "$ref" ]; then ref_s="$(median < "$tmp/ref.t")"; ratio="$(awk -v a="$ref_s" -v b="$ours_s" 'BEGIN {printf "%.2f", (b > 0) ? a / b : 0}')"; else ref_s="-"; ratio="-"; fi
    expected="$dir/expected/$m.table"
    [ "$m" = eq ] && expected="$dir/expected/eq_fixed.table"
    if [ ! -f "$expected" ]; then verdict="no reference"
    elif cmp -s "$tmp/ours.table" "$expected"; then verdict="identical"
    elif python3 "$corpus/table_diff.py" "$tmp/ours.table" "$expected" --quiet >/dev/null; then verdict="within tolerance"
    else verdict="DIFFERS"; fi
    printf "%-20s %-5s %10s %10s %8s %9s %12s %12s  %-16s %8s %10s %9s\n" "$c" "$m" "$ref_s" "$ours_s" "$ratio" "$ref_cpu" \
      "$([ -n "$ref" ] && awk -v k="$ref_kib" 'BEGIN {printf "%.1f", k / 1024}' || echo -)" \
      "$(awk -v k="$ours_kib" 'BEGIN {printf "%.1f", k / 1024}')" "$verdict" "$base_s" "$base_ratio" "$base_cpu"
  done
done
