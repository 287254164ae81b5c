#!/usr/bin/env bash
# Runs the bad-input corpus through the CLI (ctest: bad_inputs).
#   run_bad_inputs.sh --cli PATH/ncnn2int8 [--seconds S] [--work DIR] [--only NAME] [--shard K/N] CASES_DIR
#
# --shard K/N runs the K-th of N interleaved parts of the cases (K from 0),
# so ctest can run the parts side by side.
#
# --seconds limits the CPU time (user + system) of each run, which a busy
# machine does not inflate; a run that does not end within 60 times that in
# wall-clock time (at least 60 s) is killed as a hang.
#
# A case is a folder CASES_DIR/<name>/ with a case.txt and the files that
# differ from ../base/ (model.param, model.bin, model.table). case.txt lines:
#   # what the case checks
#   args: IN/model.param IN/model.bin OUT/model.param OUT/model.bin IN/model.table
#         (IN/ is the case's input folder: base/ + the case's files + ops;
#          OUT/ an empty output folder; other words are passed as they are)
#   exit: 1               expected exit status (1 error, 0 must work, 2 usage)
#   stderr: FRAGMENT      must appear in stderr (IN/ and OUT/ replaced as in args); repeatable
#   op: truncate FILE N | append FILE HEX | patch FILE OFFSET HEX | dir FILE | remove FILE
#       | python FILE     (runs python3 IN/FILE IN: writes inputs too big to commit)
#                         applied to the input folder before the run; repeatable
#   compare: base         output identical to base/'s, run with the same args
#   compare: bin          the .bin identical to base/'s (the .param may differ)
#   compare: names A=B .. identical to base/'s but for layers renamed A -> B
#                         (blank runs collapsed in the .param: names change the padding)
# Every case also checks: no sanitizer report, CPU time within --seconds, and
# for a failing exit status that OUT/ is still empty (no output, no
# *.partial-* temp file).
set -uo pipefail

cli="" seconds=1 work="" only="" cases="" shard="0/1"
while [ $# -gt 0 ]; do
  case "$1" in
    --cli) cli="$2"; shift ;;
    --seconds) seconds="$2"; shift ;;
    --work) work="$2"; shift ;;
    --only) only="$2"; shift ;;
    --shard) shard="$2"; shift ;;
    *) cases="$1" ;;
  esac
  shift
done
[ -n "$cli" ] && [ -x "$cli" ] || { echo "run_bad_inputs.sh: --cli must name the ncnn2int8 executable" >&2; exit 2; }
[ -d "$cases" ] || { echo "run_bad_inputs.sh: give the cases folder" >&2; exit 2; }
base="$cases/../base"
own_work=0
[ -n "$work" ] || { work=$(mktemp -d); own_work=1; }
rm -rf "$work"
mkdir -p "$work"
work=$(cd "$work" && pwd)
limit_ms=$((seconds * 1000))
shard_index=${shard%/*} shard_count=${shard#*/}
[[ "$shard_index" =~ ^[0-9]+$ && "$shard_count" =~ ^[1-9][0-9]*$ ]] && [ "$shard_index" -lt "$shard_count" ] || { echo "run_bad_inputs.sh: --shard wants K/N with 0 <= K < N" >&2; exit 2; }
index=0
wall_limit=$((seconds * 60 > 60 ? seconds * 60 : 60))
command -v timeout >/dev/null || { echo "run_bad_inputs.sh: needs timeout (coreutils)" >&2; exit 2; }

failures=0
passed=0
fail() {
  echo "FAIL $name: $*"
  failures=$((failures + 1))
  case_ok=0
}

