// Module worker for the LLM section (llm.js): makes the .llm.table (unless
// one was dropped), then the weight-only quantized model. Nothing is held
// whole: the .bin and the table are Files read in windows, the table made
// here is written to browser storage as it is made (openSideOutput), the
// int8 .bin where the page's output choice says (openOutput: browser
// storage, a picked file, or memory where neither exists).
// in:  { type: 'run', param: File, bin: File, table: File|null, method, bits, block, names, output }
// out: { type: 'progress', step, layersDone, layersTotal }
//      { type: 'done', param: Blob, bin: File|Blob|null, savedTo, stored, table: File|Blob, report }
//      { type: 'error', message }
import { llmQuantize, llmTable } from '../js/index.js';
import { openOutput, openSideOutput } from './save_target.js';

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
  let side = null;
  let output = null;
  try {
    const param = new Uint8Array(await msg.param.arrayBuffer());
    const options = { method: msg.method, bits: msg.bits, block: msg.block, names: msg.names };
    let table = msg.table;
    if (!table) {
      side = await openSideOutput();
      await llmTable({ param, bin: msg.bin, ...options, measureError: false, writeTable: side.write, onProgress: progress('table') });
      table = (await side.finish()).file;
    }
    output = await openOutput(msg.output);
    const r = await llmQuantize({ param, bin: msg.bin, table, ...options, writeBin: output.write, onProgress: progress('quantize') });
    const saved = await output.finish();
    output = null;
    // Rows this run made carry the chosen method rather than "table".
    if (!msg.table) for (const l of r.report.layers) if (l.method === 'table') l.method = msg.method;
    self.postMessage({
      type: 'done',
      param: new Blob([r.paramBytes]),
      bin: saved.file,
      savedTo: saved.savedTo,
      stored: saved.stored,
      table,
      report: r.report,
    });
  } catch (err) {
    await output?.discard();
    await side?.discard();
    self.postMessage({ type: 'error', message: err?.name === 'AbortError' ? 'Cancelled.' : (err?.message ?? String(err)) });
  }
};
