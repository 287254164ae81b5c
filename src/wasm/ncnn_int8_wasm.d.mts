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
  /**
   * readBin fills dst (a view of wasm memory) with the bytes at offset and
   * returns the count, or a message; writeBin gets each output piece (a
   * view valid during the call) and returns undefined or a message;
   * progress returns false to cancel. No callback may throw.
   */
  quantize(
    param: Uint8Array,
    binSize: number,
    readBin: (offset: number, dst: Uint8Array) => number | string,
    table: Uint8Array | null,
    writeBin: (chunk: Uint8Array) => undefined | string,
    progress: ((layersDone: number, layersTotal: number, bytesDone: number, bytesTotal: number) => boolean) | null,
    names: { param: string; bin: string; table: string },
  ): QuantizeOutcome;
  version(): string;
  cliUsage(): string;
  /** The ncnn2int8 argument rules; realDir(dir) is the folder's real path or null. */
  parseCliArgs(args: string[], realDir: (dir: string) => string | null): CliArgs;
}

export default function createNcnnInt8Module(options?: { onAbort?: (what: unknown) => void; wasmBinary?: ArrayBuffer | Uint8Array }): Promise<NcnnInt8Module>;
