// Module worker for the LLM section (llm.js): makes the .llm.table (unless
// one was dropped), then the weight-only quantized model. The .bin stays a
// File, read in slices; outputs leave as Blobs.
// in:  { type: 'run', param: File, bin: File, table: File|null, method, bits, block, names }
// out: { type: 'progress', step, layersDone, layersTotal }
//      { type: 'done', param: Blob, bin: Blob, table: Blob, report }
//      { type: 'error', message }
import { llmQuantize, llmTable } from '../js/index.js';

let cancelled = false;
let lastPost = 0;
const progress = (step) => (p) => {
  const now = performance.now();
  if (now - lastPost >= 50 || p.layersDone >= p.layersTotal) {
    lastPost = now;
    self.postMessage({ type: 'progress', step, layersDone: p.layersDone, layersTotal: p.layersTotal });
  }
  return !cancelled;
};

self.onmessage = async (event) => {
  const msg = event.data;
  if (msg?.type === 'cancel') {
    cancelled = true;
    return;
  }
  if (msg?.type !== 'run') return;
  cancelled = false;
  try {
    const param = new Uint8Array(await msg.param.arrayBuffer());
    const options = { method: msg.method, bits: msg.bits, block: msg.block, names: msg.names };
    let table;
    if (msg.table) {
      table = new Uint8Array(await msg.table.arrayBuffer());
    } else {
      const parts = [];
      await llmTable({ param, bin: msg.bin, ...options, measureError: false, writeTable: (c) => parts.push(c.slice()), onProgress: progress('table') });
      table = new Uint8Array(await new Blob(parts).arrayBuffer());
    }
    const binParts = [];
    const r = await llmQuantize({ param, bin: msg.bin, table, ...options, writeBin: (c) => binParts.push(c.slice()), onProgress: progress('quantize') });
    // Rows this run made carry the chosen method rather than "table".
    if (!msg.table) for (const l of r.report.layers) if (l.method === 'table') l.method = msg.method;
    self.postMessage({
      type: 'done',
      param: new Blob([r.paramBytes]),
      bin: new Blob(binParts),
      table: new Blob([table]),
      report: r.report,
    });
  } catch (err) {
    self.postMessage({ type: 'error', message: err?.name === 'AbortError' ? 'Cancelled.' : (err?.message ?? String(err)) });
  }
};
