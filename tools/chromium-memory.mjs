// Peak memory of a Chromium started with a given profile folder: the
// browser process and all its descendants (renderers, GPU, utility),
// peaks reset via /proc/PID/clear_refs and read from VmHWM. Linux only.
import fs from 'node:fs';

function procField(pid, field) {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0; // the process has gone
  }
}

/** The browser whose command line names `profileDir`, and its descendants. */
export function chromiumPids(profileDir) {
  const parent = new Map();
  let browserPid = 0;
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      // The browser: the one without --type= (its children may carry the
      // profile folder too, and after the pids wrap one may come first).
      const cmdline = browserPid ? '' : fs.readFileSync(`/proc/${name}/cmdline`, 'utf8');
      if (cmdline.includes(`--user-data-dir=${profileDir}`) && !cmdline.includes('--type=')) browserPid = Number(name);
    } catch {}
  }
  const pids = new Set([browserPid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of parent) if (pids.has(ppid) && !pids.has(pid)) pids.add(pid), (grew = true);
  }
  return browserPid ? [...pids] : [];
}

/** A Chromium process's --type (renderer, gpu-process, ...); 'browser' for the main one. */
export function processType(pid) {
  try {
    return /--type=([\w-]+)/.exec(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'))?.[1] ?? 'browser';
  } catch {
    return '?';
  }
}

/** Resets every process's peak; returns {total, byPid} of current RSS. */
export function resetPeaks(profileDir) {
  const byPid = new Map();
  for (const pid of chromiumPids(profileDir)) {
    try {
      fs.writeFileSync(`/proc/${pid}/clear_refs`, '5'); // resets VmHWM to the current RSS
    } catch {}
    byPid.set(pid, procField(pid, 'VmRSS'));
  }
  return { total: [...byPid.values()].reduce((a, b) => a + b, 0), byPid };
}

/** Peak RSS per process since resetPeaks, summed; each one's growth over `idle`. */
export function peakSince(profileDir, idle) {
  const growth = [];
  let total = 0;
  for (const pid of chromiumPids(profileDir)) {
    const peak = procField(pid, 'VmHWM');
    total += peak;
    growth.push({ pid, type: processType(pid), growth: peak - (idle.byPid.get(pid) ?? 0) });
  }
  growth.sort((a, b) => b.growth - a.growth);
  return { total, growth };
}
