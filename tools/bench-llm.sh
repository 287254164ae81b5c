#!/usr/bin/env bash
# Side-by-side benchmark of weight-only LLM quantization: ncnn's reference
# ncnnllm2table + ncnnllm2int against ours, whole processes, same inputs,
# same run. The model is a generated qwen2.5-0.5b-sized decoder (~1.43 GB,
# made once, never committed). Prints wall seconds, peak RSS, the ratios and
# whether every output is byte-identical.
#   tools/bench-llm.sh --ref DIR [--methods "minmax mseclip"] [--bits 4] [--block 64]
#                      [--threads 2] [--repeats 1] [--kind decoder-0.5b] [--work DIR]
#   --ref DIR   folder with the reference's ncnnllm2table and ncnnllm2int
#               (without it only our tools run)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${NCNN_INT8_BENCH_BUILD_DIR:-$root/build-bench}"
ref="" methods="minmax mseclip" bits=4 block=64 threads=2 repeats=1 kind=decoder-0.5b work=""
while [ $# -gt 0 ]; do
  case "$1" in
    --ref) ref="$2"; shift ;;
    --methods) methods="$2"; shift ;;
    --bits) bits="$2"; shift ;;
    --block) block="$2"; shift ;;
    --threads) threads="$2"; shift ;;
    --repeats) repeats="$2"; shift ;;
    --kind) kind="$2"; shift ;;
    --work) work="$2"; shift ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench-llm.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
work="${work:-$build/llm-bench}"
command -v /usr/bin/time >/dev/null || { echo "bench-llm.sh: needs /usr/bin/time (Debian package time)" >&2; exit 2; }

# An existing (Release) build dir is reused as it is configured.
if [ ! -f "$build/build.ninja" ] && [ ! -f "$build/Makefile" ]; then
  generator=()
  command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
  cmake -S "$root" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release -DNCNN_INT8_TESTS=OFF -DNCNN_INT8_SANITIZE=OFF >/dev/null
fi
cmake --build "$build" --target ncnnllm2table ncnnllm2int ncnn_int8_make_model >/dev/null

mkdir -p "$work"
model="$work/$kind"
if [ ! -f "$model/model.bin" ]; then
  echo "generating $kind into $model ..."
  "$build/tools/ncnn_int8_make_model" "$kind" "$model"
fi
echo "model: $kind, $(stat -c %s "$model/model.bin") bytes; bits=$bits block=$block thread=$threads; $(nproc) CPUs; load $(cut -d' ' -f1-3 /proc/loadavg)"

# run NAME CMD...: wall seconds and peak RSS (KiB) into $wall/$rss; fails on a non-zero exit
run() {
  local name=$1; shift
  local log="$work/$name.time"
  if ! /usr/bin/time -f "%e %M" -o "$log" "$@" >"$work/$name.out" 2>&1; then
    echo "FAILED: $name (see $work/$name.out)" >&2; exit 1
  fi
  read -r wall rss <"$log"
}

same() { cmp -s "$1" "$2" && echo identical || echo DIFFERENT; }
printf '%-8s %-5s %-6s %9s %9s %9s %11s %11s\n' method tool step ref_s ours_s ratio ref_MiB ours_MiB
for method in $methods; do
  for r in $(seq "$repeats"); do
    args=(method="$method" bits="$bits" block="$block")
    ours_t=0 ref_t=0
    for step in table apply; do
      if [ "$step" = table ]; then
        run ours_table "$build/ncnnllm2table" "$model/model.param" "$model/model.bin" "$work/ours.llm.table" "${args[@]}" thread="$threads" --quiet
      else
        run ours_apply "$build/ncnnllm2int" "$model/model.param" "$model/model.bin" "$work/ours.param" "$work/ours.bin" "$work/ours.llm.table" thread="$threads" --quiet
      fi
      o_wall=$wall o_rss=$rss
      r_wall="-" r_rss="-" ratio="-"
      if [ -n "$ref" ]; then
        if [ "$step" = table ]; then
          run ref_table "$ref/ncnnllm2table" "$model/model.param" "$model/model.bin" "$work/ref.llm.table" "${args[@]}" thread="$threads"
        else
          run ref_apply "$ref/ncnnllm2int" "$model/model.param" "$model/model.bin" "$work/ref.param" "$work/ref.bin" "$work/ref.llm.table"
        fi
        r_wall=$wall r_rss=$rss
        ratio=$(awk -v a="$r_wall" -v b="$o_wall" 'BEGIN { printf "%.1fx", a / (b > 0 ? b : 0.01) }')
        ref_t=$(awk -v a="$ref_t" -v b="$r_wall" 'BEGIN { print a + b }')
        r_rss=$((r_rss / 1024))
      fi
      ours_t=$(awk -v a="$ours_t" -v b="$o_wall" 'BEGIN { print a + b }')
      printf '%-8s %-5s %-6s %9s %9s %9s %11s %11s\n' "$method" "#$r" "$step" "$r_wall" "$o_wall" "$ratio" "$r_rss" $((o_rss / 1024))
    done
    if [ -n "$ref" ]; then
      total=$(awk -v a="$ref_t" -v b="$ours_t" 'BEGIN { printf "%.1fx", a / (b > 0 ? b : 0.01) }')
      printf '%-8s %-5s %-6s %9s %9s %9s\n' "$method" "#$r" "total" "$ref_t" "$ours_t" "$total"
      echo "  outputs: table $(same "$work/ours.llm.table" "$work/ref.llm.table"), param $(same "$work/ours.param" "$work/ref.param"), bin $(same "$work/ours.bin" "$work/ref.bin")"
    fi
  done
done
