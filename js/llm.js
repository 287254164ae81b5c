// Weight-only LLM quantization (ncnn's ncnnllm2table / ncnnllm2int) on the
// WebAssembly core: int4/int6/int8 Gemm and MultiHeadAttention weights in
// blocks of 32/64/128 with one scale per block. Same outputs, byte for byte,
// as the native tools. Runs single-threaded inside the instance: in a
// browser, call it from a worker.
import { asUint8Array, checkProgress, coreError, describe, getModule, isBlob } from './core.js';
import { binSource, concat, outputRewind, textBytes } from './inputs.js';

const LLM_NAMES = { param: 'model.param', bin: 'model.bin', table: 'model.llm.table' };


function names(given, inputs) {
  if (given !== undefined && (given === null || typeof given !== 'object'))
    throw new TypeError(`names must be an object like {param, bin, table}, not ${describe(given)}`);
  const out = {};
  for (const key of ['param', 'bin', 'table']) {
    const v = given?.[key];
    if (v !== undefined && typeof v !== 'string') throw new TypeError(`names.${key} must be a string, not ${describe(v)}`);
    const file = typeof File === 'function' && inputs[key] instanceof File ? inputs[key].name : undefined;
    out[key] = v || file || LLM_NAMES[key];
  }
  return out;
}

function checkOptions({ method = 'minmax', bits = 6, block = 64 }) {
  if (typeof method !== 'string') throw new TypeError(`method must be a string, not ${describe(method)}`);
  if (!Number.isInteger(bits)) throw new TypeError(`bits must be an integer (4, 6 or 8), not ${describe(bits)}`);
  if (!Number.isInteger(block)) throw new TypeError(`block must be an integer (32, 64 or 128), not ${describe(block)}`);
  return { method, bits, block };
}

// Wraps JS callbacks so an exception never unwinds through wasm: the first
// one is remembered and rethrown after the call.
function guard() {
  const g = { error: null };
  g.wrap = (fn, onError) => (...args) => {
    try {
      return fn(...args);
    } catch (e) {
      if (g.error === null) g.error = e instanceof Error ? e : new Error(String(e));
      return onError(e, ...args);
    }
  };
  return g;
}

function progressCallback(g, onProgress) {
  if (!onProgress) return null;
  return g.wrap(
    (layersDone, layersTotal, bytesDone, bytesTotal) => onProgress({ layersDone, layersTotal, bytesDone, bytesTotal }) !== false,
    () => false,
  );
}

function finish(r, g) {
  if (r.error !== null) {
    if (g.error) throw g.error;
    throw coreError(r);
  }
}


// outputRewind's choice, its exception kept by the guard.
function rewinder(g, source, write, rewind, clear) {
  const fn = outputRewind(source, write, rewind, clear);
  return fn && g.wrap(
    () => {
      fn();
      return undefined;
    },
    (e) => `cannot start the output again: ${e?.message ?? e}`,
  );
}

async function call(fn, args) {
  const M = await getModule();
  try {
    return M[fn](...args);
  } catch (e) {
    throw new Error(`internal error in the WebAssembly module: ${e?.message ?? e}`, { cause: e });
  }
}

/**
 * ncnnllm2table: block scales of every qualifying Gemm / MultiHeadAttention.
 * options: {param, bin, method?, bits?, block?, names?, onProgress?, measureError?, writeTable?}
 * Resolves to {table: string, report} (table is '' when writeTable streams it).
 */
export async function llmTable(options) {
  if (options === null || typeof options !== 'object')
    throw new TypeError(`llmTable() takes an object {param, bin, method, bits, block, ...}, not ${describe(options)}`);
  const { param, bin, onProgress, measureError = true, writeTable, rewindTable } = options;
  if (param === undefined || param === null) throw new TypeError('param is required: the .param text');
  if (bin === undefined || bin === null) throw new TypeError('bin is required: the .bin weights');
  const opts = checkOptions(options);
  const progress = checkProgress(onProgress);
  const resolved = names(options.names, options);
  const paramBytes = await textBytes(param, 'param');
  const source = await binSource(bin);
  const g = guard();
  const chunks = [];
  let total = 0;
  const write = g.wrap(
    (chunk) => {
      if (writeTable) writeTable(chunk);
      else {
        chunks.push(chunk.slice());
        total += chunk.length;
      }
      return undefined;
    },
    (e) => `cannot write the table: ${e?.message ?? e}`,
  );
  const memory = (await getModule()).wasmMemoryObject(); // dst views it (a read-ahead ring copies with memory.copy)
  const read = g.wrap((offset, dst) => source.read(offset, dst, memory), (e, offset, dst) => `${resolved.bin}: cannot read ${dst.length} bytes at offset ${offset}: ${e?.message ?? e}`);
  const rewind = rewinder(g, source, writeTable, rewindTable, () => {
    chunks.length = 0;
    total = 0;
  });
  let r;
  try {
    r = await call('llmTable', [paramBytes, source.size, read, { ...opts, measureError }, write, progressCallback(g, progress), resolved, rewind]);
  } finally {
    if (source !== bin) source.close?.(); // a source made here (a Blob's reader) is ours to close
  }
  finish(r, g);
  return { table: writeTable ? '' : new TextDecoder().decode(concat(chunks, total)), report: JSON.parse(r.report) };
}

// The table as the core takes it: bytes when it is text or bytes, else a
// source {size, read, close} read as a stream (a Blob in a worker, or a
// source object such as the Node CLI's file), so a large model's table is
// never held whole.
async function tableInput(table) {
  if (table === undefined || table === null) return null;
  if (typeof table === 'string' || asUint8Array(table)) return await textBytes(table, 'table');
  if (isBlob(table) || (typeof table.read === 'function' && typeof table.size === 'number')) return await binSource(table);
  throw new TypeError(`table must be a string, Uint8Array, ArrayBuffer, Blob or {size, read}, not ${describe(table)}`);
}

