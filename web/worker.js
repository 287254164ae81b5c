// Module worker: runs the quantizer off the main thread. The page starts it
// at load, and it starts compiling the WebAssembly module at once, so a run
// does not wait for either.
// in:  { type: 'run', param: File, bin: File, table: File|null, names,
//        output: { kind: 'memory' } | { kind: 'opfs' } | { kind: 'file', handle: FileSystemFileHandle } }
// out: { type: 'progress', layersDone, layersTotal, bytesDone, bytesTotal }
//      { type: 'done', param: Uint8Array, bin: Blob|File|null, savedTo: string|null, stored: 'memory'|'opfs'|'file', report }
//      { type: 'error', message, code }
import { preload, quantize } from '../js/index.js';
import { openOutput } from './save_target.js';

const ready = preload().catch(() => {}); // a failure shows again, with its message, at the run

let lastPost = 0;
function progress(p) {
  // At most ~30 messages a second, but always the last one.
  const now = performance.now();
  const last = p.layersTotal > 0 && p.layersDone >= p.layersTotal;
  if (!last && now - lastPost < 33) return;
  lastPost = now;
  self.postMessage({
    type: 'progress',
    layersDone: p.layersDone ?? 0,
    layersTotal: p.layersTotal ?? 0,
    bytesDone: p.bytesDone ?? 0,
    bytesTotal: p.bytesTotal ?? 0,
  });
}

self.onmessage = async (event) => {
  const msg = event.data;
  if (!msg || msg.type !== 'run') return;
  let output = null;
  try {
    await ready;
    // Small text files: read whole, bytes kept exact. The .bin stays a File:
    // the core reads it in slices.
    const [param, table] = await Promise.all([
      msg.param.arrayBuffer().then((b) => new Uint8Array(b)),
      msg.table ? msg.table.arrayBuffer().then((b) => new Uint8Array(b)) : undefined,
    ]);
    output = await openOutput(msg.output);
    const result = await quantize({ param, bin: msg.bin, table, names: msg.names, onProgress: progress, writeBin: output.write });
    const saved = await output.finish();
    self.postMessage({ type: 'done', param: result.paramBytes, bin: saved.file, savedTo: saved.savedTo, stored: saved.stored, report: result.report });
  } catch (err) {
    await output?.discard();
    self.postMessage({ type: 'error', message: (err && err.message) || String(err), code: err?.code ?? null });
  }
};
