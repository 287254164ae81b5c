// ncnn2table on the WebAssembly core: calibrate() makes the int8 scale
// table by running the fp32 model on the inputs, byte for byte as the native
// ncnn2table; preprocess() shows one input as calibration feeds it;
// modelInputs() lists the model's Input layers.
//
// Two builds: with threads (Emscripten pthreads; needs SharedArrayBuffer:
// always in Node, in a page only when crossOriginIsolated), where the run
// goes on in WebAssembly threads while this thread reads the inputs a
// worker asks for, one at a time; and the single-thread module (thread=1),
// where the run is synchronous and inputs are read synchronously.
import { asUint8Array, checkProgress, coreError, describe, getModule, isBlob } from './core.js';
import { binSource, textBytes } from './inputs.js';

const isNode = typeof process === 'object' && typeof process.versions?.node === 'string';

let threadsInstance = null; // Promise of the threads module, created on first use

/** Whether this environment can run the threads build. */
export function threadsSupported() {
  if (typeof SharedArrayBuffer !== 'function' || typeof Atomics !== 'object') return false;
  if (isNode) return true;
  return globalThis.crossOriginIsolated === true;
}

async function hardwareThreads() {
  const n = globalThis.navigator?.hardwareConcurrency;
  if (Number.isInteger(n) && n > 0) return n;
  if (isNode) {
    const os = await import('node:os');
    return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  }
  return 1;
}

// Node: the threads build's workers are unref'd (idle, they must not keep a
// process alive), so while the module loads or a run is going something else
// must hold the event loop open.
function holdEventLoop() {
  if (!isNode) return () => {};
  const timer = setInterval(() => {}, 1 << 30);
  return () => clearInterval(timer);
}

async function threadsModule() {
  if (!threadsInstance) {
    const pool = await hardwareThreads();
    const p = import('../dist/ncnn_int8_calib_mt.mjs').then((m) =>
      m.default({
        pthreadPoolSize: pool,
        onAbort() {
          if (threadsInstance === p) threadsInstance = null;
        },
      }),
    );
    threadsInstance = p;
    p.catch(() => {
      if (threadsInstance === p) threadsInstance = null;
    });
  }
  return threadsInstance;
}

/**
 * Loads the WebAssembly module calibrate() will use (with threads: the
 * pthread build and its pool of workers) and runs its one-time set-up (the
 * layer catalog, the option and input readers: most of a second in
 * WebAssembly on a first call), on a tiny model and input, or on `param`
 * (the .param text) when given; so that the first calibrate() does not
 * wait for any of it.
 * @param {{build?: 'auto' | 'threads' | 'single', param?: import('./index.d.ts').TextInput}} [options]
 * @returns {Promise<void>}
 */
export async function preloadCalibration({ build = 'auto', param } = {}) {
  const useThreads = build === 'threads' || (build === 'auto' && threadsSupported());
  const release = useThreads ? holdEventLoop() : () => {};
  try {
    const M = await (useThreads ? threadsModule() : getModule());
    const paramBytes = param === undefined || param === null ? new TextEncoder().encode('7767517\n1 1\nInput in 0 1 data\n') : await textBytes(param, 'param');
    for (const r of [call(M, 'calibModelInputs', paramBytes, 'model.param'), call(M, 'calibPreprocess', tinyNpy(), 'warm.npy', ['shape=[2,2]', 'type=1'], 0, 1)]) {
      if (r.error !== null) throw coreError(r);
    }
  } finally {
    release();
  }
}

// A 2x2 float32 .npy of zeros.
function tinyNpy() {
  const header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }";
  const text = `${header.padEnd(128 - 10 - 1)}\n`; // magic, version, length, then the header to 128 bytes
  const out = new Uint8Array(10 + text.length + 16);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, text.length, 0]);
  out.set(new TextEncoder().encode(text), 10);
  return out;
}

// --- options -----------------------------------------------------------------

function numberList(v, key) {
  for (const x of v)
    if (typeof x !== 'number' && typeof x !== 'string') throw new TypeError(`options.${key}: array items must be numbers, not ${describe(x)}`);
  return `[${v.join(',')}]`;
}

function optionValue(key, v) {
  if (typeof v === 'string') return key === 'precision' && v === 'fixed' ? 'f' : v;
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) {
    if (key === 'pixel') return v.join(',');
    if (v.length > 0 && v.every(Array.isArray)) return v.map((a) => numberList(a, key)).join(',');
    return numberList(v, key);
  }
  throw new TypeError(`options.${key} must be a string, a number or an array, not ${describe(v)}`);
}

