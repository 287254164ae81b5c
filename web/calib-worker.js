// Module worker for the calibration section (calib.js): the model's Input
// layers, "what the model sees" for a few inputs, and the calibration run.
// Inputs arrive as Files (references, not bytes). The run worker is made
// ready before the click: 'warm' loads the WebAssembly module calibrate()
// will use (with threads: the pthread build and its thread pool), 'model'
// reads the model's files as soon as they are dropped, 'prefetch' reads the
// inputs ahead into a cache bounded in bytes (what does not fit is read
// during the run, one at a time), and 'rehearse' calibrates on the first
// samples, results dropped: the engine's and the statistics' code then
// runs compiled for speed (a browser runs new WebAssembly code in a quick
// first form, several times slower, until it has recompiled what is used).
// 'run' then only calibrates.
// in:  { type: 'warm' }
//      { type: 'model', modelId, param: File, bin: File }
//      { type: 'prefetch', lists: [[{ key, file: File }]] }
//      { type: 'rehearse', modelId, param: File, bin: File, inputs: [[{ key, file }]], options }
//      { type: 'inputs', id, param: File }            (the model's Input layers)
//      { type: 'preview', id, param: File, input: File, inputIndex, options }
//      { type: 'run', id, modelId, param: File, bin: File, inputs: [[{ key, file }]], options }
//      { type: 'cancel', id }
// out: { type: 'inputs', id, inputs: [{ blob, layer, shapeHint }] }
//      { type: 'preview', id, tensor: { data, w, h, c, dims, min, max, mean } }
//      { type: 'progress', id, stage, done, total, name, elapsedMs }
//      { type: 'done', id, table: Uint8Array, report, warnings }
//      { type: 'error', id, message, code }
import * as api from '../js/index.js';
import { preloadCalibration } from '../js/calibrate.js';

// Encoded inputs held ahead of a run, at most this many bytes; a .bin
// larger than this is read during the run instead of held twice.
const CACHE_BYTES = 256 << 20;
const READS_AT_ONCE = 4;
// Progress messages at most this many ms apart. The page draws each one,
// and while every core calibrates that drawing is time taken from the run:
// 250 ms instead of 50 made squeezenet_he kl 1.1x faster in the page (three
// alternating benchmark pairs, 1.49-1.60 s against 1.38-1.42 s).
const PROGRESS_MS = 250;

const params = new WeakMap(); // File -> its bytes (exact), read once per model

async function paramText(file) {
  let p = params.get(file);
  if (!p) {
    p = file.arrayBuffer().then((b) => new Uint8Array(b));
    params.set(file, p);
  }
  return p;
}

function need(name) {
  if (typeof api[name] !== 'function') {
    const e = new Error(`this build of the package has no ${name}() (calibration is not in it: run \`npm run build\` from a version with ncnn2table in WebAssembly)`);
    e.code = 'unsupported';
    throw e;
  }
  return api[name];
}

// Reads to a promise of the bytes, or of null when the read failed (the run
// then reads the File itself and reports the failure with its name).
const readBytes = (file) => file.arrayBuffer().then((b) => new Uint8Array(b), () => null);

// ---- the model, read when it is dropped -------------------------------------
let model = null; // { modelId, param: Promise, bin: Promise | null }

function setModel(msg) {
  model = { modelId: msg.modelId, param: readBytes(msg.param), bin: msg.bin.size <= CACHE_BYTES ? readBytes(msg.bin) : null };
  // The model read once by the run's module: its layers' first use is paid now.
  model.param.then((param) => param && preloadCalibration({ param })).catch(() => {});
}

async function modelFiles(msg) {
  if (model && model.modelId === msg.modelId) {
    const [param, bin] = await Promise.all([model.param, model.bin]);
    return { param: param ?? (await paramText(msg.param)), bin: bin ?? msg.bin };
  }
  return { param: await paramText(msg.param), bin: msg.bin };
}

// ---- inputs, read ahead -----------------------------------------------------
const cache = new Map(); // key -> { size, bytes: Promise<Uint8Array | null> }
let cachedBytes = 0;
let queue = []; // [{ key, file }] still to read
let reading = 0;

function setInputs(lists) {
  const wanted = new Map(lists.flat().map((x) => [x.key, x.file]));
  for (const [key, entry] of cache) {
    if (!wanted.has(key)) {
      cache.delete(key);
      cachedBytes -= entry.size;
    }
  }
  // Sample order, so a budget too small for all keeps the first samples.
  queue = [];
  const longest = Math.max(0, ...lists.map((l) => l.length));
  for (let i = 0; i < longest; i++) for (const l of lists) if (l[i] && !cache.has(l[i].key)) queue.push(l[i]);
  pump();
}

function pump() {
  while (reading < READS_AT_ONCE && queue.length) {
    const { key, file } = queue.shift();
    if (cache.has(key) || cachedBytes + file.size > CACHE_BYTES) continue;
    reading++;
    cachedBytes += file.size;
    const bytes = readBytes(file).finally(() => {
      reading--;
      pump();
    });
    cache.set(key, { size: file.size, bytes });
  }
}

