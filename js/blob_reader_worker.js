// Reads a Blob ahead of a worker that is blocked in a synchronous
// WebAssembly call (see blob_source.js), through a ring of slots in a
// SharedArrayBuffer: while the core quantizes the bytes of one slot, this
// worker streams the next ones in. The Blob is read as a byte stream with a
// BYOB reader into one reused buffer: the fastest of slice().arrayBuffer(),
// FileReaderSync and stream() in Chromium (tools/bench-web.mjs measures
// them), and no new ArrayBuffer per read for the garbage collector to find.
//
// in:  { type: 'read', blob, shared, offset, gen, slots, slotBytes }: stream
//      `blob` from `offset` into the ring of `shared`; a later message (or a
//      new `gen` in the ring's header) stops the previous stream.
// out: 'ready' once, at start (the reader must run before the other side
//      blocks: a worker's nested worker starts through its parent's event
//      loop).
// Layout (Int32 words): [0] the generation the reader wants, then per slot
// SLOT_WORDS words: state (0 free, 1 filled), gen, start lo, start hi,
// length, flags (1 end of blob, 2 failed: the message is in the slot).

// The ring's layout: blob_ring_layout.js.
import { GEN, HEADER_WORDS, SLOT_WORDS, STATE, SLOT_GEN, START_LO, START_HI, LENGTH, FLAGS, END, FAILED } from './blob_ring_layout.js';

let scratch = new ArrayBuffer(0); // the reused BYOB buffer

async function stream({ blob, shared, offset, gen, slots, slotBytes }) {
  const ctrl = new Int32Array(shared, 0, HEADER_WORDS + slots * SLOT_WORDS);
  const dataAt = (HEADER_WORDS + slots * SLOT_WORDS) * 4;
  const stale = () => Atomics.load(ctrl, GEN) !== gen;
  const word = (slot, field) => HEADER_WORDS + slot * SLOT_WORDS + field;
  const publish = (slot, start, length, flags) => {
    Atomics.store(ctrl, word(slot, START_LO), start % 2 ** 32);
    Atomics.store(ctrl, word(slot, START_HI), Math.floor(start / 2 ** 32));
    Atomics.store(ctrl, word(slot, LENGTH), length);
    Atomics.store(ctrl, word(slot, FLAGS), flags);
    Atomics.store(ctrl, word(slot, SLOT_GEN), gen);
    Atomics.store(ctrl, word(slot, STATE), 1);
    Atomics.notify(ctrl, word(slot, STATE));
  };
  if (scratch.byteLength < slotBytes) scratch = new ArrayBuffer(slotBytes);
  let reader = null;
  let slot = 0;
  let at = offset;
  try {
    reader = blob.slice(offset).stream().getReader({ mode: 'byob' });
    for (;;) {
      // Fill the scratch buffer, then wait for the slot to be free.
      let filled = 0;
      let end = false;
      while (filled < slotBytes) {
        const { done, value } = await reader.read(new Uint8Array(scratch, filled, slotBytes - filled));
        if (stale()) return;
        if (done) {
          end = true;
          if (value) scratch = value.buffer;
          break;
        }
        scratch = value.buffer; // the same memory, handed back
        filled += value.length;
      }
      while (Atomics.load(ctrl, word(slot, STATE)) !== 0) {
        const w = Atomics.waitAsync(ctrl, word(slot, STATE), 1);
        if (w.async) await w.value;
        if (stale()) return;
      }
      if (stale()) return;
      new Uint8Array(shared, dataAt + slot * slotBytes, filled).set(new Uint8Array(scratch, 0, filled));
      publish(slot, at, filled, end || at + filled >= blob.size ? END : 0);
      at += filled;
      if (end || at >= blob.size) return;
      slot = (slot + 1) % slots;
    }
  } catch (e) {
    if (stale()) return;
    const text = new TextEncoder().encode(String(e?.message ?? e)).subarray(0, Math.min(slotBytes, 4096));
    // The consumer waits on this slot; it frees every slot before a new read.
    while (Atomics.load(ctrl, word(slot, STATE)) !== 0) {
      const w = Atomics.waitAsync(ctrl, word(slot, STATE), 1);
      if (w.async) await w.value;
      if (stale()) return;
    }
    new Uint8Array(shared, dataAt + slot * slotBytes, text.length).set(text);
    publish(slot, at, text.length, FAILED);
  } finally {
    reader?.cancel().catch(() => {});
  }
}

self.onmessage = ({ data }) => {
  if (data?.type === 'read') void stream(data);
};
self.postMessage('ready');
