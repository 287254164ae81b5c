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
  /**
   * With `writeBin`, where `bin` is a Blob read in a worker: throws away
   * everything `writeBin` was given; the pieces then come again from the
   * start. Given it, the .bin is indexed from its first tag (each tag
   * elsewhere in the file a round trip to the browser saved) and the run
   * starts again, once, where a tag turns out to differ from the first.
   * Without it the tags are all read before the run.
   */
  rewindBin?: () => void;
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
  /** With writeTable: throws away what it was given (see QuantizeOptions.rewindBin). */
  rewindTable?: () => void;
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
  /**
   * Direct form only (no table): also make the table ncnnllm2table would write, in the same read of
   * the .bin (ncnnllm2table + ncnnllm2int in one pass), returned as `table`.
   */
  makeTable?: boolean;
  /** Like makeTable, the table streamed here instead (chunk valid only during the call). */
  writeTable?: (chunk: Uint8Array) => void;
  /**
   * With writeBin / writeTable, where `bin` is a Blob read in a worker: throw away what each was
   * given (see QuantizeOptions.rewindBin); the .bin is indexed from its first tag only where every
   * output streamed out can be rewound.
   */
  rewindBin?: () => void;
  rewindTable?: () => void;
}

/** ncnnllm2int: the weight-only quantized model, byte for byte as the reference (and with makeTable, the table too). */
export function llmQuantize(
  options: LlmQuantizeOptions,
): Promise<{ param: string; paramBytes: Uint8Array; bin: Uint8Array; table?: string; report: LlmReport }>;

// --- calibration table (ncnn2table) -------------------------------------------

/**
 * One calibration input: an image (JPEG, PNG, BMP, PNM) or a float32 .npy.
 * A path string is read from disk (Node only; relative to the current folder).
 * Blobs/Files are read when a thread needs them, never all at once.
 */
export type CalibInput = Blob | Uint8Array | ArrayBuffer | { name: string; bytes: Uint8Array | ArrayBuffer } | string;

/**
 * ncnn2table's key=value options, as the CLI's strings ('[104,117,123]',
 * '[224,224,3],[64,64]', 'RGB,BGR') or as arrays (one array per model input:
 * [[104,117,123]], or a flat array when the model has one input). They go
 * through the native CLI's option parser, so errors name the option as the
 * CLI does.
 */
export interface CalibOptions {
  /** Per input, images only: (x - mean) * norm. */
  mean?: string | number[] | number[][];
  /** Per input, images only; 0 is refused. */
  norm?: string | number[] | number[][];
  /** Images [w,h(,c)] ([0,0] keeps the size, [w,0] / [0,h] keep the aspect ratio); npy: the array's shape reversed. */
  shape?: string | number[] | number[][];
  /** The model's pixel order per input (images are decoded as BGR). */
  pixel?: string | Array<'RGB' | 'BGR' | 'GRAY' | 'RGBA' | 'BGRA'>;
  /** kl (default), aciq or eq (eq where the core implements it). */
  method?: 'kl' | 'aciq' | 'eq';
  /** 0: images (default), 1: float32 .npy. */
  type?: 0 | 1 | '0' | '1';
  /**
   * Worker threads over inputs (0: every core: navigator.hardwareConcurrency
   * or the machine's). More than one needs SharedArrayBuffer (Node; a page
   * only when crossOriginIsolated); otherwise one thread is used. The table
   * never depends on it.
   */
  thread?: number | string;
  /** fixed (default): scales printed with %f as the reference; full: %.9g. */
  precision?: 'fixed' | 'full';
}

export interface CalibProgress {
  /** 'absmax' (first pass over the inputs), 'histogram' (second pass, kl), or another stage name the core reports. */
  stage: string;
  /** Inputs (samples) done in this stage, and how many there are. */
  done: number;
  total: number;
  /** The sample just finished (its files' names, comma-separated when the model has several inputs). */
  name: string;
  /** Since the call started. */
  elapsedMs: number;
}

export interface CalibWarning {
  /** 'scale_prints_zero' (a scale %f prints as 0.000000: use precision 'full'), 'weight_only' (no inputs: only weight-only lines), 'model' (from reading the .param). */
  code: string;
  message: string;
  /** "Convolution 'conv1'" when the warning is about a layer. */
  layer?: string;
}

