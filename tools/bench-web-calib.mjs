#!/usr/bin/env node
// The page's calibration (ncnn2table in the tab) against the native
// ncnn2table, at the same thread count, on the public calibration cases, in
// one run; prints times and ratios (page / native) and whether the tables
// are byte-identical, then one summary line per case.
//
//   node tools/bench-web-calib.mjs [--threads 2] [--repeats 3] [--method kl[,aciq,eq]]
//                                  [--cases mobilenet_v2_he,squeezenet_he] [--chromium-runs 6]
//                                  [--pause-ms 0] [--json FILE]
//
// Page: Debian's Chromium (headless) drives the real page as a user does:
// model files in, the offer, the inputs chosen, fields filled from the
// case's args.txt, threads set, "Make the table" clicked; timed in the page
// from the click to the table shown. The first run after the page loaded
// (it compiles the WebAssembly and starts the threads) and warm runs (the
// same inputs again). The first run is clicked as soon as the form can run,
// or --pause-ms after (a user's time to reach the button: the page
// rehearses on the first samples meanwhile, see web/calib-worker.js). The page is served cross-origin isolated (COOP/COEP
// from tools/serve.mjs), so --threads above 1 runs the pthread build.
// Native: the whole ncnn2table process, same inputs, same order, thread=N.
// The two alternate, so a load change on the machine hits both. CPU time is
// reported beside wall time (on a shared, loaded machine wall time mostly
// measures the wait for a core): native, the child's user+system time;
// page, the user+system time of every Chromium process (the tab, its
// worker threads and the browser's own processes) over the run.
// Beside them, the bare cost of WebAssembly: calibrate() of the package in
// Node (the same threads build, the inputs already in memory): warm, in
// this process, and a first run in a fresh process after
// preloadCalibration() (as the page's first run: module loaded, code not
// yet run), so a page / native ratio can be split into what WebAssembly
// costs and what the page adds. And calibrate() bare in a Chromium worker
// (the same inputs fetched into memory first), --chromium-runs times in a
// row in one worker: a browser runs new WebAssembly code in a quick first
// form and recompiles the hot functions while it runs, so these runs show
// how many a tab needs before its code is as fast as Node's, apart from
// anything the page does.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { calibrate } from '../js/index.js';
import { startServer, launchBrowser, openIsolatedPage, prerequisiteProblem } from '../tests/e2e/helpers.mjs';
import { calibDir, calibPrerequisite, caseSetup, fillFields, nativeTable, openCalibration, shownLists } from '../tests/e2e/calib-helpers.mjs';

const { values: opts } = parseArgs({
  options: {
    threads: { type: 'string', default: '2' },
    repeats: { type: 'string', default: '3' },
    method: { type: 'string', default: 'kl' },
    cases: { type: 'string', default: 'mobilenet_v2_he,squeezenet_he,oww_alexa_rhasspy,oww_hello_deepa,oww_melspectrogram' },
    'chromium-runs': { type: 'string', default: '6' },
    'pause-ms': { type: 'string', default: '0' },
    json: { type: 'string' },
  },
});
const threads = Number(opts.threads);
const methods = opts.method.split(',');
for (const m of methods) if (!['kl', 'aciq', 'eq'].includes(m)) throw new Error(`--method: kl, aciq or eq, not '${m}'`);
const repeats = Number(opts.repeats);
const chromiumRuns = Number(opts['chromium-runs']);
const pauseMs = Number(opts['pause-ms']);
if (!(threads >= 1) || !(repeats >= 1) || !(chromiumRuns >= 1)) throw new Error('--threads, --repeats and --chromium-runs must be positive numbers');
if (!(pauseMs >= 0)) throw new Error('--pause-ms must be a number of milliseconds, 0 or more');
const problem = prerequisiteProblem() ?? calibPrerequisite();
if (problem) {
  console.error(`bench-web-calib: ${problem}`);
  process.exit(1);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// ---- CPU time from /proc -----------------------------------------------------
const tick = 1000 / Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim() || 100);
function stat(pid) {
  try {
    const t = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const a = t.slice(t.lastIndexOf(')') + 2).split(' '); // from field 3 (state) on
    return { ppid: Number(a[1]), self: (Number(a[11]) + Number(a[12])) * tick, children: (Number(a[13]) + Number(a[14])) * tick };
  } catch {
    return null; // gone
  }
}
// ms of CPU used by the processes this script started (Chromium, the
// server), excluding finished children (those are the native runs).
function descendantsCpu() {
  const parent = new Map();
  const stats = new Map();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const st = stat(name);
    if (st) parent.set(Number(name), st.ppid), stats.set(Number(name), st);
  }
  const mine = new Set([process.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of parent) if (mine.has(ppid) && !mine.has(pid)) mine.add(pid), (grew = true);
  }
  mine.delete(process.pid);
  let ms = 0;
  for (const pid of mine) ms += stats.get(pid).self + stats.get(pid).children;
  return ms;
}
const childrenCpu = () => stat(process.pid).children; // finished, waited-for children
const sec = (ms) => `${(ms / 1000).toFixed(2)} s`;

