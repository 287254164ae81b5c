// CPU time of a Chromium started with a given profile folder, per thread:
// the browser process and all its descendants (tools/chromium-memory.mjs
// finds them), read from /proc/PID/task/TID/stat. Linux only. Threads are
// grouped by process type and thread name (the page's workers all show as
// DedicatedWorker, so they are kept apart by thread id).
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { chromiumPids, processType } from './chromium-memory.mjs';

const tickMs = 1000 / (Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100);

/** Map of "type thread-name[#tid]" -> ms of CPU (user + system) so far. */
export function threadCpu(profileDir) {
  const byThread = new Map();
  for (const pid of chromiumPids(profileDir)) {
    const type = processType(pid);
    let tids = [];
    try {
      tids = fs.readdirSync(`/proc/${pid}/task`);
    } catch {
      continue; // the process has gone
    }
    for (const tid of tids) {
      try {
        const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const key = name === 'DedicatedWorker' ? `${type} ${name}#${tid}` : `${type} ${name}`;
        byThread.set(key, (byThread.get(key) ?? 0) + (Number(fields[11]) + Number(fields[12])) * tickMs);
      } catch {}
    }
  }
  return byThread;
}

/** {totalMs, threads: [[key, ms], ...] largest first} used between two threadCpu() snapshots. */
export function cpuBetween(before, after) {
  const threads = [];
  let totalMs = 0;
  for (const [key, ms] of after) {
    const used = ms - (before.get(key) ?? 0);
    if (used <= 0) continue;
    threads.push([key, used]);
    totalMs += used;
  }
  threads.sort((a, b) => b[1] - a[1]);
  return { totalMs, threads };
}

/** The `n` busiest threads of a cpuBetween() result, as "key 0.123 s, ...". */
export function busiestThreads(cpu, n = 6) {
  return cpu.threads
    .slice(0, n)
    .map(([key, ms]) => `${key} ${(ms / 1000).toFixed(3)} s`)
    .join(', ');
}
