// Module worker: runs the quantizer off the main thread.
// in:  { type: 'run', param: File, bin: File, table: File|null, names }
// out: { type: 'progress', layersDone, layersTotal, bytesDone, bytesTotal }
//      { type: 'done', param: Uint8Array|string, bin: ArrayBuffer (transferred), report }
//      { type: 'error', message }
import { quantize } from '../js/index.js';

async function bytesOf(blob) {
  return new Uint8Array(await blob.arrayBuffer());
}

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
  try {
    const param = await bytesOf(msg.param); // small text: read whole, bytes kept exact
    const table = msg.table ? await bytesOf(msg.table) : undefined;
    // The .bin stays a File: the core reads it in slices.
    const result = await quantize({ param, bin: msg.bin, table, names: msg.names, onProgress: progress });
    let out = result.bin;
    if (!(out instanceof Uint8Array)) out = new Uint8Array(out);
    let buffer = out.buffer;
    if (out.byteOffset !== 0 || out.byteLength !== buffer.byteLength || buffer instanceof SharedArrayBufferOrNull()) {
      buffer = out.slice().buffer; // a view into a larger (or shared) buffer: copy just the bytes
    }
    // The .param as the core wrote it (bytes) when available, else its text.
    const paramOut = result.paramBytes instanceof Uint8Array ? result.paramBytes : result.param;
    self.postMessage({ type: 'done', param: paramOut, bin: buffer, report: result.report }, [buffer]);
  } catch (err) {
    const message = (err && err.message) || String(err);
    self.postMessage({ type: 'error', message });
  }
};

function SharedArrayBufferOrNull() {
  // `instanceof` needs a constructor; SharedArrayBuffer is absent when the page is not cross-origin isolated.
  return typeof SharedArrayBuffer === 'function' ? SharedArrayBuffer : class Never {};
}

self.postMessage({ type: 'ready' });
