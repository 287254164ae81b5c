#!/usr/bin/env bash
# Runs the ncnn2table bad-input corpus through the CLI (ctest: calib_bad_inputs).
#   run_calib_bad_inputs.sh --cli PATH/ncnn2table [--seconds S] [--work DIR] [--only NAME] CASES_DIR
#
# A case is CASES_DIR/<name>/case.txt; its input folder IN/ is a copy of
# ../base/ with the case's ops applied, and the CLI runs from inside IN/ (list
# files name their inputs relative to the current folder, as ncnn2table reads
# them). case.txt lines:
#   # what the case checks
#   args: ...            IN/ and OUT/ at the start of a word (or after key=) become the folders
#   exit: 1              expected exit status (0 works, 1 error, 2 usage)
#   stderr: FRAGMENT     must appear in stderr; repeatable
#   op: truncate FILE N | append FILE HEX | patch FILE OFFSET HEX | write FILE TEXT
#       | copy FROM TO | remove FILE | dir FILE        applied to IN/ first; repeatable
# Every case also checks: no sanitizer report, CPU time (user + system)
# within --seconds, for a failing exit status that OUT/ is still empty (no
# table, no temp file), for exit 0 that OUT/model.table exists.
set -uo pipefail

cli="" seconds=2 work="" only="" cases=""
while [ $# -gt 0 ]; do
  case "$1" in
    --cli) cli="$2"; shift ;;
    --seconds) seconds="$2"; shift ;;
    --work) work="$2"; shift ;;
    --only) only="$2"; shift ;;
    *) cases="$1" ;;
  esac
  shift
done
[ -n "$cli" ] && [ -x "$cli" ] || { echo "run_calib_bad_inputs.sh: --cli must name the ncnn2table executable" >&2; exit 2; }
[ -d "$cases" ] || { echo "run_calib_bad_inputs.sh: give the cases folder" >&2; exit 2; }
cli=$(cd "$(dirname "$cli")" && pwd)/$(basename "$cli")
base=$(cd "$cases/../base" && pwd)
[ -n "$work" ] || work=$(mktemp -d)
rm -rf "$work"
mkdir -p "$work"
work=$(cd "$work" && pwd)
limit_ms=$((seconds * 1000))

failures=0 passed=0
fail() {
  echo "FAIL $name: $*"
  failures=$((failures + 1))
  case_ok=0
}
subst() { # IN/ and OUT/ at the start of a word or of a key=value's value
  local key="" w=$1
  case "$w" in *=IN/* | *=OUT/*) key="${w%%=*}="; w="${w#*=}" ;; esac
  case "$w" in
    IN/*) printf '%s%s' "$key" "$in/${w#IN/}" ;;
    OUT/*) printf '%s%s' "$key" "$out/${w#OUT/}" ;;
    *) printf '%s%s' "$key" "$w" ;;
  esac
}
hex_to_file() {
  local hex=$1 i
  for ((i = 0; i < ${#hex}; i += 2)); do printf "\\x${hex:i:2}"; done
}
apply_op() {
  local kind=$1 file="$in/$2"
  case "$kind" in
    truncate) truncate -s "$3" "$file" ;;
    append) hex_to_file "$3" >>"$file" ;;
    patch) hex_to_file "$4" | dd of="$file" bs=1 seek="$3" conv=notrunc status=none ;;
    write) shift 2; printf '%b' "$*" >"$file" ;;
    copy) cp "$in/$2" "$in/$3" ;;
    remove) rm -rf "$file" ;;
    dir) rm -f "$file"; mkdir "$file" ;;
    *) fail "unknown op $kind" ;;
  esac
}

for dir in "$cases"/*/; do
  name=$(basename "$dir")
  [ -n "$only" ] && [ "$name" != "$only" ] && continue
  case_ok=1
  in="$work/$name/in" out="$work/$name/out"
  mkdir -p "$in" "$out"
  cp -r "$base"/. "$in"/
  args=() expect_exit="" fragments=()
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in
      "#"*|"") ;;
      args:*) read -r -a words <<<"${line#args:}"; for w in "${words[@]}"; do args+=("$(subst "$w")"); done ;;
      exit:*) expect_exit=$(echo "${line#exit:}" | tr -d ' ') ;;
      stderr:*) fragments+=("${line#stderr: }") ;;
      op:*) read -r -a op <<<"${line#op:}"; apply_op "${op[@]}" ;;
      *) fail "bad case.txt line: $line" ;;
    esac
  done <"$dir/case.txt"
  # CPU time (user + system; bash's `time`), which a busy machine does not
  # inflate as it does wall-clock time.
  TIMEFORMAT='%3U %3S'
  { time env -C "$in" "$cli" "${args[@]}" >"$work/$name/stdout" 2>"$work/$name/stderr"; } 2>"$work/$name/cpu"
  status=$?
  read -r user_s sys_s <"$work/$name/cpu"
  cpu_ms=$((10#${user_s/./} + 10#${sys_s/./}))
  [ "$status" = "$expect_exit" ] || fail "exit $status, expected $expect_exit: $(tail -2 "$work/$name/stderr")"
  for f in "${fragments[@]}"; do
    grep -qF -- "$f" "$work/$name/stderr" || fail "stderr lacks '$f': $(tail -2 "$work/$name/stderr")"
  done
  grep -qE "AddressSanitizer|runtime error:|LeakSanitizer" "$work/$name/stderr" && fail "sanitizer report"
  [ "$cpu_ms" -le "$limit_ms" ] || fail "used ${cpu_ms} ms of CPU time (limit ${limit_ms})"
  if [ "$expect_exit" != 0 ]; then
    [ -z "$(ls -A "$out")" ] || fail "output left behind: $(ls -A "$out")"
  elif [ "$expect_exit" = 0 ] && [[ " ${args[*]} " == *" $out/model.table "* ]]; then
    [ -f "$out/model.table" ] || fail "no table written"
  fi
  [ "$case_ok" = 1 ] && passed=$((passed + 1))
done
echo "calib bad inputs: $passed passed, $failures failed"
[ "$failures" = 0 ]