// The case's ncnn2table options from its args.txt, without thread= and
// method= (each run sets its own).
function caseOptions(dir) {
  const { args } = caseSetup(dir);
  return Object.entries(args).filter(([k]) => k !== 'thread' && k !== 'method').map(([k, v]) => `${k}=${v}`);
}

// One native run on the lists (in the page's order) -> { ms, table }.
function nativeRun(dir, lists, work, method) {
  const listFiles = lists.map((l, i) => {
    const f = path.join(work, `list${i}.txt`);
    fs.writeFileSync(f, `${l.join('\n')}\n`);
    return f;
  });
  const kv = caseOptions(dir);
  const out = path.join(work, 'native.table');
  const t = performance.now();
  const c0 = childrenCpu();
  const r = spawnSync(nativeTable, [path.join(dir, 'model.param'), path.join(dir, 'model.bin'), listFiles.join(','), out, ...kv, `method=${method}`, `thread=${threads}`], { cwd: dir, encoding: 'utf8' });
  const ms = performance.now() - t;
  const cpu = childrenCpu() - c0;
  if (r.status !== 0) throw new Error(`native ncnn2table failed (${r.status}): ${r.stderr}`);
  return { ms, cpu, table: fs.readFileSync(out) };
}

// calibrate() in this process on the same inputs, already in memory -> { ms, table }.
async function wasmRun(dir, lists, method) {
  const kv = caseOptions(dir);
  const inputs = lists.map((l) => l.map((p) => ({ name: path.basename(p), bytes: fs.readFileSync(p) })));
  const param = fs.readFileSync(path.join(dir, 'model.param'));
  const bin = fs.readFileSync(path.join(dir, 'model.bin'));
  const t = performance.now();
  const r = await calibrate({ param, bin, inputs, options: [...kv, `method=${method}`, `thread=${threads}`], build: 'threads' });
  return { ms: performance.now() - t, table: Buffer.from(r.table) };
}