/**
 * ncnn2table's key=value arguments for an options object; the values are
 * checked by the native parser (unknown keys too), so messages match the CLI.
 * @param {object | undefined} options
 * @returns {string[]}
 */
export function optionArgs(options) {
  if (options === undefined || options === null) return [];
  if (Array.isArray(options)) {
    for (const a of options) if (typeof a !== 'string') throw new TypeError(`options given as an array must be key=value strings, not ${describe(a)}`);
    return options.slice();
  }
  if (typeof options !== 'object' || Array.isArray(options)) throw new TypeError(`options must be an object like {mean, norm, shape, pixel, method}, not ${describe(options)}`);
  const out = [];
  for (const [key, v] of Object.entries(options)) {
    if (v === undefined) continue;
    out.push(`${key}=${optionValue(key, v)}`);
  }
  return out;
}

// --- inputs ------------------------------------------------------------------

function checkItem(item, where) {
  if (typeof item === 'string') {
    if (!isNode) throw new TypeError(`${where}: a path string needs Node.js; give a File, Blob or bytes`);
    return;
  }
  if (asUint8Array(item) || isBlob(item)) return;
  if (item && typeof item === 'object' && typeof item.name === 'string' && asUint8Array(item.bytes)) return;
  throw new TypeError(`${where} must be a File, Blob, Uint8Array, ArrayBuffer, {name, bytes} or a path, not ${describe(item)}`);
}

function itemName(item, where) {
  if (typeof item === 'string') return item;
  if (isBlob(item) && typeof item.name === 'string' && item.name) return item.name;
  if (item && typeof item.name === 'string' && item.name && !isBlob(item)) return item.name;
  return where;
}

let readWholeFile = null; // js/file.js's, loaded in Node only
let checkRegularFile = null;

async function nodeFiles() {
  if (!readWholeFile) ({ readWholeFile, checkRegularFile } = await import('./file.js'));
}

// The bytes of one item, synchronously (the single-thread build).
function readItemSync(item) {
  if (typeof item === 'string') return new Uint8Array(readWholeFile(item));
  const bytes = asUint8Array(item) ?? (isBlob(item) ? null : asUint8Array(item.bytes));
  if (bytes) return bytes;
  const FileReaderSync = /** @type {any} */ (globalThis).FileReaderSync;
  if (typeof FileReaderSync === 'function') return new Uint8Array(new FileReaderSync().readAsArrayBuffer(item));
  throw new Error('a Blob cannot be read synchronously here: run calibrate() in a worker, or where SharedArrayBuffer is available');
}

async function readItem(item) {
  if (isBlob(item)) return new Uint8Array(await item.arrayBuffer());
  return readItemSync(item);
}

// The message a failed read gives the core (which prefixes list:name).
function readError(e) {
  return e?.message ?? String(e);
}

// At most this many bytes of inputs go to the threads build with the start.
const HELD_INPUT_BYTES = 64 << 20;

// Per list, per input: its bytes when they are in memory already or (a path
// in Node) small enough to read now, else null. The core's threads take the
// held ones without a round trip to this thread per input and pass, and ask
// for the others one at a time (so a read error is reported there, as ever).
function heldInputs(inputs) {
  let total = 0;
  const hold = (item) => {
    let bytes = null;
    if (typeof item === 'string') {
      try {
        if (total + checkRegularFile(item) > HELD_INPUT_BYTES) return null;
        bytes = new Uint8Array(readWholeFile(item));
      } catch {
        return null;
      }
    } else if (!isBlob(item)) bytes = asUint8Array(item) ?? asUint8Array(item.bytes);
    if (!bytes || total + bytes.length > HELD_INPUT_BYTES) return null;
    total += bytes.length;
    return bytes;
  };
  return inputs.map((list) => list.map(hold));
}

// --- calibrate ---------------------------------------------------------------

/**
 * ncnn2table: the int8 calibration table for a model and its inputs.
 * @param {import('./index.d.ts').CalibrateOptions} options
 * @returns {Promise<import('./index.d.ts').CalibrateResult>}
 */
