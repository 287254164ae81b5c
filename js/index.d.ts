// ncnn-int8: ncnn's ncnn2int8 in WebAssembly (Node >= 20, browser page, module worker).

/** Text input: the .param or the .table. Strings are encoded as UTF-8. */
export type TextInput = string | Uint8Array | ArrayBuffer | ArrayBufferView | Blob;

/**
 * The .bin weights. A Blob (or File) is read on demand inside a worker
 * (FileReaderSync on slices, so a large file is never held in memory whole);
 * elsewhere it is read into memory first.
 */
export type BinInput = Uint8Array | ArrayBuffer | ArrayBufferView | Blob;

export interface Progress {
  layersDone: number;
  layersTotal: number;
  /** Bytes of the input .bin processed so far; equals bytesTotal at the end. */
  bytesDone: number;
  bytesTotal: number;
}

/** Called after each layer; return false to cancel (the call then rejects with an AbortError). */
export type ProgressCallback = (progress: Progress) => boolean | void;

/** File names used in messages. Default: the File's name, else "model.param", "model.bin", "model.table". */
export interface Names {
  param?: string;
  bin?: string;
  table?: string;
}

export interface QuantizeOptions {
  param: TextInput;
  bin: BinInput;
  /** The calibration table from ncnn2table. Without it only Gemm and SDPA are quantized. */
  table?: TextInput | null;
  names?: Names;
  onProgress?: ProgressCallback;
  /**
   * Streams the output .bin: called with each piece as it is made, in order
   * (a view valid only during the call: copy or write it before returning).
   * The result's `bin` is then undefined. Throwing fails the run.
   */
  writeBin?: (chunk: Uint8Array) => void;
}

export interface Warning {
  /** file:line */
  where: string;
  layer: string;
  message: string;
}

export interface LayerReport {
  type: string;
  name: string;
  action: 'int8' | 'fp16' | 'unchanged' | 'skipped';
  reason: string;
  fused_into: string;
  bytes_in: number;
  bytes_out: number;
  /** Signal-to-quantization-noise ratio of the int8 weights in dB (0: not quantized). */
  sqnr_db: number;
}

/** The report, as `ncnn2int8 --report` writes it. */
export interface Report {
  tool_version: string;
  /** "WASM" in this build. */
  simd_target: string;
  totals: {
    layers: number;
    int8: number;
    fp16: number;
    unchanged: number;
    skipped: number;
    param_bytes_in: number;
    param_bytes_out: number;
    bin_bytes_in: number;
    bin_bytes_out: number;
  };
  warnings: Warning[];
  layers: LayerReport[];
}

export interface QuantizeResult {
  /** The int8 .param text. */
  param: string;
  /** The int8 .param exactly as written (use this to save the file byte for byte). */
  paramBytes: Uint8Array;
  /** The int8 .bin (undefined when it was streamed to `writeBin`). */
  bin: Uint8Array | undefined;
  report: Report;
  /** The summary the CLI prints (warnings of one kind on one line, counts, sizes). */
  reportText: string;
  /** The warnings alone, grouped as the CLI prints them (what `--quiet` prints). */
  warningText: string;
}

/** The kinds of failure the core reports (`CoreError.code`). */
export type CoreErrorCode = 'input' | 'io' | 'cancelled' | 'out_of_memory' | 'unsupported';

/** A failure of the core: bad input, an I/O error, a cancelled run (an AbortError), out of memory, an unsupported model. */
export interface CoreError extends Error {
  code: CoreErrorCode;
}

/**
 * Quantizes a model. Rejects with a CoreError whose message is the core's
 * (file, layer or line, reason) and whose `code` says what kind of failure it
 * is, with a TypeError for arguments of the wrong
 * type, with an AbortError when onProgress returned false, or with the error
 * onProgress threw. The WebAssembly instance is created on the first call
 * and reused. The work itself is synchronous: in a browser, call it from a
 * worker.
 */
export function quantize(options: QuantizeOptions): Promise<QuantizeResult>;

