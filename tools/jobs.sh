# Sourced by tools/test.sh and tools/setup.sh: runs named steps ("jobs")
# side by side where they do not depend on each other, and reports each
# one's wall-clock and CPU time (user + system of everything it ran; a busy
# machine stretches the first, not the second).
#   job NAME "DEPENDENCIES" COMMAND...   declare a job (runs after its dependencies)
#   run_jobs                             run them all; the first failure stops the rest
# A job's output goes to $JOB_LOGS/NAME.log and is printed when it ends.
# Jobs start in the order declared, at most $JOB_SLOTS at a time.

JOB_LOGS=${JOB_LOGS:-logs}
JOB_SLOTS=${JOB_SLOTS:-3}
job_names=()
declare -A job_deps=() job_cmd=() job_state=() job_pid=() job_start=()

job() {
  local name=$1 deps=$2
  shift 2
  job_names+=("$name")
  job_deps[$name]=$deps
  job_cmd[$name]=$(printf '%q ' "$@")
  job_state[$name]=waiting
}

# seconds since the epoch with milliseconds, from bash's EPOCHREALTIME
job_now() { local t=${EPOCHREALTIME/,/.}; echo "${t%???}"; }

# "0m1.250s" -> milliseconds
job_ms() {
  local v=${1%s} m s
  m=${v%%m*}
  s=${v#*m}
  s=${s/,/.}
  echo $((10#$m * 60000 + 10#${s%.*} * 1000 + 10#${s#*.}))
}

job_start_one() {
  local name=$1
  job_start[$name]=$(job_now)
  job_state[$name]=running
  printf '== %s: started (%ss)\n' "$name" "$SECONDS"
  (
    # `times` after the command: CPU time of this subshell and of every
    # process it waited for (builds wait for their compilers, ctest for tests).
    set +e
    eval "${job_cmd[$name]}"
    rc=$?
    times >"$JOB_LOGS/$name.times"
    exit $rc
  ) >"$JOB_LOGS/$name.log" 2>&1 </dev/null &
  job_pid[$name]=$!
}

job_ready() {
  local d
  for d in ${job_deps[$1]}; do
    [ "${job_state[$d]}" = done ] || return 1
  done
}

# CPU seconds of a finished job (both lines of `times`: the shell and its children)
job_cpu() {
  local total=0 u s
  while read -r u s; do
    total=$((total + $(job_ms "$u") + $(job_ms "$s")))
  done <"$JOB_LOGS/$1.times"
  printf '%d.%d' $((total / 1000)) $((total % 1000 / 100))
}

job_report=()
run_jobs() {
  mkdir -p "$JOB_LOGS"
  local name running pid rc wall cpu
  local t0
  t0=$(job_now)
  while :; do
    running=0
    for name in "${job_names[@]}"; do [ "${job_state[$name]}" = running ] && running=$((running + 1)); done
    for name in "${job_names[@]}"; do
      [ "$running" -lt "$JOB_SLOTS" ] || break
      if [ "${job_state[$name]}" = waiting ] && job_ready "$name"; then
        job_start_one "$name"
        running=$((running + 1))
      fi
    done
    [ "$running" -gt 0 ] || break
    rc=0
    wait -n -p pid || rc=$?
    for name in "${job_names[@]}"; do
      [ "${job_pid[$name]:-}" = "$pid" ] || continue
      wall=$(awk -v a="${job_start[$name]}" -v b="$(job_now)" 'BEGIN { printf "%.1f", b - a }')
      cat "$JOB_LOGS/$name.log"
      if [ "$rc" != 0 ]; then
        printf '\n== %s: FAILED (exit %s) after %s s; log: %s/%s.log\n' "$name" "$rc" "$wall" "$JOB_LOGS" "$name" >&2
        job_stop_all
        return 1
      fi
      cpu=$(job_cpu "$name")
      job_state[$name]=done
      job_report+=("$(printf '%-20s %8s %8s' "$name" "$wall" "$cpu")")
      printf '== %s: done, wall %s s, CPU %s s (%ss)\n' "$name" "$wall" "$cpu" "$SECONDS"
    done
  done
  for name in "${job_names[@]}"; do
    if [ "${job_state[$name]}" != done ]; then
      echo "== $name never ran: a dependency is missing (${job_deps[$name]})" >&2
      return 1
    fi
  done
  printf '\n%-20s %8s %8s\n' "step" "wall s" "CPU s"
  printf '%s\n' "${job_report[@]}"
  wall=$(awk -v a="$t0" -v b="$(job_now)" 'BEGIN { printf "%.1f", b - a }')
  printf '%-20s %8s %8s\n' "all (side by side)" "$wall" \
    "$(for name in "${job_names[@]}"; do job_cpu "$name"; echo; done | awk '{ s += $1 } END { printf "%.1f", s }')"
}

# Stops the jobs still running (their process groups are not separate, so
# each job's subshell and its children are found through the parent chain).
job_stop_all() {
  local name
  for name in "${job_names[@]}"; do
    [ "${job_state[$name]}" = running ] || continue
    job_kill_tree "${job_pid[$name]}"
  done
  wait 2>/dev/null || true
}

job_kill_tree() {
  local child
  for child in $(pgrep -P "$1" 2>/dev/null); do job_kill_tree "$child"; done
  kill "$1" 2>/dev/null || true
}
