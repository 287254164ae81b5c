// The shared-memory ring between blob_source.js (the reading side, inside
// the WebAssembly call) and blob_reader_worker.js (the worker that streams
// the Blob into it). Int32 words: [GEN] the generation the reader wants,
// then per slot SLOT_WORDS words: state (0 free, 1 filled), gen, start lo,
// start hi, length, flags (END: end of blob; FAILED: the message is in the
// slot).
export const GEN = 0;
export const HEADER_WORDS = 16;
export const SLOT_WORDS = 8;
export const STATE = 0;
export const SLOT_GEN = 1;
export const START_LO = 2;
export const START_HI = 3;
export const LENGTH = 4;
export const FLAGS = 5;
export const END = 1;
export const FAILED = 2;