/** What `ncnn2table report=FILE.json` writes. */
export interface CalibReport {
  tool: 'ncnn2table';
  method: string;
  threads: number;
  files: number;
  blobs: Array<{ layer: string; blob: string; absmax: number; threshold: number; scale: number; clipped_share: number; values: number }>;
  /** Time per sample (both passes). */
  inputs: Array<{ files: string; seconds: number }>;
  warnings: Array<{ layer: string; message: string }>;
  totals: { calibrated_layers: number; weight_lines: number; input_seconds: number; seconds: number };
}

export interface CalibrateOptions {
  /** The fp32 .param text. */
  param: TextInput;
  /** The fp32 .bin weights. */
  bin: BinInput;
  /**
   * One array per model Input layer, in layer order (ncnn2table's
   * LIST[,LIST]); item k of every array is one sample. Empty or omitted:
   * the weight-only table.
   */
  inputs?: CalibInput[][];
  /** The options, or the CLI's key=value arguments as they are (['mean=[104,117,123]', 'method=aciq']). */
  options?: CalibOptions | string[];
  /** File names used in messages (default: the File's name, else "model.param", "model.bin"). */
  names?: { param?: string; bin?: string };
  /** The lists' names in messages ("LIST:file: reason"); default "inputs[0]", "inputs[1]", ... */
  listNames?: string[];
  /** Called as samples finish; return false to cancel. */
  onProgress?: (progress: CalibProgress) => boolean | void;
  /** Aborting rejects the call with a CoreError whose code is 'cancelled'. */
  signal?: AbortSignal;
  /**
   * Which WebAssembly build runs it: 'auto' (the threads build wherever
   * SharedArrayBuffer is there: Node, a cross-origin isolated page; the
   * single-thread one elsewhere), 'threads' or 'single'. The single-thread
   * build runs synchronously with thread=1 and reads Files with
   * FileReaderSync, so in a page call it from a worker.
   */
  build?: 'auto' | 'threads' | 'single';
}

export interface CalibrateResult {
  /** The table file, byte for byte as the native ncnn2table writes it. */
  table: Uint8Array;
  tableText: string;
  report: CalibReport;
  /** The report as the CLI's report=FILE.json writes it. */
  reportJson: string;
  warnings: CalibWarning[];
  /** What the CLI prints after a run: one line per calibrated layer (max, threshold, scale, share clipped), then the warnings. */
  summary: string;
}

/**
 * ncnn2table: runs the fp32 model on the inputs and makes the int8 scale
 * table. Rejects with a CoreError: code 'input' (a bad option, a corrupt
 * image or npy, counts that do not match the model; the message names the
 * file and the option or layer), 'io', 'cancelled', 'out_of_memory',
 * 'unsupported' (a layer type the engine lacks); TypeError for arguments of
 * the wrong type.
 */
export function calibrate(options: CalibrateOptions): Promise<CalibrateResult>;

export interface PreprocessOptions {
  /** One input file, as in calibrate()'s inputs. */
  input: CalibInput;
  /** Which model Input (its position in layer order) the options' per-input arrays are read for. Default 0. */
  inputIndex?: number;
  options?: CalibOptions;
  /** With it, the options are checked against the model's Input count as calibrate() does. */
  param?: TextInput;
}

export interface PreprocessResult {
  /** The tensor exactly as calibration feeds it: planar, channel after channel (w*h per channel). */
  data: Float32Array;
  w: number;
  h: number;
  c: number;
  dims: number;
  min: number;
  max: number;
  mean: number;
}

/** The tensor calibration feeds the model for one input (decode, resize, pixel order, mean/norm). */
export function preprocess(options: PreprocessOptions): Promise<PreprocessResult>;

export interface ModelInput {
  /** The Input layer's output blob. */
  blob: string;
  /** The Input layer's name. */
  layer: string;
  /** The Input layer's w, h, c params as the shape option's [w,h,c], or null when it declares none. */
  shapeHint: [number, number, number] | null;
}

/** The model's Input layers in layer order (what calibrate()'s inputs and the per-input options follow). */
export function modelInputs(options: { param: TextInput; names?: { param?: string } }): Promise<ModelInput[]>;
