#!/usr/bin/env node
// The page's LLM section against the native ncnnllm2table + ncnnllm2int, on
// the same files, in one run; prints times, ratios (page / native) and the
// tab's peak memory, and checks that the page's downloads are byte-identical
// to the native outputs. The page makes the table and the model in one read
// of the .bin; natively they are the two tools, one after the other.
//
//   node tools/bench-web-llm.mjs [--model DIR] [--kind decoder-0.5b] [--method minmax]
//                                [--bits 4] [--block 64] [--repeats 1] [--json FILE]
//
// --model DIR holds model.param + model.bin; without it a decoder of --kind
// is generated into build-bench/bench-models/<kind> (decoder-0.5b is the
// qwen2.5-0.5b-sized one, 1.43 GB: delete it when done).
// Native: both tools as whole processes (spawned, wall clock and CPU time,
// summed; tools/bench-util.mjs), on one thread and on all cores. Page: Debian's Chromium (headless, on-disk
// profile, so the origin private file system is on disk) drives the real
// page as a user does: file input -> bits / block / method -> Quantize
// weights -> downloads offered (timed in the page from the click to the
// result shown; the worker's account of where the time went beside it).
// Before each page run the bare read of the same .bin in the same tab (the
// File streamed into a reused buffer, nothing else) shows the floor; the
// worker's timeline (per window of the core: blocked on the File, copying,
// writing, messages, computing) shows what overlaps.
// Memory: the peak RSS of every Chromium process of that
// profile, summed, as growth over the idle page (tools/chromium-memory.mjs).
// CPU: every Chromium thread's CPU time over the bare read and over the page
// run (tools/chromium-cpu.mjs): on a machine with few cores the page is
// bound by the sum, and the browser's own reading of the File is most of it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { root, startServer, loadPlaywright, chromiumPath, launchArgs, prerequisiteProblem } from '../tests/e2e/helpers.mjs';
import { resetPeaks, peakSince } from './chromium-memory.mjs';
import { busiestThreads, cpuBetween, threadCpu } from './chromium-cpu.mjs';
import { median, mib, runTimed, seconds as fmt, sha256File as sha256 } from './bench-util.mjs';

const { values: opts } = parseArgs({
  options: {
    model: { type: 'string' },
    kind: { type: 'string', default: 'decoder-0.5b' },
    method: { type: 'string', default: 'minmax' },
    bits: { type: 'string', default: '4' },
    block: { type: 'string', default: '64' },
    repeats: { type: 'string', default: '1' },
    json: { type: 'string' },
  },
});
const repeats = Number(opts.repeats);
if (!(repeats >= 1)) throw new Error('--repeats must be a positive number');

const tableCli = path.join(root, 'build/ncnnllm2table');
const intCli = path.join(root, 'build/ncnnllm2int');
const generator = path.join(root, 'build/tools/ncnn_int8_make_model');
const problem = prerequisiteProblem() ?? ([tableCli, intCli].every((f) => fs.existsSync(f)) ? null : 'build/ncnnllm2table or build/ncnnllm2int is missing (tools/setup.sh)');
if (problem) {
  console.error(`bench-web-llm: ${problem}`);
  process.exit(1);
}

const dir = path.resolve(opts.model ?? path.join(root, 'build-bench/bench-models', opts.kind));
const param = path.join(dir, 'model.param');
const bin = path.join(dir, 'model.bin');
if (![param, bin].every((f) => fs.existsSync(f))) {
  console.log(`generating ${opts.kind} into ${dir} ...`);
  if (spawnSync(generator, [opts.kind, dir], { stdio: 'inherit' }).status !== 0) process.exit(1);
}
fs.mkdirSync(path.join(root, 'build-bench'), { recursive: true });
const work = fs.mkdtempSync(path.join(root, 'build-bench', 'web-llm-bench-'));
const out = (name) => path.join(work, name);
const keys = [`method=${opts.method}`, `bits=${opts.bits}`, `block=${opts.block}`];