// The first calibrate() in a fresh Node process, after preloadCalibration() -> ms.
function wasmFirstRun(dir, lists, method) {
  const kv = caseOptions(dir);
  const job = { dir, lists, options: [...kv, `method=${method}`, `thread=${threads}`] };
  const script = `
    import fs from 'node:fs';
    import path from 'node:path';
    import { calibrate } from ${JSON.stringify(new URL('../js/index.js', import.meta.url).href)};
    import { preloadCalibration } from ${JSON.stringify(new URL('../js/calibrate.js', import.meta.url).href)};
    const job = JSON.parse(process.env.BENCH_JOB);
    const param = fs.readFileSync(path.join(job.dir, 'model.param'));
    const bin = fs.readFileSync(path.join(job.dir, 'model.bin'));
    const inputs = job.lists.map((l) => l.map((p) => ({ name: path.basename(p), bytes: fs.readFileSync(p) })));
    await preloadCalibration({ build: 'threads', param });
    const t = performance.now();
    await calibrate({ param, bin, inputs, options: job.options, build: 'threads' });
    process.stdout.write(String(performance.now() - t));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, BENCH_JOB: JSON.stringify(job) }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`calibrate() in a fresh Node process failed: ${r.stderr}`);
  return Number(r.stdout);
}

// calibrate() bare in a module worker of a blank cross-origin isolated page
// (threads build), chromiumRuns times in a row on the inputs fetched into
// memory first -> { ms: [per run], table } (the last run's table).
const BARE_WORKER = `
import { calibrate } from '/js/index.js';
self.onmessage = async ({ data: { files, lists, options, runs } }) => {
  try {
    const get = async (u) => new Uint8Array(await (await fetch(u)).arrayBuffer());
    const param = await get(files.param);
    const bin = await get(files.bin);
    const inputs = await Promise.all(lists.map((l) => Promise.all(l.map(async (u) => ({ name: u.split('/').pop(), bytes: await get(u) })))));
    const ms = [];
    let table = null;
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      const r = await calibrate({ param, bin, inputs, options, build: 'threads' });
      ms.push(performance.now() - t);
      table = r.table;
    }
    self.postMessage({ ms, table });
  } catch (e) {
    self.postMessage({ error: String(e?.message ?? e) });
  }
};`;
async function chromiumBareRuns(dir, lists, method) {
  const kv = caseOptions(dir);
  const url = (p) => `/bench-cases/${path.relative(calibDir, p).split(path.sep).map(encodeURIComponent).join('/')}`;
  const { page, context } = await openIsolatedPage(browser, server.url, { '/__bench__/calibrate.mjs': BARE_WORKER });
  try {
    const job = {
      files: { param: url(path.join(dir, 'model.param')), bin: url(path.join(dir, 'model.bin')) },
      lists: lists.map((l) => l.map(url)),
      options: [...kv, `method=${method}`, `thread=${threads}`],
      runs: chromiumRuns,
    };
    const r = await page.evaluate((job) => new Promise((resolve) => {
      const w = new Worker('/__bench__/calibrate.mjs', { type: 'module' });
      w.onmessage = (e) => resolve(e.data.error ? e.data : { ms: e.data.ms, table: Array.from(e.data.table) });
      w.onerror = (e) => resolve({ error: `worker failed: ${e.message}` });
      w.postMessage(job);
    }), job);
    if (r.error) throw new Error(`calibrate() in a Chromium worker failed: ${r.error}`);
    return { ms: r.ms, table: Buffer.from(r.table) };
  } finally {
    await context.close();
  }
}

// One run in the page, timed from the click to the table offered -> { ms, table }.
async function pageRun(page) {
  const c0 = descendantsCpu();
  const r = await page.evaluate(() => new Promise((resolve) => {
    const before = Number(document.body.dataset.calibRunsEnded);
    const t0 = performance.now();
    const obs = new MutationObserver(() => {
      if (Number(document.body.dataset.calibRunsEnded) > before) {
        obs.disconnect();
        resolve({ ms: performance.now() - t0, state: document.body.dataset.calibState, error: document.getElementById('calib-error').textContent });
      }
    });
    obs.observe(document.body, { attributes: true, attributeFilter: ['data-calib-runs-ended'] });
    document.getElementById('calib-run').click();
  }));
  const cpu = descendantsCpu() - c0;
  if (r.state !== 'done') throw new Error(`page run failed: ${r.error}`);
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#calib-download-table')]);
  return { ms: r.ms, cpu, table: fs.readFileSync(await dl.path()) };
}

const server = await startServer({ mounts: { '/bench-cases/': calibDir } });
const browser = await launchBrowser();
const results = [];
const work = fs.mkdtempSync(path.join(process.env.TMPDIR || '/tmp', 'bench-web-calib-'));
try {
  for (const name of opts.cases.split(',')) {
    const dir = path.join(calibDir, name);
    if (!fs.existsSync(path.join(dir, 'model.param'))) {
      console.log(`(no ${dir}: ${name} skipped)`);
      continue;
    }
    const setup = caseSetup(dir);
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    await page.waitForSelector('#quantize-button');
    if (threads > 1 && !(await page.evaluate(() => crossOriginIsolated))) throw new Error('the page is not cross-origin isolated: no threads');
    await openCalibration(page, dir);
    for (let i = 0; i < setup.lists.length; i++) {
      await page.setInputFiles(`#calib-files-${i}`, setup.lists[i]);
      await fillFields(page, i, setup.perInput[i], setup.type);
    }
    await page.fill('#calib-threads', String(threads));
    await page.waitForSelector('#calib-run:not([disabled])');
    const byName = new Map(setup.lists.flat().map((p) => [path.basename(p), p]));
    const order = (await shownLists(page, setup.lists.length)).map((names) => names.map((n) => byName.get(n)));

    for (const method of methods) {
      await page.selectOption('#calib-method', method);
      await page.waitForSelector('#calib-run:not([disabled])');
      nativeRun(dir, order, work, method); // page cache warm, untimed
      if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
      const first = await pageRun(page);
      const wasmFirst = wasmFirstRun(dir, order, method);
      await wasmRun(dir, order, method); // untimed: runs first what this method runs
      const native = [];
      const nativeCpu = [];
      const warm = [];
      const warmCpu = [];
      const wasm = [];
      let identical = true;
      let nativeTableBytes = null;
      for (let i = 0; i < repeats; i++) {
        const n = nativeRun(dir, order, work, method);
        nativeTableBytes = n.table;
        const p = await pageRun(page);
        const w = await wasmRun(dir, order, method);
        native.push(n.ms);
        nativeCpu.push(n.cpu);
        warm.push(p.ms);
        warmCpu.push(p.cpu);
        wasm.push(w.ms);
        identical &&= p.table.equals(n.table) && first.table.equals(n.table) && w.table.equals(n.table);
      }
      const bare = await chromiumBareRuns(dir, order, method);
      identical &&= bare.table.equals(nativeTableBytes);
      const nat = median(native);
      const natCpu = median(nativeCpu);
      const r = {
        case: name, method, threads, samples: order[0].length, identical,
        chromium_bare_s: bare.ms.map((ms) => ms / 1000), chromium_bare_ratios: bare.ms.map((ms) => ms / nat),
        native_s: nat / 1000, page_first_s: first.ms / 1000, page_warm_s: median(warm) / 1000, wasm_s: median(wasm) / 1000, wasm_first_s: wasmFirst / 1000,
        first_ratio: first.ms / nat, warm_ratio: median(warm) / nat, wasm_ratio: median(wasm) / nat, wasm_first_ratio: wasmFirst / nat,
        native_cpu_s: natCpu / 1000, page_first_cpu_s: first.cpu / 1000, page_warm_cpu_s: median(warmCpu) / 1000,
        first_cpu_ratio: first.cpu / natCpu, warm_cpu_ratio: median(warmCpu) / natCpu,
      };
      results.push(r);
      console.log(`\n== ${name}: ${r.samples} samples, ${method}, thread=${threads}`);
      console.log(`native ncnn2table, whole process: wall ${native.map(sec).join(', ')}  median ${sec(nat)}; CPU median ${sec(natCpu)}`);
      console.log(`page, first run (of this method):  wall ${sec(first.ms)}  ${r.first_ratio.toFixed(2)}x native; CPU ${sec(first.cpu)}  ${r.first_cpu_ratio.toFixed(2)}x native`);
      console.log(`page, warm:                       wall ${warm.map(sec).join(', ')}  median ${sec(median(warm))}  ${r.warm_ratio.toFixed(2)}x native; CPU median ${sec(median(warmCpu))}  ${r.warm_cpu_ratio.toFixed(2)}x native`);
      console.log(`calibrate() in Node (bare WebAssembly, inputs in memory): warm ${wasm.map(sec).join(', ')}  median ${sec(median(wasm))}  ${r.wasm_ratio.toFixed(2)}x native; first run in a fresh process ${sec(wasmFirst)}  ${r.wasm_first_ratio.toFixed(2)}x native`);
      console.log(`calibrate() in a Chromium worker (bare WebAssembly, inputs in memory), ${chromiumRuns} runs in a row: ${bare.ms.map(sec).join(', ')}  = ${r.chromium_bare_ratios.map((x) => `${x.toFixed(2)}x`).join(', ')} native`);
      console.log(`tables byte-identical: ${identical}`);
    }
    await context.close();
  }
} finally {
  await browser.close();
  await server.stop();
  fs.rmSync(work, { recursive: true, force: true });
}
// One line per case and method: the figures a note needs, in one place.
console.log(`\nsummary (thread=${threads}, medians of ${repeats} warm runs; first runs clicked ${pauseMs ? `${pauseMs} ms after` : 'as soon as'} the form could run; wall times, each ratio against the native one)`);
console.log(`| case | method | native | page, warm | ratio | page, first run | ratio | bare WebAssembly, warm | ratio | bare, first run | ratio | bare in a Chromium worker, runs 1 and ${chromiumRuns} | tables identical |`);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
const cell = (s, ratio) => `${s.toFixed(2)} s | ${ratio.toFixed(2)}x`;
for (const r of results) {
  console.log(`| ${r.case} | ${r.method} | ${r.native_s.toFixed(2)} s | ${cell(r.page_warm_s, r.warm_ratio)} | ${cell(r.page_first_s, r.first_ratio)} | ${cell(r.wasm_s, r.wasm_ratio)} | ${cell(r.wasm_first_s, r.wasm_first_ratio)} | ${r.chromium_bare_ratios[0].toFixed(2)}x, ${r.chromium_bare_ratios.at(-1).toFixed(2)}x | ${r.identical ? `yes (${repeats * 2 + 2} of ${repeats * 2 + 2})` : 'NO'} |`);
}
if (opts.json) fs.writeFileSync(opts.json, `${JSON.stringify(results, null, 2)}\n`);
if (results.some((r) => !r.identical)) process.exit(1);