// An input for calibrate(): its bytes when held, else the File (read then).
async function runItem({ key, file }) {
  const entry = cache.get(key);
  const bytes = entry ? await entry.bytes : null;
  return bytes ? { name: file.name, bytes } : file;
}

// ---- the rehearsal ----------------------------------------------------------
// Rounds on more of the first samples each time (1, 2, 4 ... 32 of each
// list), while the rounds are quick: one sample of a small model runs too
// little of the code for the browser to recompile it all for speed (with 8
// samples at most, the first run still had the per-element forwards of
// BinaryOp and Reduction recompiled during it), and a large model needs
// more than its first 7 samples too (after rounds of 1, 2 and 4 samples,
// its first run was still slower than the next ones). A run stops the
// rehearsal (between inputs) instead of waiting for it.
const REHEARSAL_ROUNDS = 6;
const REHEARSAL_MS = 1200; // no new round after this much rehearsal
let rehearsal = Promise.resolve();
let rehearsalStop = null;

function rehearse(msg) {
  const calibrate = api.calibrate;
  if (typeof calibrate !== 'function') return;
  rehearsalStop?.abort();
  const stop = new AbortController();
  rehearsalStop = stop;
  rehearsal = rehearsal
    .then(async () => {
      const { param, bin } = await modelFiles(msg);
      const started = performance.now();
      const longest = Math.max(...msg.inputs.map((list) => list.length));
      for (let round = 0, take = 1; round < REHEARSAL_ROUNDS && !stop.signal.aborted; round++, take *= 2) {
        const inputs = await Promise.all(msg.inputs.map((list) => Promise.all(list.slice(0, take).map(runItem))));
        const names = { param: msg.param.name, bin: msg.bin.name };
        await calibrate({ param, bin, inputs, options: msg.options, names, signal: stop.signal });
        if (take >= longest || performance.now() - started > REHEARSAL_MS) break;
      }
    })
    .catch(() => {}); // cancelled, or a bad input or option: the run itself says so
}

// ---- requests ---------------------------------------------------------------
const runs = new Map(); // id -> AbortController
let lastPost = 0;

async function handle(msg) {
  if (msg.type === 'inputs') {
    const inputs = await need('modelInputs')({ param: await paramText(msg.param), names: { param: msg.param.name } });
    return { type: 'inputs', id: msg.id, inputs };
  }
  if (msg.type === 'preview') {
    const t = await need('preprocess')({ input: msg.input, inputIndex: msg.inputIndex, options: msg.options, param: await paramText(msg.param), names: { param: msg.param.name } });
    const tensor = { data: t.data, w: t.w, h: t.h, c: t.c, dims: t.dims, min: t.min, max: t.max, mean: t.mean };
    return { type: 'preview', id: msg.id, tensor, transfer: [t.data.buffer] };
  }
  if (msg.type === 'run') {
    const calibrate = need('calibrate');
    const controller = new AbortController();
    runs.set(msg.id, controller);
    try {
      rehearsalStop?.abort();
      await rehearsal; // stops at its next input
      const { param, bin } = await modelFiles(msg);
      const inputs = await Promise.all(msg.inputs.map((list) => Promise.all(list.map(runItem))));
      const r = await calibrate({
        param,
        bin,
        inputs,
        options: msg.options,
        names: { param: msg.param.name, bin: msg.bin.name },
        signal: controller.signal,
        onProgress: (p) => {
          // At most PROGRESS_MS apart, but always the end of a pass.
          const now = performance.now();
          if (p.done < p.total && now - lastPost < PROGRESS_MS) return;
          lastPost = now;
          self.postMessage({ type: 'progress', id: msg.id, stage: p.stage, done: p.done, total: p.total, name: p.name ?? '', elapsedMs: p.elapsedMs ?? 0 });
        },
      });
      const table = r.table instanceof Uint8Array ? r.table : new TextEncoder().encode(r.tableText);
      return { type: 'done', id: msg.id, table, report: r.report, warnings: r.warnings ?? [], transfer: [table.buffer] };
    } finally {
      runs.delete(msg.id);
    }
  }
  return null;
}

self.onmessage = async (event) => {
  const msg = event.data;
  if (!msg) return;
  if (msg.type === 'cancel') {
    runs.get(msg.id)?.abort();
    return;
  }
  if (msg.type === 'warm') {
    // A failure here shows again, with its message, when the run needs the module.
    preloadCalibration().catch(() => {});
    return;
  }
  if (msg.type === 'model') {
    setModel(msg);
    return;
  }
  if (msg.type === 'prefetch') {
    setInputs(msg.lists);
    return;
  }
  if (msg.type === 'rehearse') {
    rehearse(msg);
    return;
  }
  try {
    const out = await handle(msg);
    if (!out) return;
    const { transfer, ...body } = out;
    self.postMessage(body, transfer || []);
  } catch (err) {
    self.postMessage({ type: 'error', id: msg.id, message: (err && err.message) || String(err), code: err?.code ?? null });
  }
};
