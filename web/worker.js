// Module worker: runs the quantizer off the main thread. The page starts it
// at load, and it starts compiling the WebAssembly module at once, so a run
// does not wait for either.
// in:  { type: 'run', param: File, bin: File, table: File|null, names,
//        output: { kind: 'memory' } | { kind: 'opfs' } | { kind: 'file', handle: FileSystemFileHandle } }
// out: { type: 'progress', layersDone, layersTotal, bytesDone, bytesTotal }
//      { type: 'done', param: Uint8Array, bin: Blob|File|null, savedTo: string|null, stored: 'memory'|'opfs'|'file', report,
//        timings: { startMs, coreMs, readWaitMs, writeMs, finishMs } } (where a run's time went)
//      { type: 'error', message, code }
import { preload, quantize } from '../js/index.js';
import { blobSource, canReadBlobSync, prepareBlobReads } from '../js/blob_source.js';
import { openOutput, prepareOutput } from './save_target.js';

// A failure shows again, with its message, at the run.
const ready = Promise.all([preload(), prepareBlobReads()]).catch(() => {});
prepareOutput();

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
  const t0 = performance.now();
  try {
    await ready;
    // Small text files: read whole, bytes kept exact. The .bin stays a File:
    // the core reads it in slices.
    const [param, table] = await Promise.all([
      msg.param.arrayBuffer().then((b) => new Uint8Array(b)),
      msg.table ? msg.table.arrayBuffer().then((b) => new Uint8Array(b)) : undefined,
    ]);
    output = await openOutput(msg.output);
    // The .bin's reader starts streaming now, while the core parses the .param.
    const bin = canReadBlobSync() ? await blobSource(msg.bin) : msg.bin;
    let writeMs = 0;
    const write = output.write;
    const timedWrite = (chunk) => {
      const t = performance.now();
      write(chunk);
      writeMs += performance.now() - t;
    };
    const t1 = performance.now();
    let result;
    try {
      result = await quantize({ param, bin, table, names: msg.names, onProgress: progress, writeBin: timedWrite });
    } finally {
      bin.close?.(); // stops its read-ahead, also where quantize() refused the inputs before reading
    }
    const t2 = performance.now();
    const saved = await output.finish();
    const timings = { startMs: t1 - t0, coreMs: t2 - t1, readWaitMs: bin.waitedMs?.() ?? 0, writeMs, finishMs: performance.now() - t2 };
    self.postMessage({ type: 'done', param: result.paramBytes, bin: saved.file, savedTo: saved.savedTo, stored: saved.stored, report: result.report, timings });
  } catch (err) {
    await output?.discard();
    self.postMessage({ type: 'error', message: (err && err.message) || String(err), code: err?.code ?? null });
  }
};