export async function calibrate(options) {
  if (options === null || typeof options !== 'object')
    throw new TypeError(`calibrate() takes an object {param, bin, inputs, options, onProgress, signal}, not ${describe(options)}`);
  const { param, bin, inputs = [], onProgress, signal, build = 'auto' } = options;
  if (param === undefined || param === null) throw new TypeError('param is required: the .param text (string, Uint8Array, ArrayBuffer or Blob)');
  if (bin === undefined || bin === null) throw new TypeError('bin is required: the .bin weights (Uint8Array, ArrayBuffer or Blob)');
  if (!Array.isArray(inputs) || !inputs.every(Array.isArray))
    throw new TypeError(`inputs must be an array with one array of files per model Input layer, not ${describe(inputs)}`);
  if (signal !== undefined && signal !== null && !(typeof signal === 'object' && 'aborted' in signal && typeof signal.addEventListener === 'function'))
    throw new TypeError(`signal must be an AbortSignal, not ${describe(signal)}`);
  if (!['auto', 'threads', 'single'].includes(build)) throw new TypeError(`build must be 'auto', 'threads' or 'single', not ${JSON.stringify(build)}`);
  const progress = checkProgress(onProgress);
  const args = optionArgs(options.options);
  const names = {
    param: options.names?.param || (typeof File === 'function' && param instanceof File ? param.name : '') || 'model.param',
    bin: options.names?.bin || (typeof File === 'function' && bin instanceof File ? bin.name : '') || 'model.bin',
  };
  const listNames = inputs.map((_, j) => options.listNames?.[j] ?? `inputs[${j}]`);
  const itemNames = inputs.map((list, j) =>
    list.map((item, i) => {
      checkItem(item, `inputs[${j}][${i}]`);
      return itemName(item, `inputs[${j}][${i}]`);
    }),
  );
  if (inputs.some((list) => list.some((item) => typeof item === 'string'))) await nodeFiles();
  const useThreads = build === 'threads' || (build === 'auto' && threadsSupported());
  if (useThreads && !threadsSupported()) throw new Error('the threads build needs SharedArrayBuffer (a page must be crossOriginIsolated)');
  if (!useThreads && typeof (/** @type {any} */ (globalThis).FileReaderSync) !== 'function' && inputs.some((list) => list.some(isBlob)))
    throw new Error('without SharedArrayBuffer, Files and Blobs are read synchronously: call calibrate() from a worker (FileReaderSync), or make the page cross-origin isolated');
  if (signal?.aborted) throw cancelledError();

  const paramBytes = await textBytes(param, 'param');
  const source = await binSource(bin);
  const release = useThreads ? holdEventLoop() : () => {};
  let M;
  try {
    M = useThreads ? await threadsModule() : await getModule();
  } catch (e) {
    release();
    if (source !== bin) source.close?.();
    throw e;
  }
  const started = Date.now();
  const sampleName = (index) => itemNames.map((list) => list[index]).join(',');
  let callbackError = null;
  const fail = (e) => {
    if (callbackError === null) callbackError = e instanceof Error ? e : new Error(String(e));
  };
  const onStep = (stage, done, total, index) => {
    if (!progress) return !signal?.aborted;
    try {
      const r = progress({ stage, done, total, name: sampleName(index), elapsedMs: Date.now() - started });
      return r !== false && !signal?.aborted;
    } catch (e) {
      fail(e);
      return false;
    }
  };
  const memory = M.wasmMemoryObject(); // dst views it (a read-ahead ring copies with memory.copy)
  const read = (offset, dst) => {
    try {
      return source.read(offset, dst, memory);
    } catch (e) {
      return `${names.bin}: cannot read ${dst.length} bytes at offset ${offset}: ${e?.message ?? e}`;
    }
  };

  let outcome;
  try {
    outcome = useThreads
      ? await runThreads(M, { paramBytes, names, source, read, listNames, itemNames, args, inputs, onStep, signal })
      : runSingle(M, { paramBytes, names, source, read, listNames, itemNames, args, inputs, onStep });
  } finally {
    release();
    if (source !== bin) source.close?.();
  }
  if (outcome.error !== null) {
    if (callbackError) throw callbackError;
    throw coreError(outcome);
  }
  const table = outcome.table;
  return {
    table,
    tableText: new TextDecoder().decode(table),
    report: JSON.parse(outcome.report),
    reportJson: outcome.report,
    warnings: outcome.warnings,
    summary: outcome.summary,
  };
}

function cancelledError() {
  return Object.assign(new Error('cancelled'), { name: 'AbortError', code: 'cancelled' });
}

function call(M, fn, ...args) {
  try {
    return M[fn](...args);
  } catch (e) {
    throw new Error(`internal error in the WebAssembly module: ${e?.message ?? e}`, { cause: e });
  }
}