// Table, then the model from it: what the page does in one pass.
// {ms, cpuMs}: both processes, summed.
function runNative(threads) {
  const t = [`thread=${threads}`];
  const table = runTimed(tableCli, [param, bin, out('native.llm.table'), ...keys, ...t, '--quiet']);
  const apply = runTimed(intCli, [param, bin, out('native.param'), out('native.bin'), out('native.llm.table'), ...t, '--quiet']);
  return { ms: table.ms + apply.ms, cpuMs: table.cpuMs === null || apply.cpuMs === null ? null : table.cpuMs + apply.cpuMs };
}

// One run in the page, timed from the click on Quantize weights to the
// result shown (or the error).
async function pageRun(page) {
  await page.evaluate(() => {
    const b = (window.__bench = { t0: 0, t1: 0, runs: Number(document.body.dataset.llmRunsEnded) });
    document.addEventListener('click', (e) => e.target?.id === 'llm-run' && (b.t0 = performance.now()), { capture: true, once: true });
    const obs = new MutationObserver(() => {
      if (Number(document.body.dataset.llmRunsEnded) > b.runs) {
        b.t1 = performance.now();
        obs.disconnect();
      }
    });
    obs.observe(document.body, { attributes: true, attributeFilter: ['data-llm-runs-ended'] });
  });
  await page.click('#llm-run');
  await page.waitForFunction(() => window.__bench.t1 > 0, null, { timeout: 60 * 60 * 1000, polling: 100 });
  const b = await page.evaluate(() => ({
    ...window.__bench,
    error: document.querySelector('#llm-error')?.hidden ? '' : document.querySelector('#llm-error')?.textContent,
    stored: document.querySelector('#llm-download-bin')?.dataset.stored,
    timings: JSON.parse(document.querySelector('#llm-results')?.dataset.timings || '{}'),
  }));
  if (b.error) throw new Error(`page run failed: ${b.error}`);
  return { ms: b.t1 - b.t0, stored: b.stored, timings: b.timings };
}

// The browser reading the dropped .bin and nothing else, as the page's
// read-ahead does (a byte stream into one reused 1 MB buffer): the floor
// under the page's time.
// Chromium's Blob byte streams have been seen to stop delivering, with no
// error, partway through a large File (js/blob_reader_worker.js reads on by
// slices then): a bare read that stops for 15 s is tried once more, then
// fails the benchmark instead of waiting for good.
async function bareRead(page) {
  for (let attempt = 1; ; attempt++) {
    const r = await page.evaluate(async () => {
      const file = [...document.querySelector('#llm-file-input').files].find((f) => /\.bin$/i.test(f.name));
      const t0 = performance.now();
      const reader = file.stream().getReader({ mode: 'byob' });
      let buffer = new ArrayBuffer(1 << 20);
      let bytes = 0;
      for (;;) {
        let timer;
        const stalled = new Promise((resolve) => (timer = setTimeout(() => resolve(null), 15000)));
        const got = await Promise.race([reader.read(new Uint8Array(buffer)), stalled]);
        clearTimeout(timer);
        if (!got) {
          reader.cancel().catch(() => {});
          return { stalledAt: bytes };
        }
        if (got.done) break;
        bytes += got.value.length;
        buffer = got.value.buffer;
      }
      if (bytes !== file.size) throw new Error(`bare read: ${bytes} of ${file.size} bytes`);
      return { ms: performance.now() - t0 };
    });
    if (r.ms !== undefined) return r.ms;
    console.log(`the bare read's stream stopped delivering at byte ${r.stalledAt}${attempt < 2 ? '; reading again' : ''}`);
    if (attempt >= 2) throw new Error('the bare read stopped twice');
  }
}

