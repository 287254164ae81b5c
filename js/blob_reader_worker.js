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
//      { type: 'lookups', blob, shared, offsets, bytes, gen, slots, lanes }:
//      fetch the listed small reads ahead into the look-up cache `shared`.
// out: 'ready' once, at start (the reader must run before the other side
//      blocks: a worker's nested worker starts through its parent's event
//      loop).
// Layout (Int32 words): [0] the generation the reader wants, then per slot
// SLOT_WORDS words: state (0 free, 1 filled), gen, start lo, start hi,
// length, flags (1 end of blob, 2 failed: the message is in the slot).

// The ring's layout: blob_ring_layout.js.
import { GEN, READ_US, FULL_US, HEADER_WORDS, SLOT_WORDS, STATE, SLOT_GEN, START_LO, START_HI, LENGTH, FLAGS, END, FAILED } from './blob_ring_layout.js';
import { LOOKUP_GEN, LOOKUP_HEADER_WORDS, LOOKUP_SLOT_WORDS, LOOKUP_INDEX } from './blob_ring_layout.js';

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
  // What this stream waited on, published in the header as it goes.
  let readUs = 0;
  let fullUs = 0;
  const account = (word, us) => void (!stale() && Atomics.store(ctrl, word, Math.min(2 ** 31 - 1, Math.round(us))));
  Atomics.store(ctrl, READ_US, 0);
  Atomics.store(ctrl, FULL_US, 0);
  let reader = null;
  let slot = 0;
  let at = offset;
  try {
    reader = blob.slice(offset).stream().getReader({ mode: 'byob' });
    for (;;) {
      // Fill the scratch buffer, then wait for the slot to be free.
      let filled = 0;
      let end = false;
      let t = performance.now();
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
      readUs += (performance.now() - t) * 1000;
      account(READ_US, readUs);
      t = performance.now();
      while (Atomics.load(ctrl, word(slot, STATE)) !== 0) {
        const w = Atomics.waitAsync(ctrl, word(slot, STATE), 1);
        if (w.async) await w.value;
        if (stale()) return;
      }
      fullUs += (performance.now() - t) * 1000;
      account(FULL_US, fullUs);
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

// The listed look-ups, `lanes` reads in flight at a time (each read of a
// Blob waits mostly on the browser's file thread, so several overlap), each
// into slot (its place in the list) % slots once the reading side has freed
// that slot.
async function lookups({ blob, shared, offsets, bytes, gen, slots, lanes }) {
  const ctrl = new Int32Array(shared, 0, LOOKUP_HEADER_WORDS + slots * LOOKUP_SLOT_WORDS);
  const dataAt = ctrl.byteLength;
  const stale = () => Atomics.load(ctrl, LOOKUP_GEN) !== gen;
  const word = (slot, field) => LOOKUP_HEADER_WORDS + slot * LOOKUP_SLOT_WORDS + field;
  let next = 0;
  const lane = async () => {
    while (!stale() && next < offsets.length) {
      const i = next++;
      const slot = i % slots;
      while (Atomics.load(ctrl, word(slot, STATE)) !== 0) {
        const w = Atomics.waitAsync(ctrl, word(slot, STATE), 1);
        if (w.async) await w.value;
        if (stale()) return;
      }
      let got = null;
      try {
        got = new Uint8Array(await blob.slice(offsets[i], offsets[i] + bytes).arrayBuffer());
      } catch {
        // Flagged: the reading side reads it itself, and meets the error there.
      }
      if (stale()) return;
      if (got) new Uint8Array(shared, dataAt + slot * bytes, got.length).set(got);
      Atomics.store(ctrl, word(slot, LOOKUP_INDEX), i);
      Atomics.store(ctrl, word(slot, LENGTH), got ? got.length : 0);
      Atomics.store(ctrl, word(slot, FLAGS), got ? 0 : FAILED);
      Atomics.store(ctrl, word(slot, STATE), 1);
      Atomics.notify(ctrl, word(slot, STATE));
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
}

self.onmessage = ({ data }) => {
  if (data?.type === 'read') void stream(data);
  else if (data?.type === 'lookups') void lookups(data);
};
self.postMessage('ready');
