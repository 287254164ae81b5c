// Module worker for the LLM section (llm.js). With bits/block/method picked
// (no table dropped) one read of the .bin makes both the .llm.table and the
// weight-only quantized model (ncnnllm2table + ncnnllm2int in one pass);
// with an edited table dropped, one pass applies it. Nothing is held whole:
// the .bin is read ahead through the page's read ring (blob_source.js) by
// one worker, the outputs are written here (llm-output.js: the table made
// here to browser storage as it is made, the int8 .bin where the page's
// output choice says: browser storage, a picked file, or memory where
// neither exists).
//
// Cancel: the page sets a flag in shared memory that the core's progress
// callback reads between windows of rows (this worker is inside one
// synchronous WebAssembly call for the whole run, so a message would only
// arrive after it); the core then returns "cancelled" with nothing
// committed, the read-ahead is closed, the outputs made so far are removed,
// and the worker takes the next run as it is.
// in:  { type: 'run', param: File, bin: File, table: File|null, method, bits, block, names, output,
//        cancel: Int32Array over a SharedArrayBuffer (1 = stop) | null }
// out: { type: 'progress', layersDone, layersTotal, bytesDone, bytesTotal }
//      { type: 'done', param: Blob, bin: File|Blob|null, savedTo, stored, table: File|Blob, report, timings, workerRuns }
//        (timings.rewinds: how often the outputs started again, see QuantizeOptions.rewindBin)
//      { type: 'error', message, cancelled, workerRuns }
// (workerRuns: how many runs this worker has taken, this one included.)
import { llmQuantize, preload } from '../js/index.js';
import { blobSource, canReadBlobSync, prepareBlobReads } from '../js/blob_source.js';
import { openRunOutputs } from './llm-output.js';
import { prepareOutput } from './save_target.js';

// Compile the module, start the reader worker and open the output folder
// now, so a run waits for none of them.
const ready = Promise.all([preload(), prepareBlobReads(), prepareOutput()]).catch(() => {});

// Where a run's time goes, window by window of the core (a window ends at
// each progress call: every window of rows and every layer): blocked on the
// read-ahead (`wait`), copying its bytes into the core (`copy`), writing the
// outputs (`write`), posting progress (`msg`); the rest is the core's own
// work (`compute`). tools/bench-web-llm.mjs prints it.
function timeline(source, start) {
  const windows = [];
  let mark = start;
  let cur = { wait: 0, copy: 0, write: 0, msg: 0 };
  const timed = (key, fn) => (...args) => {
    const t = performance.now();
    try {
      return fn(...args);
    } finally {
      cur[key] += performance.now() - t;
    }
  };
  return {
    source: {
      size: source.size,
      read(offset, dst, memory) {
        const w = source.waitedMs?.() ?? 0;
        const t = performance.now();
        try {
          return source.read(offset, dst, memory);
        } finally {
          const waited = (source.waitedMs?.() ?? 0) - w;
          cur.wait += waited;
          cur.copy += performance.now() - t - waited;
        }
      },
      farReadsSlow: source.farReadsSlow,
      close: () => source.close?.(),
    },
    write: (fn) => timed('write', fn),
    message: (fn) => timed('msg', fn),
    // Closes the current window at `bytesDone` of the .bin.
    window(bytesDone) {
      const now = performance.now();
      const busy = cur.wait + cur.copy + cur.write + cur.msg;
      windows.push({ endMs: now - start, bytes: bytesDone, ...cur, compute: Math.max(0, now - mark - busy) });
      mark = now;
      cur = { wait: 0, copy: 0, write: 0, msg: 0 };
    },
    windows,
  };
}

let lastPost = 0;
const progress = (cancel, tl) => {
  const post = tl.message((p) => self.postMessage({ type: 'progress', layersDone: p.layersDone, layersTotal: p.layersTotal, bytesDone: p.bytesDone, bytesTotal: p.bytesTotal }));
  return (p) => {
    const now = performance.now();
    if (now - lastPost >= 50 || p.layersDone >= p.layersTotal) {
      lastPost = now;
      post(p);
    }
    tl.window(p.bytesDone);
    return !(cancel && Atomics.load(cancel, 0) !== 0);
  };
};

let runs = 0; // runs this worker has taken: a cancelled or failed one leaves it ready for the next

self.onmessage = async (event) => {
  const msg = event.data;
  if (msg?.type !== 'run') return;
  const workerRuns = ++runs;
  let outputs = null;
  let bin = null;
  const cancel = msg.cancel instanceof Int32Array ? msg.cancel : null;
  const t0 = performance.now();
  try {
    await ready;
    const param = new Uint8Array(await msg.param.arrayBuffer());
    const options = { method: msg.method, bits: msg.bits, block: msg.block, names: msg.names };
    const makeTable = !msg.table;
    outputs = await openRunOutputs(msg.output, makeTable);
    // The .bin's read-ahead starts now, while the core parses the .param.
    bin = canReadBlobSync() ? await blobSource(msg.bin) : msg.bin;
    const t1 = performance.now();
    const tl = timeline(bin, t1);
    let rewinds = 0; // the outputs started again: the .bin's tags were not all like its first
    const rewind = (fn) => () => {
      rewinds++;
      fn();
    };
    let r;
    try {
      r = await llmQuantize({
        param,
        bin: tl.source,
        ...options,
        ...(makeTable ? { writeTable: tl.write(outputs.writeTable), rewindTable: outputs.rewindTable } : { table: msg.table }),
        writeBin: tl.write(outputs.writeBin),
        rewindBin: rewind(outputs.rewindBin),
        onProgress: progress(cancel, tl),
      });
    } finally {
      bin.close?.(); // stops the read-ahead, also where the call refused its inputs
    }
    tl.window(bin.size); // the .param and the last writes
    const t2 = performance.now();
    const finished = await outputs.finish();
    outputs = null;
    const saved = finished.bin;
    const table = makeTable ? finished.table : msg.table;
    self.postMessage({
      type: 'done',
      param: new Blob([r.paramBytes]),
      bin: saved.file,
      savedTo: saved.savedTo,
      stored: saved.stored,
      table,
      report: r.report,
      workerRuns,
      timings: { startMs: t1 - t0, coreMs: t2 - t1, readWaitMs: bin.waitedMs?.() ?? 0, finishMs: performance.now() - t2, windows: tl.windows, rewinds },
    });
  } catch (err) {
    await outputs?.discard().catch(() => {});
    const cancelled = err?.code === 'cancelled' || (cancel !== null && Atomics.load(cancel, 0) !== 0);
    self.postMessage({ type: 'error', message: cancelled ? 'Cancelled.' : (err?.message ?? String(err)), cancelled, workerRuns });
  }
};
