// ncnn-int8: ncnn's ncnn2int8 in WebAssembly. Works in Node >= 20, in a
// browser page and in a (module) worker; the .wasm is loaded from dist/ next
// to this package, never from the network. quantize() runs synchronously
// inside the WebAssembly instance once started: in a browser, call it from
// a worker so the page stays responsive.
import { binSource, concat, outputRewind, textBytes } from './inputs.js';
import { checkProgress, coreVersion, describe, dropModule, resolveNames, runCore } from './core.js';

export { llmQuantize, llmTable } from './llm.js';
export { calibrate, modelInputs, preprocess } from './calibrate.js';


/**
 * Quantizes a model held in memory (or, for bin, a Blob/File).
 * Resolves to {param, paramBytes, bin, report, reportText, warningText}; rejects with an
 * Error carrying the core's message (file, layer or line, reason). With
 * `writeBin(chunk)` the output .bin is handed over piece by piece as it is
 * made (`chunk` is valid only during the call) and `bin` is undefined.
 * @param {import('./index.d.ts').QuantizeOptions} options
 * @returns {Promise<import('./index.d.ts').QuantizeResult>}
 */
export async function quantize(options) {
  if (options === null || typeof options !== 'object')
    throw new TypeError(`quantize() takes an object {param, bin, table?, names?, onProgress?, writeBin?}, not ${describe(options)}`);
  const { param, bin, table, names, onProgress, writeBin, rewindBin } = options;
  if (param === undefined || param === null) throw new TypeError('param is required: the .param text (string, Uint8Array, ArrayBuffer or Blob)');
  if (bin === undefined || bin === null) throw new TypeError('bin is required: the .bin weights (Uint8Array, ArrayBuffer or Blob)');
  if (writeBin !== undefined && writeBin !== null && typeof writeBin !== 'function')
    throw new TypeError(`writeBin must be a function, not ${describe(writeBin)}`);
  if (rewindBin !== undefined && rewindBin !== null && typeof rewindBin !== 'function')
    throw new TypeError(`rewindBin must be a function, not ${describe(rewindBin)}`);
  const progress = checkProgress(onProgress);
  const resolved = resolveNames(names, { param, bin, table });
  const paramBytes = await textBytes(param, 'param');
  const tableBytes = table === undefined || table === null ? null : await textBytes(table, 'table');
  const source = await binSource(bin);

  const chunks = [];
  let total = 0;
  const gather = (chunk) => {
    chunks.push(chunk.slice());
    total += chunk.length;
  };
  const rewind = outputRewind(source, writeBin, rewindBin, () => {
    chunks.length = 0;
    total = 0;
  });
  let r;
  try {
    r = await runCore({
      param: paramBytes,
      table: tableBytes,
      binSize: source.size,
      readBin: (offset, dst, memory) => source.read(offset, dst, memory),
      writeBin: writeBin ?? gather,
      rewindBin: rewind,
      onProgress: progress,
      names: resolved,
    });
  } finally {
    source.close();
  }
  return {
    param: new TextDecoder().decode(r.param),
    paramBytes: r.param,
    bin: writeBin ? undefined : concat(chunks, total),
    report: JSON.parse(r.report),
    reportText: r.reportText,
    warningText: r.warningText,
  };
}

/**
 * Starts loading and compiling the WebAssembly module now, so the first call does not wait for it.
 * @returns {Promise<void>}
 */
export async function preload() {
  await coreVersion();
}

/**
 * Node only: quantizes files on disk, streaming the weights in and out.
 * Outputs are written to temporary files renamed into place at the end, so
 * on error no output is left and existing files are untouched.
 * Resolves to the report object.
 * @param {import('./index.d.ts').QuantizeFileOptions} options
 * @returns {Promise<import('./index.d.ts').Report>}
 */
export async function quantizeFile(options) {
  if (typeof process !== 'object' || !process.versions?.node) throw new Error('quantizeFile() needs Node.js; use quantize() in a browser');
  const { quantizeFiles } = await import('./file.js');
  return (await quantizeFiles(options)).report;
}

/**
 * The version of the WebAssembly core (same as `ncnn2int8 --version`).
 * @returns {Promise<string>}
 */
export function version() {
  return coreVersion();
}

/**
 * Drops the WebAssembly instance. Its memory grows to the largest model
 * quantized and never shrinks; after this it can be garbage collected. The
 * next call creates a new instance.
 */
export function dispose() {
  dropModule();
}
