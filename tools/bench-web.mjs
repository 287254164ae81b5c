#!/usr/bin/env node
// The web page and `npx ncnn2int8` against the native CLI, on the same files,
// in one run; prints times and ratios (page or npx / native).
//
//   node tools/bench-web.mjs [--repeats 3] [--vit DIR] [--ssd DIR] [--big DIR] [--json FILE]
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
// Native and npx: whole processes (spawned, wall clock).
//
// Models: --vit (default build-bench/bench-models/vit, generated if absent),
// --ssd (default ../shared/conformance/cases/mobilenet_ssd, skipped if
// absent), --big (optional, e.g. a 4 GB model from
// `ncnn_int8_make_model vit DIR --blocks 145`: one streaming run, memory).
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import os from 'node:os';
import { root, startServer, loadPlaywright, chromiumPath, launchArgs, prerequisiteProblem } from '../tests/e2e/helpers.mjs';

const { values: opts } = parseArgs({
  options: {
    repeats: { type: 'string', default: '3' },
    vit: { type: 'string' },
    ssd: { type: 'string' },
    big: { type: 'string' },
    json: { type: 'string' },
  },
});
const repeats = Number(opts.repeats);
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
    if (spawnSync(generator, ['vit', vit], { stdio: 'inherit' }).status !== 0) process.exit(1);
  }
  models.push({ label: 'ViT-B-like', dir: vit, repeats });
  const ssd = path.resolve(opts.ssd ?? path.join(root, '..', 'shared', 'conformance', 'cases', 'mobilenet_ssd'));
  if (files(ssd).every((f) => fs.existsSync(f))) models.push({ label: 'mobilenet_ssd', dir: ssd, repeats });
  else console.log(`(no ${ssd}: mobilenet_ssd skipped)`);
  if (opts.big) models.push({ label: 'big', dir: path.resolve(opts.big), repeats: 0, big: true });
}

const work = fs.mkdtempSync(path.join(root, 'build-bench', 'web-bench-'));
const out = (name) => path.join(work, name);

// ---- native and npx: whole processes ---------------------------------------

function timeProcess(cmd, args) {
  const t = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return ms;
}
const cliArgs = (dir, prefix) => {
  const [param, bin, table] = files(dir);
  return [param, bin, out(`${prefix}.param`), out(`${prefix}.bin`), table, '--quiet'];
};
const runNative = (dir) => timeProcess(nativeCli, cliArgs(dir, 'native'));
// `npx ncnn2int8` runs the package's bin, js/cli.js, with node; npx's own
// lookup is timed separately (it is npm's, not the package's).
const runNode = (dir) => timeProcess(process.execPath, [jsCli, ...cliArgs(dir, 'node')]);
const runNpx = (dir) => timeProcess('npx', ['--no-install', 'ncnn2int8', ...cliArgs(dir, 'npx')]);

function sha256(file) {
  const h = crypto.createHash('sha256');
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.allocUnsafe(8 << 20);
  for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0; ) h.update(buf.subarray(0, n));
  fs.closeSync(fd);
  return h.digest('hex');
}

// ---- Chromium memory ---------------------------------------------------------

function procField(pid, field) {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0; // the process has gone
  }
}

// The browser whose command line names `profileDir`, and its descendants.
function chromiumPids(profileDir) {
  const parent = new Map();
  let browserPid = 0;
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      if (!browserPid && fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(`--user-data-dir=${profileDir}`)) browserPid = Number(name);
    } catch {}
  }
  const pids = new Set([browserPid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of parent) if (pids.has(ppid) && !pids.has(pid)) pids.add(pid), (grew = true);
  }
  return browserPid ? [...pids] : [];
}

function processType(pid) {
  try {
    return /--type=([\w-]+)/.exec(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'))?.[1] ?? 'browser';
  } catch {
    return '?';
  }
}

// Resets every process's peak; returns {total, byPid} of current RSS.
function resetPeaks(profileDir) {
  const byPid = new Map();
  for (const pid of chromiumPids(profileDir)) {
    try {
      fs.writeFileSync(`/proc/${pid}/clear_refs`, '5'); // resets VmHWM to the current RSS
    } catch {}
    byPid.set(pid, procField(pid, 'VmRSS'));
  }
  return { total: [...byPid.values()].reduce((a, b) => a + b, 0), byPid };
}

// Peak RSS per process since resetPeaks; the growth of each over `idle`.
function peakSince(profileDir, idle) {
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
  const b = await page.evaluate(() => ({ ...window.__bench, error: document.querySelector('#error')?.textContent, stored: document.querySelector('#download-bin')?.dataset.stored }));
  if (b.state !== 'done') throw new Error(`page run failed: ${b.error}`);
  return { ms: b.t1 - b.t0, stored: b.stored };
}

async function downloadTo(page, selector, file) {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 30 * 60 * 1000 }), page.click(selector)]);
  await dl.saveAs(file);
}

