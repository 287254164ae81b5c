#!/usr/bin/env node
// The web page and `npx ncnn2int8` against the native CLI, on the same files,
// in one run; prints times and ratios (page or npx / native).
//
//   node tools/bench-web.mjs [--repeats 3] [--vit DIR] [--ssd DIR] [--big DIR] [--json FILE] [--page-only]
//
// --page-only: the page and the native CLI only (no node, npx or startup
// section), for a quick look at the page's timeline.
//
// Page: Debian's Chromium (headless, fresh profile) drives the real page as
// a user does: file input -> Quantize -> the .bin download offered (timed in
// the page, from the click to the result shown); the first run right after
// the page loaded, then warm runs. The downloaded .param and .bin are
// compared with the native CLI's. The browser runs a normal (on-disk)
// profile: an off-the-record one, as a plain newContext() makes, keeps the
// origin private file system in memory and writes to it through the
// browser process. Memory: the peak RSS of every Chromium process (the
// browser started with that profile and all its descendants; peaks reset
// before the measured run via /proc/PID/clear_refs), summed; reported as
// the growth over the idle page, next to the model's largest layer.
// Native and npx: whole processes (spawned, wall clock). Per page run, the
// worker's account of where the time went (web/worker.js: start, core, of
// it blocked on the File and writing the output, output hand-off), and the
// bare browser operation beside it: the same .bin read whole in a worker of
// the page by each read method (tools/bench-web-reads.js), and the bare
// output operations: the int8 .bin's size made as Blobs (the in-memory
// path) and written to a private file (tools/bench-web-output.js). Beside
// each page run's phases, its timeline (timelineLines). Same-run
// comparison: the first run after load without the worker's warm-up
// (?warmup=0, a browser of its own). CPU: every Chromium thread's CPU time
// over each warm run and over the bare read beside it
// (tools/chromium-cpu.mjs), and the native CLI's.
//
// Models: --vit (default build-bench/bench-models/vit, generated if absent),
// --ssd (default ../shared/conformance/cases/mobilenet_ssd, skipped if
// absent), --big (optional, e.g. a 4 GB model from
// `ncnn_int8_make_model vit DIR --blocks 145`: one streaming run, memory).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import os from 'node:os';
import { root, startServer, loadPlaywright, chromiumPath, launchArgs, prerequisiteProblem } from '../tests/e2e/helpers.mjs';
import { peakSince, resetPeaks } from './chromium-memory.mjs';
import { busiestThreads, cpuBetween, threadCpu } from './chromium-cpu.mjs';
import { median, mib, runTimed, sha256File } from './bench-util.mjs';

const { values: opts } = parseArgs({
  options: {
    repeats: { type: 'string', default: '3' },
    vit: { type: 'string' },
    ssd: { type: 'string' },
    big: { type: 'string' },
    json: { type: 'string' },
    'page-only': { type: 'boolean', default: false },
  },
});
const repeats = Number(opts.repeats);
const pageOnly = opts['page-only'];
if (!(repeats >= 1)) throw new Error('--repeats must be a positive number');

const nativeCli = path.join(root, 'build/ncnn2int8');
const generator = path.join(root, 'build/tools/ncnn_int8_make_model');
const jsCli = path.join(root, 'js/cli.js');
const problem = prerequisiteProblem() ?? (fs.existsSync(nativeCli) ? null : 'build/ncnn2int8 is missing (tools/setup.sh)');
if (problem) {
  console.error(`bench-web: ${problem}`);
  process.exit(1);
}

const files = (dir) => ['model.param', 'model.bin', 'model.table'].map((f) => path.join(dir, f));
const models = [];
{
  const vit = path.resolve(opts.vit ?? path.join(root, 'build-bench/bench-models/vit'));
  if (!files(vit).every((f) => fs.existsSync(f))) {
    console.log(`generating the vit model into ${path.relative(root, vit)} ...`);
    fs.mkdirSync(path.dirname(vit), { recursive: true });
    if (spawnSync(generator, ['vit', vit], { stdio: 'inherit' }).status !== 0) process.exit(1);
  }
  models.push({ label: 'ViT-B-like', dir: vit, repeats });
  const ssd = path.resolve(opts.ssd ?? path.join(root, '..', 'shared', 'conformance', 'cases', 'mobilenet_ssd'));
  if (files(ssd).every((f) => fs.existsSync(f))) models.push({ label: 'mobilenet_ssd', dir: ssd, repeats });
  else console.log(`(no ${ssd}: mobilenet_ssd skipped)`);
  if (opts.big) models.push({ label: 'big', dir: path.resolve(opts.big), repeats: 0, big: true });
}

