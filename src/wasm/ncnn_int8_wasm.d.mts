// Types of the Emscripten module built from bindings.cpp (dist/ncnn_int8_wasm.mjs;
// tools/build-wasm.sh copies this file next to it). The npm package's API is
// js/index.d.ts; this is the layer under it.

export interface QuantizeOutcome {
  /** The int8 .param bytes, or null on error. */
  param: Uint8Array | null;
  /** The report as JSON, or null on error. */
  report: string | null;
  /** The CLI's summary, or null on error. */
  reportText: string | null;
  /** The core's message, or null on success. */
  error: string | null;
}

export interface CliArgs {
  action: 'run' | 'help' | 'version' | 'error';
  /** For 'error': 1 (bad option or value) or 2 (bad usage; message is the usage text). */
  exitCode: number;
  message: string;
  inParam: string;
  inBin: string;
  outParam: string;
  outBin: string;
  table: string | null;
  /** Empty: no report. */
  reportPath: string;
  quiet: boolean;
}

export interface NcnnInt8Module {
  /** The instance's WebAssembly.Memory (cmake/memory-object.pre.js): views the callbacks get are of it. */
  wasmMemoryObject(): WebAssembly.Memory;
  /**
   * readBin fills dst (a view of wasm memory) with the bytes at offset and
   * returns the count, or a message; writeBin gets each output piece (a
   * view valid during the call) and returns undefined or a message;
   * progress returns false to cancel. No callback may throw. Given
   * rewindBin (for a .bin whose far reads are slow), the .bin is indexed
   * from its first tag instead of every tag being read first; where a run
   * on that index fails, rewindBin is called (everything writeBin was given
   * is to be thrown away) and the run starts again on the tags read.
   */
  quantize(
    param: Uint8Array,
    binSize: number,
    readBin: (offset: number, dst: Uint8Array) => number | string,
    table: Uint8Array | null,
    writeBin: (chunk: Uint8Array) => undefined | string,
    progress: ((layersDone: number, layersTotal: number, bytesDone: number, bytesTotal: number) => boolean) | null,
    names: { param: string; bin: string; table: string },
    rewindBin: (() => undefined | string) | null,
  ): QuantizeOutcome;
  version(): string;
  cliUsage(): string;
  /** The ncnn2int8 argument rules; realDir(dir) is the folder's real path or null. */
  parseCliArgs(args: string[], realDir: (dir: string) => string | null): CliArgs;

  // ncnn2table (src/wasm/calib_bindings.cpp; the same functions are in the
  // threads build ncnn_int8_calib_mt.mjs, which adds calibProvide).
  calibModelInputs(param: Uint8Array, paramName: string): { inputs: Array<{ blob: string; layer: string; w: number; h: number; c: number }>; error: string | null; errorCode?: string };
  calibPreprocess(bytes: Uint8Array, name: string, optionArgs: string[], inputIndex: number, inputCount: number): CalibTensor;
  calibStart(
    param: Uint8Array, paramName: string, binSize: number, readBin: (offset: number, dst: Uint8Array) => number | string, binName: string,
    listNames: string[], lists: string[][], held: Array<Array<Uint8Array | null>>, optionArgs: string[], callbacks: CalibCallbacks,
  ): { job: number; error: string | null; errorCode?: string };
  calibProvide?(request: number, value: Uint8Array | string): void;
  calibCancel(job: number): void;
  calibFinish(job: number): CalibOutcome;
  ncnn2tableArgs(args: string[]): Ncnn2TableArgs;
  ncnn2tableUsage(): string;
  ncnn2tableProgressLine(stage: string, done: number, total: number): string;
  calibParseList(text: string, name: string): { paths: string[]; error: string | null; errorCode?: string };
  calibSplitLists(arg: string): string[];
  calibLayerTypes(): string[];
  /** 1 in the single-thread build. */
  calibThreads(): number;
}

export interface CalibTensor {
  data: Float32Array; w: number; h: number; d: number; c: number; dims: number; min: number; max: number; mean: number;
  error: string | null; errorCode?: string;
}

export interface CalibCallbacks {
  /** Single-thread build: the file's bytes or a message. */
  readInput?(list: number, index: number): Uint8Array | string;
  /** Threads build: answer later with calibProvide(request, bytes or message). */
  requestInput?(request: number, list: number, index: number): void;
  progress(stage: string, done: number, total: number, index: number): boolean;
  done(): void;
}

export interface CalibOutcome {
  table: Uint8Array; report: string; summary: string; warnings: Array<{ code: string; message: string; layer?: string }>;
  error: string | null; errorCode?: string;
}

export interface Ncnn2TableArgs {
  action: 'run' | 'help' | 'version' | 'layers' | 'error';
  /** For 'error': 1 (message without the "ncnn2table: error: " prefix) or 2 (printed as it is). */
  exitCode: number;
  message: string;
  paramPath: string; binPath: string; listArg: string; tablePath: string; reportPath: string;
}

export default function createNcnnInt8Module(options?: { onAbort?: (what: unknown) => void; wasmBinary?: ArrayBuffer | Uint8Array }): Promise<NcnnInt8Module>;
