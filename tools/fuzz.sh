#!/usr/bin/env bash
# Builds the libFuzzer targets (build-asan/: the sanitizer build, clang, ASan +
# UBSan; preset asan) and runs them.
#   tools/fuzz.sh --smoke                   every target 5 s (CI: tools/test.sh; catches what
#                                           breaks at once, long runs find the rest)
#   tools/fuzz.sh --seconds N [target...]   each named target (default: all) N s
#   options: --jobs J   targets run J at a time (default: the core count)
#            --no-build skip the configure/build step
#            --summary  only print the table from the last run's logs
# Targets: fuzz_param fuzz_table fuzz_bin fuzz_pipeline fuzz_llm_table fuzz_npy fuzz_calib_options (tests/fuzz/fuzz_entries.h).
# The corpus grows in build-asan/corpus/<target>/ (not committed; seeded by
# fuzz_make_seeds from the model generator), the committed regressions in
# tests/fuzz/regressions/<target>/ are run first. A crash, leak, timeout (one
# input running 30 s of wall-clock time: room for a busy machine, not a hang)
# or out-of-memory (2 GB) leaves its input in build-asan/artifacts/<target>/
# and makes this script fail. To keep one as a regression:
#   build-asan/tests/fuzz/<target> -minimize_crash=1 -runs=10000 \
#       -exact_artifact_path=tests/fuzz/regressions/<target>/<name> <crash file>
# (ncnn_int8_fuzz_replay replays that folder in every ctest run.)
# Installs nothing: tools/setup.sh installs clang and libclang-rt-14-dev.
set -euo pipefail
cd "$(dirname "$0")/.."

all_targets=(fuzz_param fuzz_table fuzz_bin fuzz_pipeline fuzz_llm_table fuzz_npy fuzz_calib_options)
seconds=""
jobs=$(nproc 2>/dev/null || echo 2)
build=1
summary_only=0
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) seconds=5 ;;
    --seconds) seconds="${2:?--seconds needs a number}"; shift ;;
    --jobs) jobs="${2:?--jobs needs a number}"; shift ;;
    --no-build) build=0 ;;
    --summary) summary_only=1 ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    fuzz_*) targets+=("$1") ;;
    *) echo "fuzz.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[ "$summary_only" = 1 ] && seconds=${seconds:-?}
[ -n "$seconds" ] || { echo "fuzz.sh: give --smoke or --seconds N (see --help)" >&2; exit 2; }
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")
for t in "${targets[@]}"; do
  case " ${all_targets[*]} " in *" $t "*) ;; *) echo "fuzz.sh: unknown target $t" >&2; exit 2 ;; esac
done

B=build-asan
if [ "$build" = 1 ] && [ "$summary_only" = 0 ]; then
  if ! command -v clang++ >/dev/null; then
    echo "fuzz.sh: clang++ not found; run tools/setup.sh (installs clang and libclang-rt-14-dev)" >&2
    exit 1
  fi
  cmake --preset asan >/dev/null
  cmake --build --preset asan --target "${all_targets[@]}" fuzz_make_seeds >/dev/null
fi
[ "$summary_only" = 1 ] || "$B/tests/fuzz/fuzz_make_seeds" "$B/corpus" >"$B/seeds.log"

# Largest input each target is mutated up to (pipeline seeds hold whole generated models).
max_len() {
  case "$1" in
    fuzz_param|fuzz_table) echo 16384 ;;
    fuzz_bin) echo 16384 ;;
    fuzz_npy|fuzz_calib_options) echo 4096 ;;
    fuzz_pipeline) echo 400000 ;;
  esac
}

run_one() {
  local t=$1 log="$B/logs/$1.log"
  mkdir -p "$B/corpus/$t" "$B/artifacts/$t" "$B/logs"
  local dict=()
  [ -f "tests/fuzz/dict/$t.dict" ] && dict=(-dict="tests/fuzz/dict/$t.dict")
  set +e
  ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$B/tests/fuzz/$t" "$B/corpus/$t" "tests/fuzz/regressions/$t" "${dict[@]}" \
      -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 -max_len="$(max_len "$t")" \
      -artifact_prefix="$B/artifacts/$t/" -print_final_stats=1 -close_fd_mask=1 >"$log" 2>&1
  echo $? >"$B/logs/$t.rc"
  set -e
}

start=$(date +%s)
running=0
[ "$summary_only" = 1 ] || echo "fuzzing ${targets[*]} for ${seconds} s each, ${jobs} at a time (logs: $B/logs/)"
[ "$summary_only" = 1 ] || for t in "${targets[@]}"; do
  rm -f "$B/logs/$t.rc"
  find "$B/artifacts/$t" -type f -delete 2>/dev/null || true
  run_one "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then wait -n || true; running=$((running - 1)); fi
done
wait || true

status=0
printf '\n%-14s %8s %12s %9s %7s %8s %8s %s\n' target seconds execs exec/s cov ft corpus crashes
for t in "${targets[@]}"; do
  log="$B/logs/$t.log"
  rc=$(cat "$B/logs/$t.rc" 2>/dev/null || echo "?")
  execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" 2>/dev/null | tail -1 | awk '{print $2}' || true)
  rate=$(grep -oE 'stat::average_exec_per_sec: *[0-9]+' "$log" 2>/dev/null | tail -1 | awk '{print $2}' || true)
  last=$(grep -E '^#[0-9]+' "$log" 2>/dev/null | grep -E 'cov: [0-9]+' | tail -1 || true)
  cov=$(sed -n 's/.*cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.*ft: \([0-9]*\).*/\1/p' <<<"$last")
  corpus=$(sed -n 's/.*corp: \([0-9]*\)\/.*/\1/p' <<<"$last")
  crashes=$(find "$B/artifacts/$t" -type f 2>/dev/null | wc -l)
  printf '%-14s %8s %12s %9s %7s %8s %8s %s\n' "$t" "$seconds" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "${corpus:-?}" "$crashes"
  if [ "$rc" != 0 ] || [ "$crashes" -gt 0 ]; then
    status=1
    echo "  $t FAILED (exit $rc); see $log" >&2
    { grep -E 'ERROR: |SUMMARY: |runtime error|invariant broken|Test unit written' "$log" | head -8 | sed 's/^/    /' >&2; } || true
  fi
done
echo "total wall time: $(( $(date +%s) - start )) s"
exit $status
