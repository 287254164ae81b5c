// The shared-memory ring between blob_source.js (the reading side, inside
// the WebAssembly call) and blob_reader_worker.js (the worker that streams
// the Blob into it). Int32 words: [GEN] the generation the reader wants,
// then per slot SLOT_WORDS words: state (0 free, 1 filled), gen, start lo,
// start hi, length, flags (END: end of blob; FAILED: the message is in the
// slot). Header words after GEN: what the streaming worker measured of the
// current stream, in microseconds (READ_US: waiting on the Blob's reads;
// FULL_US: waiting for a free slot, the reader ahead of the core).
export const GEN = 0;
export const READ_US = 1;
export const FULL_US = 2;
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

// The error both readers throw when the browser hands back no bytes before
// the end of the Blob (a read that would otherwise loop for ever).
export function nothingReadError(offset, size) {
  return new Error(`the browser read nothing at offset ${offset} of ${size} bytes`);
}
