// Module worker for the calibration section (calib.js): the model's Input
// layers, "what the model sees" for a few inputs, and the calibration run.
// Inputs arrive as Files (references, not bytes); calibrate() reads them
// one at a time. With threads (the page is cross-origin isolated) the
// package uses its pthread build; thread=1 runs the single-thread module.
// in:  { type: 'inputs', id, param: File }
//      { type: 'preview', id, param: File, input: File, inputIndex, options }
//      { type: 'run', id, param: File, bin: File, inputs: [[File]], options }
//      { type: 'cancel', id }
// out: { type: 'inputs', id, inputs: [{ blob, layer, shapeHint }] }
//      { type: 'preview', id, tensor: { data, w, h, c, dims, min, max, mean } }
//      { type: 'progress', id, stage, done, total, name, elapsedMs }
//      { type: 'done', id, table: Uint8Array, report, warnings }
//      { type: 'error', id, message, code }
import * as api from '../js/index.js';

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
      const param = await paramText(msg.param);
      const r = await calibrate({
        param,
        bin: msg.bin,
        inputs: msg.inputs,
        options: msg.options,
        names: { param: msg.param.name, bin: msg.bin.name },
        signal: controller.signal,
        onProgress: (p) => {
          // At most ~20 messages a second, but always the end of a pass.
          const now = performance.now();
          if (p.done < p.total && now - lastPost < 50) return;
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
  try {
    const out = await handle(msg);
    if (!out) return;
    const { transfer, ...body } = out;
    self.postMessage(body, transfer || []);
  } catch (err) {
    self.postMessage({ type: 'error', id: msg.id, message: (err && err.message) || String(err), code: err?.code ?? null });
  }
};
