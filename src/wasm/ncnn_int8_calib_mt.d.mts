// Types of the threads build (dist/ncnn_int8_calib_mt.mjs: ncnn2table with
// Emscripten pthreads, from src/wasm/calib_bindings.cpp; tools/build-wasm.sh
// copies this file next to it). The npm package's API is js/index.d.ts.
import type { NcnnInt8Module } from './ncnn_int8_wasm.mjs';

export type NcnnInt8CalibModule = Pick<
  NcnnInt8Module,
  | 'calibModelInputs'
  | 'calibPreprocess'
  | 'calibStart'
  | 'calibCancel'
  | 'calibFinish'
  | 'ncnn2tableArgs'
  | 'ncnn2tableUsage'
  | 'ncnn2tableProgressLine'
  | 'calibParseList'
  | 'calibSplitLists'
  | 'calibLayerTypes'
  | 'calibThreads'
  | 'wasmMemoryObject'
> & {
  /** Answers callbacks.requestInput(request, ...) with the file's bytes or a message. */
  calibProvide(request: number, value: Uint8Array | string): void;
  /** Runs the calls the calibration threads posted to the JS thread. */
  calibPump(): void;
};

export default function createNcnnInt8CalibModule(options?: {
  /** Workers started with the instance (more are made when needed). */
  pthreadPoolSize?: number;
  onAbort?: (what: unknown) => void;
}): Promise<NcnnInt8CalibModule>;