const server = await startServer();
const results = [];
const fmt = (ms) => `${(ms / 1000).toFixed(3)} s`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mib = (b) => `${(b / 1048576).toFixed(0)} MiB`;
try {
  for (const m of models) {
    const bin = files(m.dir)[1];
    const binBytes = fs.statSync(bin).size;
    console.log(`\n== ${m.label}: ${path.relative(root, m.dir) || m.dir} (${(binBytes / 1e6).toFixed(1)} MB .bin)`);
    timeProcess(nativeCli, [...cliArgs(m.dir, 'native'), '--report', out('report.json')]); // page cache warm, untimed
    const largest = Math.max(...JSON.parse(fs.readFileSync(out('report.json'), 'utf8')).layers.map((l) => l.bytes_in));
    const nativeOnce = runNative(m.dir);

    // The page: a fresh browser per model, so peaks and first runs are the model's own.
    const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ncnn-int8-bench-profile-'));
    const { chromium } = await loadPlaywright();
    const browser = await chromium.launchPersistentContext(profileDir, { executablePath: chromiumPath, args: launchArgs, acceptDownloads: true });
    const page = await browser.newPage();
    await page.goto(`${server.url}/`);
    await page.waitForSelector('#quantize-button');
    await page.setInputFiles('#file-input', files(m.dir));
    await page.waitForSelector('#quantize-button:not([disabled])');
    const idleRss = resetPeaks(profileDir);
    const first = await pageRun(page);
    const peakRss = peakSince(profileDir, idleRss);
    const idle = idleRss.total;
    const peak = peakRss.total;
    await downloadTo(page, '#download-bin', out('page.bin'));
    await downloadTo(page, '#download-param', out('page.param'));

    const native = [];
    const warm = [];
    const node = [];
    for (let i = 0; i < m.repeats; i++) {
      native.push(runNative(m.dir));
      warm.push((await pageRun(page)).ms);
      node.push(runNode(m.dir));
    }
    await browser.close();
    fs.rmSync(profileDir, { recursive: true, force: true });
    const same =
      sha256(out('page.bin')) === sha256(out('native.bin')) && fs.readFileSync(out('page.param')).equals(fs.readFileSync(out('native.param')));
    const nodeSame = m.repeats === 0 || (sha256(out('node.bin')) === sha256(out('native.bin')) && fs.readFileSync(out('node.param')).equals(fs.readFileSync(out('native.param'))));

    const nat = m.repeats ? median(native) : nativeOnce;
    const r = { model: m.label, binBytes, identical: same && nodeSame, stored: first.stored, native_s: nat / 1000, page_first_s: first.ms / 1000 };
    console.log(`native CLI, whole process:      ${m.repeats ? native.map(fmt).join(', ') : fmt(nativeOnce)}  median ${fmt(nat)}`);
    console.log(`page, first run after load:     ${fmt(first.ms)}  ${(first.ms / nat).toFixed(2)}x native  (output: ${first.stored})`);
    if (m.repeats) {
      r.page_warm_s = median(warm) / 1000;
      r.node_s = median(node) / 1000;
      console.log(`page, warm:                     ${warm.map(fmt).join(', ')}  median ${fmt(median(warm))}  ${(median(warm) / nat).toFixed(2)}x native`);
      console.log(`ncnn2int8 (node js/cli.js):     ${node.map(fmt).join(', ')}  median ${fmt(median(node))}  ${(median(node) / nat).toFixed(2)}x native`);
    }
    r.page_peak_growth_bytes = peak - idle;
    r.largest_layer_bytes = largest;
    console.log(`tab memory (all Chromium processes, first run): idle ${mib(idle)}, peak ${mib(peak)}, growth ${mib(peak - idle)}; largest layer ${mib(largest)}, growth - largest layer = ${mib(peak - idle - largest)} (budget 128 MiB)`);
    console.log(`  growth by process: ${peakRss.growth.slice(0, 4).map((g) => `${g.type} ${mib(g.growth)}`).join(', ')}`);
    console.log(`outputs byte-identical to native (page${m.repeats ? ', node' : ''}): ${same && nodeSame}`);
    results.push(r);
    for (const f of fs.readdirSync(work)) fs.rmSync(out(f), { force: true });
  }

  // npx: whole process on a small model (startup dominates) and npx's own cost.
  const small = models.find((m) => m.label === 'mobilenet_ssd') ?? models[0];
  const npx = [];
  const node = [];
  const native = [];
  for (let i = 0; i < repeats; i++) {
    native.push(runNative(small.dir));
    node.push(runNode(small.dir));
    npx.push(runNpx(small.dir));
  }
  const help = timeProcess(process.execPath, [jsCli, '--help']);
  console.log(`\n== startup, ${small.label}`);
  console.log(`native CLI:                     median ${fmt(median(native))}`);
  console.log(`node js/cli.js (the bin):       median ${fmt(median(node))}  ${(median(node) / median(native)).toFixed(2)}x native`);
  console.log(`npx ncnn2int8:                  median ${fmt(median(npx))}  (npx lookup ${fmt(median(npx) - median(node))})`);
  console.log(`node js/cli.js --help:          ${fmt(help)}`);
  results.push({ model: `startup ${small.label}`, native_s: median(native) / 1000, node_s: median(node) / 1000, npx_s: median(npx) / 1000 });
} finally {
  await server.stop();
  fs.rmSync(work, { recursive: true, force: true });
}
if (opts.json) fs.writeFileSync(opts.json, JSON.stringify(results, null, 2) + '\n');
