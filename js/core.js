// Shared by index.js (every environment) and file.js (Node): the lazily
// created WebAssembly instance and the one call into it.
import createNcnnInt8Module from '../dist/ncnn_int8_wasm.mjs';

let instance = null; // Promise of the module, created on first use

export function getModule() {
  if (!instance) {
    const p = createNcnnInt8Module({
      // An abort leaves the instance unusable: the next call makes a new one.
      onAbort() {
        if (instance === p) instance = null;
      },
    });
    instance = p;
    Promise.resolve(p).catch(() => {
      if (instance === p) instance = null;
    });
  }
  return instance;
}

// Forgets the instance (its memory, which never shrinks, can then be freed).
export function dropModule() {
  instance = null;
}

export function describe(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return `an object (${v.constructor?.name ?? 'Object'})`;
  return `a ${typeof v}`;
}

const DEFAULT_NAMES = { param: 'model.param', bin: 'model.bin', table: 'model.table' };

function fileName(v) {
  return typeof File === 'function' && v instanceof File && v.name ? v.name : undefined;
}

export function resolveNames(names, inputs = {}) {
  if (names !== undefined && (names === null || typeof names !== 'object'))
    throw new TypeError(`names must be an object like {param, bin, table}, not ${describe(names)}`);
  const out = {};
  for (const key of ['param', 'bin', 'table']) {
    const given = names?.[key];
    if (given !== undefined && typeof given !== 'string') throw new TypeError(`names.${key} must be a string, not ${describe(given)}`);
    out[key] = given || fileName(inputs[key]) || DEFAULT_NAMES[key];
  }
  return out;
}

export function checkProgress(onProgress) {
  if (onProgress !== undefined && onProgress !== null && typeof onProgress !== 'function')
    throw new TypeError(`onProgress must be a function, not ${describe(onProgress)}`);
  return onProgress ?? null;
}

export function isBlob(v) {
  return typeof Blob === 'function' && v instanceof Blob;
}

export function asUint8Array(v) {
  if (v instanceof Uint8Array) return v;
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  return null;
}

// Runs quantize_model. `readBin(offset, dst, memory)` fills the Uint8Array
// `dst` (a view of `memory`, the instance's WebAssembly.Memory) with the
// bytes at `offset` and returns how many it wrote (fewer only at the end);
// `writeBin(chunk)` gets the next piece of the output. Both views are of
// wasm memory, valid only during the call (no copy on the way). Callback
// exceptions are caught here (a JS exception must not unwind through wasm)
// and rethrown after the call.
// Returns {param: Uint8Array, report: string, reportText: string, warningText: string}.
// `rewindBin()`, where given, throws away what writeBin was given: the core
// then indexes the .bin from its first tag, and starts again where that
// index was wrong (see QuantizeRequest::index_like_first_tag).
export async function runCore({ param, table, binSize, readBin, writeBin, rewindBin = null, onProgress, names }) {
  const M = await getModule();
  let callbackError = null;
  const fail = (e) => {
    if (callbackError === null) callbackError = e instanceof Error ? e : new Error(String(e));
  };
  const memory = M.wasmMemoryObject();
  const read = (offset, dst) => {
    try {
      return readBin(offset, dst, memory);
    } catch (e) {
      fail(e);
      return `${names.bin}: cannot read ${dst.length} bytes at offset ${offset}: ${e?.message ?? e}`;
    }
  };
  const write = (chunk) => {
    try {
      writeBin(chunk);
      return undefined;
    } catch (e) {
      fail(e);
      return `cannot write the output: ${e?.message ?? e}`;
    }
  };
  const progress = onProgress
    ? (layersDone, layersTotal, bytesDone, bytesTotal) => {
        try {
          return onProgress({ layersDone, layersTotal, bytesDone, bytesTotal }) !== false;
        } catch (e) {
          fail(e);
          return false;
        }
      }
    : null;
  const rewind = rewindBin
    ? () => {
        try {
          rewindBin();
          return undefined;
        } catch (e) {
          fail(e);
          return `cannot start the output again: ${e?.message ?? e}`;
        }
      }
    : null;

  let r;
  try {
    r = M.quantize(param, binSize, read, table ?? null, write, progress, names, rewind);
  } catch (e) {
    // Only a wasm abort or trap gets here (the binding never throws): the
    // instance may be corrupt, so make a fresh one next time.
    instance = null;
    throw new Error(`internal error in the WebAssembly module: ${e?.message ?? e}`, { cause: e });
  }
  if (r.error !== null) {
    if (callbackError) throw callbackError;
    throw coreError(r);
  }
  return { param: r.param, report: r.report, reportText: r.reportText, warningText: r.warningText };
}

export async function coreVersion() {
  const M = await getModule();
  return M.version();
}

// The core's failure as an Error: the message names the file and the layer or
// line; `code` is the core's error code ('input', 'io', 'cancelled',
// 'out_of_memory', 'unsupported'); a cancelled run is an AbortError.
export function coreError(r) {
  const err = Object.assign(new Error(r.error), { code: r.errorCode ?? 'input' });
  if (err.code === 'cancelled') err.name = 'AbortError';
  return err;
}
