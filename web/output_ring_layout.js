// The shared-memory ring between save_target.js (the quantizing worker,
// inside the WebAssembly call, hands over the output) and
// output_writer_worker.js (writes it into the file). Int32 words:
// [OUT_STOP] set when either side stops (the writer failed: its message,
// OUT_ERROR_LENGTH bytes, follows the slots; or the run was discarded),
// then per slot OUT_SLOT_WORDS words: OUT_STATE (0 free, 1 filled),
// OUT_LENGTH, OUT_FLAGS (OUT_END: the last piece, the file is whole).
export const OUT_STOP = 0;
export const OUT_ERROR_LENGTH = 1;
export const OUT_HEADER_WORDS = 4;
export const OUT_SLOT_WORDS = 4;
export const OUT_STATE = 0;
export const OUT_LENGTH = 1;
export const OUT_FLAGS = 2;
export const OUT_END = 1;
export const OUT_ERROR_BYTES = 4096;