// The worker's windows (llm-worker.js) summed into `slices` spans of time.
function timelineRows(windows, slices) {
  if (!windows?.length) return [];
  const end = windows.at(-1).endMs;
  const rows = [];
  let i = 0;
  let from = 0;
  for (let s = 1; s <= slices; s++) {
    const until = (end * s) / slices;
    const row = { fromMs: from, toMs: until, wait: 0, copy: 0, write: 0, msg: 0, compute: 0, bytes: 0 };
    for (; i < windows.length && windows[i].endMs <= until + 1e-6; i++) {
      for (const k of ['wait', 'copy', 'write', 'msg', 'compute']) row[k] += windows[i][k];
      row.bytes = windows[i].bytes;
    }
    if (i === 0 || row.bytes === 0) row.bytes = rows.at(-1)?.bytes ?? 0;
    rows.push(row);
    from = until;
  }
  return rows;
}

function printTimeline(windows, binBytes) {
  const rows = timelineRows(windows, 10);
  if (!rows.length) return;
  const sum = (k) => windows.reduce((a, w) => a + w[k], 0);
  const ms = (v) => `${Math.round(v)}`.padStart(6);
  console.log(`  the worker's timeline (${windows.length} windows of the core; ms): blocked on the File ${Math.round(sum('wait'))}, copying it in ${Math.round(sum('copy'))}, writing the outputs ${Math.round(sum('write'))}, progress messages ${Math.round(sum('msg'))}, computing ${Math.round(sum('compute'))}`);
  console.log('      span (ms)   |   wait   copy  write    msg compute | .bin read');
  for (const r of rows) console.log(`  ${ms(r.fromMs)} -${ms(r.toMs)} | ${ms(r.wait)} ${ms(r.copy)} ${ms(r.write)} ${ms(r.msg)} ${ms(r.compute)}  | ${Math.round((100 * r.bytes) / binBytes)}%`);
}

async function downloadTo(page, selector, file) {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 30 * 60 * 1000 }), page.click(selector)]);
  await dl.saveAs(file);
}