fs.mkdirSync(path.join(root, 'build-bench'), { recursive: true });
const work = fs.mkdtempSync(path.join(root, 'build-bench', 'web-bench-'));
const out = (name) => path.join(work, name);

// ---- native and npx: whole processes ---------------------------------------

// CPU time (user + system, ms) of this process's waited-for children so
// far: /proc/self/stat cutime + cstime, in clock ticks of 10 ms. On a shared
// machine a process's CPU time moves far less than its wall clock.
const cpuOf = new Map(); // label -> CPU ms of each timed run
// A whole process, wall clock in ms; its CPU time is kept under `label`.
function timeProcess(cmd, args, label, cwd) {
  const r = runTimed(cmd, args, { cwd });
  if (label) cpuOf.set(label, [...(cpuOf.get(label) ?? []), r.cpuMs ?? 0]);
  return r.ms;
}
const cliArgs = (dir, prefix) => {
  const [param, bin, table] = files(dir);
  return [param, bin, out(`${prefix}.param`), out(`${prefix}.bin`), table, '--quiet'];
};
const runNative = (dir, label) => timeProcess(nativeCli, cliArgs(dir, 'native'), label);
// `npx ncnn2int8` runs the package's bin, js/cli.js, with node; npx's own
// lookup is timed separately (it is npm's, not the package's).
const runNode = (dir, label) => timeProcess(process.execPath, [jsCli, ...cliArgs(dir, 'node')], label);
// What a user has after `npm install ncnn-int8`: the package in
// node_modules and its bin linked in node_modules/.bin (here: links to this
// checkout), run as `npx ncnn2int8` and as the bin itself from that folder.
const userDir = path.join(work, 'user');
fs.mkdirSync(path.join(userDir, 'node_modules', '.bin'), { recursive: true });
fs.symlinkSync(root, path.join(userDir, 'node_modules', 'ncnn-int8'));
fs.symlinkSync('../ncnn-int8/js/cli.js', path.join(userDir, 'node_modules', '.bin', 'ncnn2int8'));
fs.writeFileSync(path.join(userDir, 'package.json'), '{"private": true, "dependencies": {"ncnn-int8": "*"}}\n');
const runNpx = (dir, label) => timeProcess('npx', ['--no-install', 'ncnn2int8', ...cliArgs(dir, 'npx')], label, userDir);
const runBin = (dir, label) => timeProcess(path.join(userDir, 'node_modules', '.bin', 'ncnn2int8'), cliArgs(dir, 'bin'), label, userDir);
const runNode0 = (label) => timeProcess(process.execPath, ['-e', '0'], label);


// ---- the page ------------------------------------------------------------------

// Times one run in the page: from the click on Quantize to the result shown
// with the .bin download offered.
async function pageRun(page) {
  await page.evaluate(() => {
    const b = (window.__bench = { t0: 0, t1: 0, state: '' });
    document.addEventListener('click', (e) => e.target?.id === 'quantize-button' && (b.t0 = performance.now()), { capture: true, once: true });
    const obs = new MutationObserver(() => {
      const s = document.body.dataset.state;
      if (s === 'done' || s === 'error') {
        b.t1 = performance.now();
        b.state = s;
        obs.disconnect();
      }
    });
    obs.observe(document.body, { attributes: true, attributeFilter: ['data-state'] });
  });
  await page.click('#quantize-button');
  await page.waitForFunction(() => window.__bench.t1 > 0, null, { timeout: 30 * 60 * 1000, polling: 50 });
  const b = await page.evaluate(() => ({
    ...window.__bench,
    error: document.querySelector('#error')?.textContent,
    stored: document.querySelector('#download-bin')?.dataset.stored,
    timings: document.querySelector('#download-bin')?.dataset.timings,
  }));
  if (b.state !== 'done') throw new Error(`page run failed: ${b.error}`);
  return { ms: b.t1 - b.t0, stored: b.stored, timings: JSON.parse(b.timings || '{}') };
}

