// What the benchmark scripts share: a whole process timed (wall clock, and
// the CPU time it and its children used), a file's digest, medians and the
// way figures are printed.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';

// User + system time of this process's waited-for children, in ms (Linux:
// /proc/self/stat's cutime and cstime, in clock ticks of 1/100 s on every
// Linux Node runs on); null elsewhere.
function childrenCpuMs() {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from the 3rd (state) on
    return (Number(fields[13]) + Number(fields[14])) * 10; // cutime, cstime (the 16th and 17th)
  } catch {
    return null;
  }
}

/**
 * Runs `cmd args` to its end: {ms: wall clock, cpuMs: its CPU time (user +
 * system, all its threads and children; null where unknown), stdout, stderr}.
 * A non-zero exit throws with the command and its stderr.
 */
export function runTimed(cmd, args, { cwd } = {}) {
  const cpu0 = childrenCpuMs();
  const t = performance.now();
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  const ms = performance.now() - t;
  const cpu1 = childrenCpuMs();
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return { ms, cpuMs: cpu0 === null || cpu1 === null ? null : cpu1 - cpu0, stdout: r.stdout, stderr: r.stderr };
}

/** The wall-clock ms of `cmd args` run to its end (throws on a non-zero exit). */
export function timeProcess(cmd, args, options) {
  return runTimed(cmd, args, options).ms;
}

/** sha256 of a file, read in 8 MiB pieces. */
export function sha256File(file) {
  const h = crypto.createHash('sha256');
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.allocUnsafe(8 << 20);
  try {
    for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0; ) h.update(buf.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return h.digest('hex');
}

/** The median (the upper one of an even count). */
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** ms as seconds, e.g. "1.23 s". */
export const seconds = (ms, digits = 2) => `${(ms / 1000).toFixed(digits)} s`;
/** bytes as MiB, e.g. "512 MiB". */
export const mib = (bytes) => `${(bytes / 1048576).toFixed(0)} MiB`;