const binBytes = fs.statSync(bin).size;
console.log(`model: ${dir} (${(binBytes / 1e6).toFixed(1)} MB .bin); ${keys.join(' ')}; ${os.cpus().length} CPUs; load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);

const server = await startServer();
const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ncnn-int8-llm-bench-profile-'));
let browser;
const result = { model: dir, binBytes, method: opts.method, bits: Number(opts.bits), block: Number(opts.block) };
try {
  runNative(os.cpus().length); // page cache warm, untimed
  const { chromium } = await loadPlaywright();
  browser = await chromium.launchPersistentContext(profileDir, { executablePath: chromiumPath, args: launchArgs, acceptDownloads: true });
  const page = await browser.newPage();
  await page.goto(`${server.url}/`);
  await page.waitForSelector('#llm-run');
  await page.setInputFiles('#llm-file-input', [param, bin]);
  await page.waitForSelector('#llm-run:not([disabled])');
  await page.selectOption('#llm-method', opts.method);
  await page.selectOption('#llm-bits', opts.bits);
  await page.selectOption('#llm-block', opts.block);

  const native1 = [];
  const nativeAll = [];
  const pageMs = [];
  const pageRuns = [];
  const bareMs = [];
  const bareCpu = [];
  let memory = null;
  let stored = '';
  for (let i = 0; i < repeats; i++) {
    native1.push(runNative(1));
    nativeAll.push(runNative(os.cpus().length));
    let cpu0 = threadCpu(profileDir);
    bareMs.push(await bareRead(page));
    bareCpu.push(cpuBetween(cpu0, threadCpu(profileDir)));
    const idle = resetPeaks(profileDir);
    cpu0 = threadCpu(profileDir);
    const r = await pageRun(page);
    r.cpu = cpuBetween(cpu0, threadCpu(profileDir));
    const peak = peakSince(profileDir, idle);
    pageMs.push(r.ms);
    pageRuns.push(r);
    stored = r.stored;
    if (!memory || peak.total - idle.total > memory.growth) memory = { idle: idle.total, peak: peak.total, growth: peak.total - idle.total, byProcess: peak.growth };
  }
  await downloadTo(page, '#llm-download-param', out('page.param'));
  if (stored !== 'file') await downloadTo(page, '#llm-download-bin', out('page.bin'));
  await downloadTo(page, '#llm-download-table', out('page.llm.table'));
  const identical = ['param', 'bin', 'llm.table'].every((ext) => fs.existsSync(out(`page.${ext}`)) && sha256(out(`page.${ext}`)) === sha256(out(`native.${ext}`)));

  const n1 = median(native1.map((r) => r.ms));
  const nAll = median(nativeAll.map((r) => r.ms));
  const p = median(pageMs);
  const mid = pageRuns.find((r) => r.ms === p);
  const cpu = (runs) => (runs.every((r) => r.cpuMs !== null) ? `, CPU ${fmt(median(runs.map((r) => r.cpuMs)))}` : '');
  console.log(`native ncnnllm2table + ncnnllm2int, 1 thread:  ${native1.map((r) => fmt(r.ms)).join(', ')}  median ${fmt(n1)}${cpu(native1)}`);
  console.log(`native ncnnllm2table + ncnnllm2int, ${os.cpus().length} threads: ${nativeAll.map((r) => fmt(r.ms)).join(', ')}  median ${fmt(nAll)}${cpu(nativeAll)}`);
  console.log(`page, one pass (one thread, WebAssembly):     ${pageMs.map(fmt).join(', ')}  median ${fmt(p)}  (output: ${stored})`);
  const bare = median(bareMs);
  console.log(`bare browser read of the .bin (byte stream, 1 MB buffer):   ${bareMs.map(fmt).join(', ')}  median ${fmt(bare)}  (${((binBytes / 1e6) / (bare / 1000)).toFixed(0)} MB/s)`);
  console.log(`  page / native: ${(p / n1).toFixed(2)}x native 1 thread, ${(p / nAll).toFixed(2)}x native ${os.cpus().length} threads; page / bare read ${(p / bare).toFixed(2)}x; bare read / native 1 thread ${(bare / n1).toFixed(2)}x`);
  const t = mid.timings ?? {};
  const ms = (v) => `${Math.round(v ?? 0)} ms`;
  console.log(`  where it went (the median run): start ${ms(t.startMs)}, core ${ms(t.coreMs)} (of it blocked on the File ${ms(t.readWaitMs)}), output hand-off ${ms(t.finishMs)}, messages and page ${ms(p - (t.startMs ?? 0) - (t.coreMs ?? 0) - (t.finishMs ?? 0))}`);
  printTimeline(t.windows, binBytes);
  const bareMid = bareCpu[bareMs.indexOf(bare)];
  console.log(`CPU time of every Chromium thread: page run (the median one) ${fmt(mid.cpu.totalMs)} over ${fmt(p)} on ${os.cpus().length} CPUs; bare read ${fmt(bareMid.totalMs)}; native 1 thread ${fmt(median(native1.map((r) => r.cpuMs ?? 0)))}`);
  console.log(`  page run: ${busiestThreads(mid.cpu)}`);
  console.log(`  bare read: ${busiestThreads(bareMid)}`);
  console.log(`tab memory (all Chromium processes): idle ${mib(memory.idle)}, peak ${mib(memory.peak)}, growth ${mib(memory.growth)}`);
  console.log(`  growth by process: ${memory.byProcess.slice(0, 4).map((g) => `${g.type} ${mib(g.growth)}`).join(', ')}`);
  console.log(`page downloads (.param, .bin, .llm.table) byte-identical to native: ${identical}`);
  Object.assign(result, {
    identical,
    stored,
    native_1thread_s: n1 / 1000,
    native_all_s: nAll / 1000,
    page_s: p / 1000,
    page_over_native_1thread: p / n1,
    page_over_native_all: p / nAll,
    bare_read_s: bare / 1000,
    page_over_bare_read: p / bare,
    page_timings: mid.timings,
    page_cpu_s: mid.cpu.totalMs / 1000,
    bare_read_cpu_s: bareMid.totalMs / 1000,
    tab_peak_growth_bytes: memory.growth,
  });
  if (!identical) process.exitCode = 1;
} finally {
  await browser?.close();
  await server.stop();
  fs.rmSync(profileDir, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
}
if (opts.json) fs.writeFileSync(opts.json, JSON.stringify(result, null, 2) + '\n');