export interface QuantizeFileOptions {
  paramPath: string | URL;
  binPath: string | URL;
  tablePath?: string | URL;
  outParamPath: string | URL;
  outBinPath: string | URL;
  onProgress?: ProgressCallback;
}

/**
 * Node only. Reads the .bin in chunks and streams the output .bin to a
 * temporary file (OUT.partial-XXXXXX) renamed into place at the end: on
 * error no output is left and existing files are untouched. Messages are
 * the native CLI's.
 */
export function quantizeFile(options: QuantizeFileOptions): Promise<Report>;

/** Loads and compiles the WebAssembly module now (e.g. at page load), so the first quantize() does not wait for it. */
export function preload(): Promise<void>;

/** The core's version (what `ncnn2int8 --version` prints). */
export function version(): Promise<string>;

/**
 * Drops the WebAssembly instance so its memory (which grows to fit the
 * largest model and never shrinks) can be freed; the next call makes a new one.
 */
export function dispose(): void;

// --- weight-only LLM quantization (ncnnllm2table / ncnnllm2int) ---------------

export interface LlmLayerReport {
  type: string;
  name: string;
  /** "quantized", or "skipped" for a Gemm / MultiHeadAttention left in float. */
  action: 'quantized' | 'skipped';
  reason?: string;
  bits?: 4 | 6 | 8;
  block?: 32 | 64 | 128;
  /** minmax / mseclip (computed here), or table / awq / gptq (from the table). */
  method?: string;
  bytes_in: number;
  bytes_out: number;
  /** SQNR of the dequantized weights against the fp32 ones, in dB (with measureError). */
  sqnr_db?: number;
}

export interface LlmReport {
  operation: 'table' | 'quantize';
  simd_target: string;
  table_rows: number;
  bin_bytes_in: number;
  bin_bytes_out: number;
  param_bytes_out: number;
  table_bytes_out: number;
  layers: LlmLayerReport[];
  /** The reference tools' progress lines (quantize_gemm NAME, ...). */
  log: string[];
}

export interface LlmOptions {
  /** The .param text. */
  param: string | Uint8Array | ArrayBuffer | Blob;
  /** The .bin weights; a Blob is read on demand in a worker. */
  bin: Uint8Array | ArrayBuffer | Blob;
  /** minmax (default) or mseclip; awq / gptq need calibration data (not supported). */
  method?: string;
  /** 4, 6 (default) or 8. */
  bits?: number;
  /** 32, 64 (default) or 128. */
  block?: number;
  names?: { param?: string; bin?: string; table?: string };
  /** Called after each layer; return false to cancel (rejects with an AbortError). */
  onProgress?: ProgressCallback;
  /** Per layer SQNR in the report (default true). */
  measureError?: boolean;
}

export interface LlmTableOptions extends LlmOptions {
  /** Streams the table out instead of returning it. */
  writeTable?: (chunk: Uint8Array) => void;
}

/** ncnnllm2table: one row of block scales per qualifying weight. */
export function llmTable(options: LlmTableOptions): Promise<{ table: string; report: LlmReport }>;

export interface LlmQuantizeOptions extends LlmOptions {
  /**
   * An .llm.table (as written, hand-edited, awq or gptq); without it the direct form with method/bits/block.
   * A Blob (in a worker) or a {size, read(offset, dst)} source is read as a stream, never whole.
   */
  table?: string | Uint8Array | ArrayBuffer | Blob | { size: number; read(offset: number, dst: Uint8Array): number } | null;
  /** Reads a gptq qweight= file (path resolved against names.table's folder). */
  readFile?: (path: string) => Uint8Array;
  /** Streams the output .bin instead of returning it (chunk valid only during the call). */
  writeBin?: (chunk: Uint8Array) => void;
}

/** ncnnllm2int: the weight-only quantized model, byte for byte as the reference. */
export function llmQuantize(options: LlmQuantizeOptions): Promise<{ param: string; paramBytes: Uint8Array; bin: Uint8Array; report: LlmReport }>;
