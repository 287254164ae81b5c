// Module worker: runs the quantizer off the main thread. The page starts it
// at load, and it starts compiling the WebAssembly module at once, so a run
// does not wait for either.
// in:  { type: 'run', param: File, bin: File, table: File|null, names,
//        output: { kind: 'memory' } | { kind: 'opfs' } | { kind: 'file', handle: FileSystemFileHandle }}
// out: { type: 'warm', ms, runs, error }: the warm-up at load is over (see warmUp)
//      { type: 'progress', layersDone, layersTotal, bytesDone, bytesTotal }
//      { type: 'done', param: Uint8Array, bin: Blob|File|null, savedTo: string|null, stored: 'memory'|'opfs'|'file', report,
//        timings: { startMs, coreMs, readWaitMs, writeMs, finishMs, rewinds } } (where a run's time went;
//        rewinds: how often the output started again, see QuantizeOptions.rewindBin)
//      { type: 'error', message, code }
import { preload, quantize } from '../js/index.js';
import { blobSource, canReadBlobSync, prepareBlobReads } from '../js/blob_source.js';
import { openOutput, prepareOutput } from './save_target.js';

// A failure shows again, with its message, at the run.
const ready = Promise.all([preload(), prepareBlobReads()]).catch(() => {});
prepareOutput();

// The browser compiles the WebAssembly code first with a quick compiler and
// recompiles a function with its optimizing one only once it has run for a
// while, and a call already running stays on the quick code: on the first
// run after load the parsing and quantizing loops ran several times slower
// than on the next. So right after load, before a user can have chosen the
// files, the worker quantizes two models a few times each the way a run
// does (the .bin through the read-ahead ring, the output handed over in
// pieces), and the user's first run finds the hot code optimized: the
// page's sample (dist/sample, a 0.1 MB conv net) and a transformer
// (dist/warmup: the generator's vit-tiny, Convolution, LayerNorm,
// MultiHeadAttention, Gemm and InnerProduct at ViT-Ti widths), whose 3 MB
// of weights are made up here from its layout (model.layout.json: the
// .bin's size and where its fp32 tags are) instead of being downloaded.
// ?warmup=0 on the worker's URL leaves it out (the benchmark compares).
const WARM_MODELS = [
  { dir: '../dist/sample/', runs: 8 },
  { dir: '../dist/warmup/', runs: 8, layout: true },
];
const warmUpWanted = new URL(self.location.href).searchParams.get('warmup') !== '0';

async function fetchBytes(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

// Weights of the layout's shape: values uniform in [-1, 1) from a fixed
// linear congruential sequence, tags fp32 (0).
function madeUpBin({ bin_bytes: bytes, fp32_tags: tags }) {
  const values = new Float32Array(bytes / 4);
  let x = 12345;
  for (let i = 0; i < values.length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    values[i] = x / 2 ** 31 - 1;
  }
  const words = new Uint32Array(values.buffer);
  for (const at of tags) words[at / 4] = 0;
  return new Uint8Array(values.buffer);
}

async function warmUp() {
  const t0 = performance.now();
  let runs = 0;
  for (const m of WARM_MODELS) {
    const base = new URL(m.dir, import.meta.url);
    const [param, table, bin] = await Promise.all([
      fetchBytes(new URL('model.param', base)),
      fetchBytes(new URL('model.table', base)),
      m.layout ? fetchBytes(new URL('model.layout.json', base)).then((b) => madeUpBin(JSON.parse(new TextDecoder().decode(b)))) : fetchBytes(new URL('model.bin', base)),
    ]);
    const blob = new Blob([bin]);
    for (let i = 0; i < m.runs; i++, runs++) {
      const source = canReadBlobSync() ? await blobSource(blob) : bin;
      try {
        await quantize({ param, bin: source, table, writeBin: () => {}, rewindBin: () => {} });
      } finally {
        source.close?.();
      }
    }
  }
  return { ms: performance.now() - t0, runs };
}
// A run waits for the warm-up (it takes a fraction of a second); a failed
// warm-up only means a slower first run.
const warm = ready
  .then(() => (warmUpWanted ? warmUp() : { ms: 0, runs: 0 }))
  .catch((err) => ({ ms: 0, runs: 0, error: String(err?.message ?? err) }))
  .then((w) => self.postMessage({ type: 'warm', ...w }));

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
    await warm;
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
    let rewinds = 0; // the output started again: the .bin's tags were not all like its first
    const writes = []; // [start ms, end ms, bytes]: the run's timeline of output writes
    const write = output.write;
    const timedWrite = (chunk) => {
      const t = performance.now();
      write(chunk);
      const t1 = performance.now();
      writeMs += t1 - t;
      writes.push([t, t1, chunk.length]);
    };
    const t1 = performance.now();
    let result;
    try {
      const rewind = () => {
        rewinds++;
        output.rewind();
      };
      result = await quantize({ param, bin, table, names: msg.names, onProgress: progress, writeBin: timedWrite, rewindBin: rewind });
    } finally {
      bin.close?.(); // stops its read-ahead, also where quantize() refused the inputs before reading
    }
    const t2 = performance.now();
    const saved = await output.finish();
    const timings = { startMs: t1 - t0, coreMs: t2 - t1, readWaitMs: bin.waitedMs?.() ?? 0, writeMs, finishMs: performance.now() - t2, rewinds };
    // The timeline, relative to the core's start: where this thread waited
    // for the .bin and wrote the output, and what the reader worker waited on.
    const line = bin.timeline?.() ?? { events: [], readerReadMs: 0, readerFullMs: 0 };
    const rel = (t) => Math.round((t - t1) * 100) / 100;
    timings.timeline = {
      waits: line.events.map(([kind, a, b, offset]) => [kind, rel(a), rel(b), offset]),
      writes: writes.map(([a, b, n]) => [rel(a), rel(b), n]),
      readerReadMs: line.readerReadMs,
      readerFullMs: line.readerFullMs,
    };
    self.postMessage({ type: 'done', param: result.paramBytes, bin: saved.file, savedTo: saved.savedTo, stored: saved.stored, report: result.report, timings });
  } catch (err) {
    await output?.discard();
    self.postMessage({ type: 'error', message: (err && err.message) || String(err), code: err?.code ?? null });
  }
};