// The bare browser operation: the .bin (the File the page was given) read
// whole in a worker of the page, by each method; resolves to [{name, window,
// inFlight, ms}].
const readMethods = [
  { name: 'slice', window: 4, inFlight: 1 },
  { name: 'slice', window: 32, inFlight: 1 },
  { name: 'slice', window: 8, inFlight: 4 },
  { name: 'slice', window: 16, inFlight: 2 },
  { name: 'FileReaderSync', window: 32 },
  { name: 'stream' },
  { name: 'stream-byob', window: 8 },
];
// The reads worker is served to this browser only (a route), under the
// page's own origin and policies: the page allows workers from 'self' only.
const readsWorkerCode = fs.readFileSync(path.join(root, 'tools/bench-web-reads.js'), 'utf8');
const readsWorkerPath = '/__bench/reads.js';
const routeReadsWorker = (context) =>
  context.route(`**${readsWorkerPath}`, (route) =>
    route.fulfill({
      body: readsWorkerCode,
      contentType: 'text/javascript',
      headers: { 'Cross-Origin-Resource-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' },
    }),
  );
async function bareReads(page, binFile, methods = readMethods) {
  await page.evaluate(() => {
    if (document.querySelector('#bench-reads-input')) return;
    const i = Object.assign(document.createElement('input'), { type: 'file', id: 'bench-reads-input', hidden: true });
    document.body.append(i);
  });
  await page.setInputFiles('#bench-reads-input', binFile);
  return page.evaluate(
    ({ url, methods }) =>
      new Promise((resolve, reject) => {
        const file = /** @type {HTMLInputElement} */ (document.querySelector('#bench-reads-input')).files[0];
        const w = new Worker(url);
        const got = [];
        w.onmessage = (e) => {
          if (e.data?.error) reject(new Error(e.data.error));
          else if (e.data === 'done') w.terminate(), resolve(got);
          else got.push(e.data);
        };
        w.onerror = (e) => reject(new Error(e.message || 'the reads worker failed'));
        w.postMessage({ file, methods });
      }),
    { url: readsWorkerPath, methods },
  );
}
// The bare output operations (tools/bench-web-output.js), served the same way.
const outputWorkerCode = fs.readFileSync(path.join(root, 'tools/bench-web-output.js'), 'utf8');
const outputWorkerPath = '/__bench/output.js';
const routeOutputWorker = (context) =>
  context.route(`**${outputWorkerPath}`, (route) =>
    route.fulfill({
      body: outputWorkerCode,
      contentType: 'text/javascript',
      headers: { 'Cross-Origin-Resource-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' },
    }),
  );
function bareOutput(page, bytes, repeats) {
  return page.evaluate(
    ({ url, bytes, repeats }) =>
      new Promise((resolve, reject) => {
        const w = new Worker(url);
        w.onmessage = (e) => {
          w.terminate();
          if (e.data?.error) reject(new Error(e.data.error));
          else resolve(e.data);
        };
        w.onerror = (e) => reject(new Error(e.message || 'the output worker failed'));
        w.postMessage({ bytes, repeats });
      }),
    { url: outputWorkerPath, bytes, repeats },
  );
}
const readLabel = (r) => `${r.name}${r.window ? ` ${r.window} MiB` : ''}${r.inFlight > 1 ? ` x${r.inFlight} in flight` : ''}`;

async function downloadTo(page, selector, file) {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 30 * 60 * 1000 }), page.click(selector)]);
  await dl.saveAs(file);
}