/**
 * ncnnllm2int: the weight-only quantized model, from a table (as written,
 * hand-edited, awq or gptq) or directly with method/bits/block.
 * options: {param, bin, table?, method?, bits?, block?, names?, onProgress?,
 *           measureError?, readFile?(path) -> Uint8Array, writeBin?(chunk),
 *           makeTable?, writeTable?(chunk)}
 * table: text or bytes, or a Blob / {size, read(offset, dst)} source read as
 * a stream.
 * makeTable (direct form only): also make the table ncnnllm2table would
 * write, in the same read of the .bin (ncnnllm2table + ncnnllm2int in one
 * pass); writeTable streams it, else it is returned as `table`.
 * Resolves to {param: string, paramBytes, bin: Uint8Array, table?: string, report}.
 */
export async function llmQuantize(options) {
  if (options === null || typeof options !== 'object')
    throw new TypeError(`llmQuantize() takes an object {param, bin, table?, method?, bits?, block?, ...}, not ${describe(options)}`);
  const { param, bin, table, onProgress, measureError = true, readFile, writeBin, writeTable, rewindBin, rewindTable } = options;
  if (param === undefined || param === null) throw new TypeError('param is required: the .param text');
  if (bin === undefined || bin === null) throw new TypeError('bin is required: the .bin weights');
  if (readFile !== undefined && typeof readFile !== 'function') throw new TypeError(`readFile must be a function, not ${describe(readFile)}`);
  if (writeTable !== undefined && typeof writeTable !== 'function') throw new TypeError(`writeTable must be a function, not ${describe(writeTable)}`);
  const makeTable = options.makeTable === true || writeTable !== undefined;
  if (options.makeTable !== undefined && typeof options.makeTable !== 'boolean') throw new TypeError(`makeTable must be a boolean, not ${describe(options.makeTable)}`);
  if (makeTable && table !== undefined && table !== null)
    throw new TypeError('makeTable / writeTable make a table from method, bits and block: pass no table with them');
  const opts = checkOptions(options);
  const progress = checkProgress(onProgress);
  const resolved = names(options.names, options);
  const paramBytes = await textBytes(param, 'param');
  const tableIn = await tableInput(table);
  let source;
  try {
    source = await binSource(bin);
  } catch (e) {
    if (tableIn && !asUint8Array(tableIn) && tableIn !== table) tableIn.close?.();
    throw e;
  }
  const g = guard();
  const tableArg = tableIn === null || asUint8Array(tableIn)
    ? tableIn
    : {
        size: tableIn.size,
        read: g.wrap((offset, dst) => tableIn.read(offset, dst), (e, offset, dst) => `${resolved.table}: cannot read ${dst.length} bytes at offset ${offset}: ${e?.message ?? e}`),
      };
  const chunks = [];
  let total = 0;
  const write = g.wrap(
    (chunk) => {
      if (writeBin) writeBin(chunk);
      else {
        chunks.push(chunk.slice());
        total += chunk.length;
      }
      return undefined;
    },
    (e) => `cannot write the output: ${e?.message ?? e}`,
  );
  const memory = (await getModule()).wasmMemoryObject(); // dst views it (a read-ahead ring copies with memory.copy)
  const read = g.wrap((offset, dst) => source.read(offset, dst, memory), (e, offset, dst) => `${resolved.bin}: cannot read ${dst.length} bytes at offset ${offset}: ${e?.message ?? e}`);
  const tableChunks = [];
  let tableTotal = 0;
  const writeTableChunk = makeTable
    ? g.wrap(
        (chunk) => {
          if (writeTable) writeTable(chunk);
          else {
            tableChunks.push(chunk.slice());
            tableTotal += chunk.length;
          }
          return undefined;
        },
        (e) => `cannot write the table: ${e?.message ?? e}`,
      )
    : null;
  const files = readFile
    ? (path) => {
        try {
          const bytes = asUint8Array(readFile(path));
          return bytes ?? `${path}: readFile returned no bytes`;
        } catch (e) {
          return `${path}: ${e?.message ?? e}`;
        }
      }
    : null;
  const rewindOut = rewinder(g, source, writeBin, rewindBin, () => {
    chunks.length = 0;
    total = 0;
  });
  const rewindTableOut = makeTable
    ? rewinder(g, source, writeTable, rewindTable, () => {
        tableChunks.length = 0;
        tableTotal = 0;
      })
    : null;
  // The core guesses the index only where every output it streams can start again.
  const rewinds = rewindOut && (!makeTable || rewindTableOut) ? [rewindOut, rewindTableOut] : [null, null];
  let r;
  try {
    r = await call('llmQuantize', [paramBytes, source.size, read, tableArg, { ...opts, measureError }, write, progressCallback(g, progress), resolved, files, writeTableChunk, ...rewinds]);
  } finally {
    if (source !== bin) source.close?.();
    if (tableArg !== null && !asUint8Array(tableArg) && tableIn !== table) tableIn.close?.(); // a reader made here
  }
  finish(r, g);
  const result = {
    param: new TextDecoder().decode(r.param),
    paramBytes: r.param,
    bin: writeBin ? new Uint8Array(0) : concat(chunks, total),
    report: JSON.parse(r.report),
  };
  if (makeTable) result.table = writeTable ? '' : new TextDecoder().decode(concat(tableChunks, tableTotal));
  return result;
}