# substitute IN/ and OUT/ at the start of a word
subst() {
  local w=$1
  case "$w" in
    IN/*) printf '%s' "$in/${w#IN/}" ;;
    OUT/*) printf '%s' "$out/${w#OUT/}" ;;
    *) printf '%s' "$w" ;;
  esac
}

hex_to_file() { # HEX -> bytes on stdout
  local hex=$1 i
  for ((i = 0; i < ${#hex}; i += 2)); do printf "\\x${hex:i:2}"; done
}

apply_op() {
  local kind=$1 file="$in/$2"
  case "$kind" in
    truncate) truncate -s "$3" "$file" ;;
    append) hex_to_file "$3" >>"$file" ;;
    patch) hex_to_file "$4" | dd of="$file" bs=1 seek="$3" conv=notrunc status=none ;;
    dir) rm -f "$file"; mkdir "$file" ;;
    remove) rm -rf "$file" ;;
    python) python3 "$file" "$in" || fail "op python $2 failed" ;;
    *) fail "unknown op $kind"; return 1 ;;
  esac
}

# Runs the CLI on base/ with the case's args into $1; prints nothing.
run_base() {
  local dest=$1 save_in=$in save_out=$out
  in="$dest/in"; out="$dest/out"
  mkdir -p "$in" "$out"
  cp "$base"/* "$in"/
  local a=() w
  for w in "${args[@]}"; do a+=("$(subst "$w")"); done
  "$cli" "${a[@]}" >/dev/null 2>"$dest/stderr"
  local rc=$?
  in=$save_in; out=$save_out
  return $rc
}

for dir in "$cases"/*/; do
  name=$(basename "$dir")
  [ -n "$only" ] && [ "$name" != "$only" ] && continue
  index=$((index + 1))
  [ $(((index - 1) % shard_count)) = "$shard_index" ] || continue
  [ -f "$dir/case.txt" ] || continue
  case_ok=1
  t="$work/$name"
  in="$t/in"; out="$t/out"
  mkdir -p "$in" "$out"
  cp "$base"/* "$in"/
  for f in "$dir"/*; do
    [ "$(basename "$f")" = case.txt ] || cp "$f" "$in"/
  done

  args=() expect_exit="" compare="" stderr_expect=()
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in
      "#"*|"") ;;
      args:*) read -r -a args <<<"${line#args:}" ;;
      exit:*) expect_exit=$(echo ${line#exit:}) ;;
      stderr:*) s=${line#stderr: }; s=${s//IN\//$in/}; s=${s//OUT\//$out/}; stderr_expect+=("$s") ;;
      op:*) read -r -a op <<<"${line#op:}"; apply_op "${op[@]}" ;;
      compare:*) compare=$(echo ${line#compare:}) ;;
      *) fail "bad case.txt line: $line" ;;
    esac
  done <"$dir/case.txt"

  argv=()
  for w in "${args[@]}"; do argv+=("$(subst "$w")"); done
  # bash's `time` reports the child's CPU time: user and system seconds.
  TIMEFORMAT='%3U %3S'
  { time timeout -s KILL "$wall_limit" "$cli" "${argv[@]}" >"$t/stdout" 2>"$t/stderr"; } 2>"$t/cpu"
  rc=$?
  read -r user_s sys_s <"$t/cpu"
  ms=$((10#${user_s/./} + 10#${sys_s/./}))

  if [ "$rc" = 137 ]; then
    fail "killed after ${wall_limit} s wall-clock time: a hang"
  else
    [ "$rc" = "$expect_exit" ] || fail "exit status $rc, expected $expect_exit: $(head -c 400 "$t/stderr")"
  fi
  [ "$ms" -le "$limit_ms" ] || fail "used $ms ms of CPU time (limit $limit_ms ms)"
  if grep -qE 'Sanitizer|runtime error|LeakSanitizer' "$t/stderr"; then fail "sanitizer report: $(grep -m3 -E 'ERROR|runtime error' "$t/stderr")"; fi
  for s in "${stderr_expect[@]}"; do
    grep -qF -- "$s" "$t/stderr" || fail "stderr lacks '$s'; stderr: $(head -c 400 "$t/stderr")"
  done
  if [ "$rc" != 0 ] && [ -n "$(ls -A "$out")" ]; then fail "output left behind after an error: $(ls -A "$out" | tr '\n' ' ')"; fi
  if [ "$rc" = 0 ] && [ -n "$compare" ]; then
    if ! run_base "$t/base"; then
      fail "the base model failed with the same args: $(head -c 300 "$t/base/stderr")"
    else
      ref_param=$(subst OUT/model.param); ref_param="$t/base/out/${ref_param#$out/}"
      ref_bin="$t/base/out/model.bin"
      read -r -a cmp_words <<<"$compare"
      case "${cmp_words[0]}" in
        base)
          cmp -s "$ref_param" "$out/model.param" || fail "model.param differs from base/'s output"
          cmp -s "$ref_bin" "$out/model.bin" || fail "model.bin differs from base/'s output" ;;
        bin)
          cmp -s "$ref_bin" "$out/model.bin" || fail "model.bin differs from base/'s output" ;;
        names)
          cmp -s "$ref_bin" "$out/model.bin" || fail "model.bin differs from base/'s output"
          expected=$(tr -s ' ' <"$ref_param")
          for kv in "${cmp_words[@]:1}"; do
            from=${kv%%=*} to=${kv#*=}
            expected=$(sed -E "s/(^| )${from}( |$)/\\1${to}\\2/g; s/(^| )${from}( |$)/\\1${to}\\2/g" <<<"$expected")
          done
          [ "$expected" = "$(tr -s ' ' <"$out/model.param")" ] || fail "model.param differs from base/'s output with the layers renamed" ;;
        *) fail "unknown compare: $compare" ;;
      esac
    fi
  fi
  if [ "$case_ok" = 1 ]; then
    passed=$((passed + 1))
    printf 'ok   %-48s exit %s  %4d ms CPU  %s\n' "$name" "$rc" "$ms" "$(grep -m1 -E 'error|warning' "$t/stderr" | cut -c1-150)"
    rm -rf "$t" # keep only failing cases' files
  fi
done

echo "$passed passed, $failures failed"
[ "$own_work" = 1 ] && [ "$failures" = 0 ] && rm -rf "$work"
[ "$failures" = 0 ] && [ "$passed" -gt 0 ]