// A fresh browser (its own on-disk profile) on the page with `query`, the
// model's files chosen, Quantize enabled and the worker's warm-up at load
// over (a user takes longer than it to choose the files): {page, browser,
// profileDir, warmMs: when the warm-up ended, ms after the worker started,
// close()}.
async function openPage(dir, query) {
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ncnn-int8-bench-profile-'));
  const { chromium } = await loadPlaywright();
  const browser = await chromium.launchPersistentContext(profileDir, { executablePath: chromiumPath, args: launchArgs, acceptDownloads: true });
  await routeReadsWorker(browser);
  await routeOutputWorker(browser);
  const page = await browser.newPage();
  await page.goto(`${server.url}/${query}`);
  await page.waitForSelector('#quantize-button');
  await page.setInputFiles('#file-input', files(dir));
  await page.waitForSelector('#quantize-button:not([disabled])');
  await page.waitForSelector('body[data-warm]', { timeout: 5 * 60 * 1000 });
  const warmMs = Number(await page.evaluate(() => document.body.dataset.warm));
  return {
    page,
    browser,
    profileDir,
    warmMs,
    async close() {
      await browser.close();
      fs.rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

const server = await startServer();
const results = [];
const fmt = (ms) => `${(ms / 1000).toFixed(3)} s`;
// The worker's account of a run (web/worker.js) and the rest of the click-to-result
// time (messages, the page's own work).
const phases = (run) => {
  const t = run.timings ?? {};
  const ms = (v) => `${Math.round(v ?? 0)} ms`;
  const inWorker = (t.startMs ?? 0) + (t.coreMs ?? 0) + (t.finishMs ?? 0);
  return `start ${ms(t.startMs)}, core ${ms(t.coreMs)} (of it blocked on the File ${ms(t.readWaitMs)}, writing the output ${ms(t.writeMs)}), output hand-off ${ms(t.finishMs)}, messages and page ${ms(run.ms - inWorker)}`;
};
// The run's timeline (web/worker.js): the core's time cut in tenths, and in
// each the ms the core's thread waited on the ring (the reader behind),
// made look-ups (single reads while the core indexes the .bin), wrote the
// output, and computed (the rest); beside it what the reader worker waited
// on: the File's reads, and free slots (the reader ahead of the core).
const timelineLines = (run) => {
  const t = run.timings ?? {};
  const line = t.timeline;
  if (!line || !(t.coreMs > 0)) return [];
  const n = 10;
  const span = t.coreMs / n;
  const rows = Array.from({ length: n }, () => ({ ring: 0, lookup: 0, write: 0 }));
  const spread = (kind, a, b) => {
    for (let i = Math.max(0, Math.floor(a / span)); i < n && i * span < b; i++) rows[i][kind] += Math.max(0, Math.min(b, (i + 1) * span) - Math.max(a, i * span));
  };
  for (const [kind, a, b] of line.waits) spread(kind, a, b);
  for (const [a, b] of line.writes) spread('write', a, b);
  const sum = (k) => rows.reduce((x, r) => x + r[k], 0);
  const lookups = line.waits.filter((w) => w[0] === 'lookup');
  const ms = (v) => `${Math.round(v)}`;
  return [
    `  timeline: ring waits ${ms(sum('ring'))} ms, look-ups ${lookups.length} in ${ms(sum('lookup'))} ms (the last ends at ${ms(lookups.at(-1)?.[2] ?? 0)} ms)${t.rewinds ? `, the output started again ${t.rewinds}x` : ''}, writes ${line.writes.length} in ${ms(sum('write'))} ms, computing ${ms(t.coreMs - sum('ring') - sum('lookup') - sum('write'))} ms; ` +
      `the reader worker: reading ${ms(line.readerReadMs)} ms, waiting for a free slot ${ms(line.readerFullMs)} ms`,
    `  per tenth of the core (${ms(span)} ms each), ring wait/look-ups/write/compute ms: ${rows.map((r) => [r.ring, r.lookup, r.write, span - r.ring - r.lookup - r.write].map(ms).join('/')).join('  ')}`,
  ];
};
try {
  for (const m of models) {
    const bin = files(m.dir)[1];
    const binBytes = fs.statSync(bin).size;
    console.log(`\n== ${m.label}: ${path.relative(root, m.dir) || m.dir} (${(binBytes / 1e6).toFixed(1)} MB .bin)`);
    timeProcess(nativeCli, [...cliArgs(m.dir, 'native'), '--report', out('report.json')]); // page cache warm, untimed
    const largest = Math.max(...JSON.parse(fs.readFileSync(out('report.json'), 'utf8')).layers.map((l) => l.bytes_in));
    const nativeOnce = runNative(m.dir);

    // The first run without the worker's warm-up at load (?warmup=0), in a
    // browser of its own, to set beside the first run with it below.
    let cold = null;
    if (m.repeats) {
      const c = await openPage(m.dir, '?warmup=0');
      cold = await pageRun(c.page);
      await c.close();
    }

    // On a big model, what the browser's own read of the .bin costs in
    // memory: the File streamed whole, as the read-ahead does, in a worker of
    // the same page in a browser of its own, nothing kept; its growth
    // measured as the page run's below, so the page's share can be told
    // from the browser's.
    let bareReadMemory = null;
    if (m.big) {
      const b = await openPage(m.dir, '?warmup=0');
      const idleRead = resetPeaks(b.profileDir);
      try {
        const [read] = await bareReads(b.page, bin, [{ name: 'stream-byob', window: 1 }]);
        const peakRead = peakSince(b.profileDir, idleRead);
        bareReadMemory = { ms: read.ms, growth: peakRead.total - idleRead.total, byProcess: peakRead.growth };
      } catch (e) {
        console.log(`the bare read of the .bin alone failed (${e.message}): its memory is not reported`);
      }
      await b.close();
    }

    // The page: a fresh browser per model, so peaks and first runs are the model's own.
    const { page, browser, profileDir, warmMs } = await openPage(m.dir, '');
    const idleRss = resetPeaks(profileDir);
    const first = await pageRun(page);
    const peakRss = peakSince(profileDir, idleRss);
    const idle = idleRss.total;
    const peak = peakRss.total;
    await downloadTo(page, '#download-bin', out('page.bin'));
    await downloadTo(page, '#download-param', out('page.param'));

    const native = [];
    const warm = [];
    const warmRuns = [];
    const node = [];
    // CPU time of every Chromium thread over each warm run, and over the
    // bare read of the same .bin the way the page's reader streams it
    // (1 MiB reads into one buffer) right after it: on a machine with few
    // cores a run takes at least its CPU time over the cores, and the
    // browser's own reading of the File is a large part of it.
    const bareCpuReads = [];
    const nativeCpuKey = `native ${m.label}`;
    for (let i = 0; i < m.repeats; i++) {
      native.push(runNative(m.dir, nativeCpuKey));
      let cpu0 = threadCpu(profileDir);
      const run = await pageRun(page);
      run.cpu = cpuBetween(cpu0, threadCpu(profileDir));
      warmRuns.push(run);
      warm.push(run.ms);
      cpu0 = threadCpu(profileDir);
      const [bare] = await bareReads(page, bin, [{ name: 'stream-byob', window: 1 }]);
      bareCpuReads.push({ ms: bare.ms, cpu: cpuBetween(cpu0, threadCpu(profileDir)) });
      if (!pageOnly) node.push(runNode(m.dir));
    }
    // The bare browser operation, after the runs (so it does not warm them).
    const reads = m.repeats ? await bareReads(page, bin) : [];
    const outputBytes = fs.statSync(out('native.bin')).size;
    const bareOut = m.repeats ? await bareOutput(page, outputBytes, m.repeats) : null;
    await browser.close();
    fs.rmSync(profileDir, { recursive: true, force: true });
    const same =
      sha256File(out('page.bin')) === sha256File(out('native.bin')) && fs.readFileSync(out('page.param')).equals(fs.readFileSync(out('native.param')));
    const nodeSame = m.repeats === 0 || pageOnly || (sha256File(out('node.bin')) === sha256File(out('native.bin')) && fs.readFileSync(out('node.param')).equals(fs.readFileSync(out('native.param'))));

    const nat = m.repeats ? median(native) : nativeOnce;
    const r = { model: m.label, binBytes, identical: same && nodeSame, stored: first.stored, native_s: nat / 1000, page_first_s: first.ms / 1000 };
    console.log(`native CLI, whole process:      ${m.repeats ? native.map(fmt).join(', ') : fmt(nativeOnce)}  median ${fmt(nat)}`);
    console.log(`page, first run after load:     ${fmt(first.ms)}  ${(first.ms / nat).toFixed(2)}x native  (output: ${first.stored}; the worker's warm-up at load ended ${warmMs} ms after the page's start)`);
    console.log(`  where it went: ${phases(first)}`);
    for (const l of timelineLines(first)) console.log(l);
    if (cold) {
      r.page_first_nowarmup_s = cold.ms / 1000;
      r.page_first_nowarmup_timings = cold.timings;
      console.log(`page, first run, no warm-up:    ${fmt(cold.ms)}  ${(cold.ms / nat).toFixed(2)}x native  (?warmup=0, its own browser)`);
      console.log(`  where it went: ${phases(cold)}`);
      for (const l of timelineLines(cold)) console.log(l);
    }
    if (m.repeats) {
      r.page_warm_s = median(warm) / 1000;
      if (!pageOnly) r.node_s = median(node) / 1000;
      console.log(`page, warm:                     ${warm.map(fmt).join(', ')}  median ${fmt(median(warm))}  ${(median(warm) / nat).toFixed(2)}x native`);
      const mid = warmRuns.find((w) => w.ms === median(warm));
      console.log(`  where it went (the median run): ${phases(mid)}`);
      for (const l of timelineLines(mid)) console.log(l);
      r.page_warm_timings = mid.timings;
      const bareMid = bareCpuReads.find((b) => b.ms === median(bareCpuReads.map((x) => x.ms)));
      const nativeCpu = median(cpuOf.get(nativeCpuKey));
      r.page_warm_cpu_s = mid.cpu.totalMs / 1000;
      r.bare_read_cpu_s = bareMid.cpu.totalMs / 1000;
      r.native_cpu_s = nativeCpu / 1000;
      console.log(
        `CPU time (user + system) on ${os.cpus().length} CPUs: the median warm run ${fmt(mid.cpu.totalMs)} over ${fmt(mid.ms)} (every Chromium thread); ` +
          `the bare read of the .bin by itself (stream, 1 MiB reads, median of ${m.repeats}) ${fmt(median(bareCpuReads.map((b) => b.cpu.totalMs)))} over ${fmt(bareMid.ms)}; the native CLI ${fmt(nativeCpu)}`,
      );
      console.log(`  warm run: ${busiestThreads(mid.cpu)}`);
      console.log(`  bare read: ${busiestThreads(bareMid.cpu)}`);
      r.page_first_timings = first.timings;
      console.log(`the bare browser operation: the ${mib(binBytes)} .bin read whole in a worker of the page, by method:`);
      for (const x of reads) console.log(`  ${readLabel(x).padEnd(32)} ${fmt(x.ms)}  ${(binBytes / 1e6 / (x.ms / 1000)).toFixed(0)} MB/s  ${(x.ms / nat).toFixed(2)}x native`);
      const fastest = reads.reduce((a, b) => (b.ms < a.ms ? b : a));
      r.bare_reads = reads;
      r.fastest_read_s = fastest.ms / 1000;
      console.log(`  fastest (${readLabel(fastest)}): ${(fastest.ms / nat).toFixed(2)}x native by itself; the page's warm run is ${(median(warm) / fastest.ms).toFixed(2)}x that read`);
      const o = Object.fromEntries(Object.entries(bareOut).map(([k, v]) => [k, median(v)]));
      r.bare_output = o;
      console.log(
        `the bare output operations, the ${mib(outputBytes)} int8 .bin in 4 MiB pieces (medians of ${m.repeats}): ` +
          `one Blob per piece ${fmt(o.memoryMs)}; a private file: open ${fmt(o.fileOpenMs)}, write ${fmt(o.fileWriteMs)}, close and getFile ${fmt(o.fileFinishMs)}; ` +
          `written into a file first sized to the output ${fmt(o.sizedWriteMs)}`,
      );
      if (!pageOnly) console.log(`ncnn2int8 (node js/cli.js):     ${node.map(fmt).join(', ')}  median ${fmt(median(node))}  ${(median(node) / nat).toFixed(2)}x native`);
    }
    r.page_peak_growth_bytes = peak - idle;
    r.largest_layer_bytes = largest;
    console.log(`tab memory (all Chromium processes, first run): idle ${mib(idle)}, peak ${mib(peak)}, growth ${mib(peak - idle)}; largest layer ${mib(largest)}, growth - largest layer = ${mib(peak - idle - largest)} (budget 128 MiB)`);
    console.log(`  growth by process: ${peakRss.growth.slice(0, 4).map((g) => `${g.type} ${mib(g.growth)}`).join(', ')}`);
    if (bareReadMemory) {
      r.bare_read_growth_bytes = bareReadMemory.growth;
      const byProcess = bareReadMemory.byProcess.slice(0, 4).map((g) => `${g.type} ${mib(g.growth)}`).join(', ');
      console.log(`  the bare read of the .bin alone (stream, 1 MiB reads, ${fmt(bareReadMemory.ms)}; a browser of its own): growth ${mib(bareReadMemory.growth)} (${byProcess}); the page's run grew ${mib(peak - idle - bareReadMemory.growth)} more`);
    }
    console.log(`outputs byte-identical to native (page${m.repeats && !pageOnly ? ', node' : ''}): ${same && nodeSame}`);
    results.push(r);
    for (const f of fs.readdirSync(work)) if (f !== 'user') fs.rmSync(out(f), { force: true });
  }

  // npx: whole process on a small model (startup dominates) and npx's own cost.
  if (!pageOnly) {
    const small = models.find((m) => m.label === 'mobilenet_ssd') ?? models[0];
    const npx = [];
    const bin = [];
    const node = [];
    const native = [];
    const node0 = [];
    const help = [];
    for (let i = 0; i < repeats; i++) {
      native.push(runNative(small.dir, 'native'));
      node0.push(runNode0('node0'));
      help.push(timeProcess(process.execPath, [jsCli, '--help'], 'help'));
      node.push(runNode(small.dir, 'node'));
      bin.push(runBin(small.dir, 'bin'));
      npx.push(runNpx(small.dir, 'npx'));
    }
    const npxSame = ['npx', 'bin'].every((p) => sha256File(out(`${p}.bin`)) === sha256File(out('native.bin')) && fs.readFileSync(out(`${p}.param`)).equals(fs.readFileSync(out('native.param'))));
    const nat = median(native);
    const natCpu = median(cpuOf.get('native'));
    const line = (label, xs, key) => {
      const cpu = median(cpuOf.get(key));
      console.log(`${label.padEnd(40)} median ${fmt(median(xs))}  ${(median(xs) / nat).toFixed(2)}x native;  CPU ${fmt(cpu)}  ${(cpu / Math.max(natCpu, 10)).toFixed(2)}x native's`);
    };
    console.log(`\n== startup, ${small.label} (whole processes, medians of ${repeats}; wall clock, and CPU time user + system)`);
    line('native CLI', native, 'native');
    line('node -e 0 (Node itself)', node0, 'node0');
    line('node js/cli.js --help (module ready)', help, 'help');
    line('node js/cli.js (what the bin runs)', node, 'node');
    line('node_modules/.bin/ncnn2int8', bin, 'bin');
    line('npx ncnn2int8', npx, 'npx');
    console.log(`CPU: npm's own part of npx ${fmt(median(cpuOf.get('npx')) - median(cpuOf.get('bin')))}; Node's start ${fmt(median(cpuOf.get('node0')))}; ours ${fmt(median(cpuOf.get('node')) - median(cpuOf.get('node0')))}`);
    console.log(`npm's own part of npx: ${fmt(median(npx) - median(bin))}; Node's start: ${fmt(median(node0))}; ours: ${fmt(median(node) - median(node0))}`);
    console.log(`outputs byte-identical to native (npx, bin): ${npxSame}`);
    results.push({
      model: `startup ${small.label}`,
      identical: npxSame,
      native_s: nat / 1000,
      node_empty_s: median(node0) / 1000,
      help_s: median(help) / 1000,
      node_s: median(node) / 1000,
      bin_s: median(bin) / 1000,
      npx_s: median(npx) / 1000,
      cpu_s: Object.fromEntries([...cpuOf].map(([k, v]) => [k, median(v) / 1000])),
    });
  }
} finally {
  await server.stop();
  fs.rmSync(work, { recursive: true, force: true });
}
if (opts.json) fs.writeFileSync(opts.json, JSON.stringify(results, null, 2) + '\n');