function runSingle(M, { paramBytes, names, source, read, listNames, itemNames, args, inputs, onStep }) {
  const callbacks = {
    readInput(list, index) {
      try {
        return readItemSync(inputs[list][index]);
      } catch (e) {
        return readError(e);
      }
    },
    progress: onStep,
    done() {},
  };
  const s = call(M, 'calibStart', paramBytes, names.param, source.size, read, names.bin, listNames, itemNames, [], args, callbacks);
  if (s.error !== null) return s;
  return call(M, 'calibFinish', s.job);
}

function runThreads(M, { paramBytes, names, source, read, listNames, itemNames, args, inputs, onStep, signal }) {
  return new Promise((resolve, reject) => {
    let job = 0;
    const onAbort = () => {
      if (job) M.calibCancel(job);
    };
    // See calibPump in src/wasm/calib_bindings.cpp.
    const pump = setInterval(() => M.calibPump(), 20);
    const end = (fn) => {
      clearInterval(pump);
      signal?.removeEventListener('abort', onAbort);
      fn();
    };
    // A stop asked for before the result is handed over wins, also when the
    // threads (with every input held) finished before its progress call ran.
    let stopAsked = false;
    const callbacks = {
      requestInput(request, list, index) {
        readItem(inputs[list][index]).then(
          (bytes) => M.calibProvide(request, bytes),
          (e) => M.calibProvide(request, readError(e)),
        );
      },
      progress(...args) {
        const go = onStep(...args);
        if (!go) stopAsked = true;
        return go;
      },
      done() {
        try {
          const r = call(M, 'calibFinish', job);
          const stopped = r.error === null && (stopAsked || signal?.aborted);
          end(() => resolve(stopped ? { ...r, error: 'cancelled', errorCode: 'cancelled' } : r));
        } catch (e) {
          end(() => reject(e));
        }
      },
    };
    let s;
    try {
      s = call(M, 'calibStart', paramBytes, names.param, source.size, read, names.bin, listNames, itemNames, heldInputs(inputs), args, callbacks);
    } catch (e) {
      end(() => reject(e));
      return;
    }
    if (s.error !== null) {
      end(() => resolve(s));
      return;
    }
    job = s.job;
    signal?.addEventListener('abort', onAbort);
    if (signal?.aborted) onAbort();
  });
}

// --- preprocess, modelInputs -------------------------------------------------

/**
 * One input as calibration feeds it to the model.
 * @param {import('./index.d.ts').PreprocessOptions} options
 * @returns {Promise<import('./index.d.ts').PreprocessResult>}
 */
export async function preprocess(options) {
  if (options === null || typeof options !== 'object') throw new TypeError(`preprocess() takes an object {input, inputIndex, options, param?}, not ${describe(options)}`);
  const { input, inputIndex = 0, param } = options;
  checkItem(input, 'input');
  if (!Number.isInteger(inputIndex) || inputIndex < 0) throw new TypeError(`inputIndex must be an integer >= 0, not ${describe(inputIndex)}`);
  const args = optionArgs(options.options);
  if (typeof input === 'string') await nodeFiles();
  let count = -1;
  if (param !== undefined && param !== null) count = (await modelInputs({ param })).length;
  const bytes = await readItem(input);
  const M = await getModule();
  const r = call(M, 'calibPreprocess', bytes, itemName(input, 'input'), args, inputIndex, count);
  if (r.error !== null) throw coreError(r);
  return { data: r.data, w: r.w, h: r.h, c: r.c, dims: r.dims, min: r.min, max: r.max, mean: r.mean };
}

/**
 * The model's Input layers, in layer order.
 * @param {{param: import('./index.d.ts').TextInput, names?: {param?: string}}} options
 * @returns {Promise<import('./index.d.ts').ModelInput[]>}
 */
export async function modelInputs(options) {
  if (options === null || typeof options !== 'object') throw new TypeError(`modelInputs() takes an object {param}, not ${describe(options)}`);
  const { param } = options;
  if (param === undefined || param === null) throw new TypeError('param is required: the .param text');
  const name = options.names?.param || (typeof File === 'function' && param instanceof File ? param.name : '') || 'model.param';
  const bytes = await textBytes(param, 'param');
  const M = await getModule();
  const r = call(M, 'calibModelInputs', bytes, name);
  if (r.error !== null) throw coreError(r);
  return r.inputs.map((i) => ({ blob: i.blob, layer: i.layer, shapeHint: i.w > 0 || i.h > 0 || i.c > 0 ? [i.w, i.h, i.c] : null }));
}
