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
import { GEN, READ_US, FULL_US, HEADER_WORDS, SLOT_WORDS, STATE, SLOT_GEN, START_LO, START_HI, LENGTH, FLAGS, END, FAILED } from './blob_ring_layout.js';
import { nothingReadError } from './blob_ring_layout.js';

let scratch = new ArrayBuffer(0); // the reused BYOB buffer

// Chromium's Blob byte streams have been seen to stop delivering, with no
// error, partway through a multi-GB File after the stream had been
// restarted a few times: a read that brings nothing for STALL_MS is given
// up, and the rest of that stream is read by slice().arrayBuffer(), one
// read per slot (slower, but it finishes). A read that was only slow, on a
// loaded machine, costs no more than that switch.
const STALL_MS = 4000;

// `read` (a stream read's promise), or null where it has not settled within STALL_MS.
async function unlessStalled(read) {
  let timer;
  const stalled = new Promise((resolve) => (timer = setTimeout(() => resolve(null), STALL_MS)));
  try {
    return await Promise.race([read, stalled]);
  } finally {
    clearTimeout(timer);
  }
}

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
  // One slot's bytes from the stream at `at`: {bytes, done}, or null where
  // the stream stalled (the bytes read so far went with the pending read).
  const fromStream = async () => {
    let filled = 0;
    let done = false;
    while (filled < slotBytes) {
      const got = await unlessStalled(reader.read(new Uint8Array(scratch, filled, slotBytes - filled)));
      if (!got) {
        scratch = new ArrayBuffer(slotBytes);
        return null;
      }
      if (stale()) return null;
      if (got.value) scratch = got.value.buffer; // the same memory, handed back
      if (got.done) {
        done = true;
        break;
      }
      filled += got.value.length;
    }
    return { bytes: new Uint8Array(scratch, 0, filled), done };
  };
  let reader = null; // null once the stream stalled: slices from then on
  let slot = 0;
  let at = offset;
  try {
    reader = blob.slice(offset).stream().getReader({ mode: 'byob' });
    for (;;) {
      // Fill one slot's worth, then wait for the slot to be free.
      let t = performance.now();
      let got = reader ? await fromStream() : null;
      if (stale()) return;
      if (!got) {
        if (reader) {
          reader.cancel().catch(() => {});
          reader = null;
        }
        got = { bytes: new Uint8Array(await blob.slice(at, at + slotBytes).arrayBuffer()), done: false };
        if (stale()) return;
        if (got.bytes.length === 0 && at < blob.size) throw nothingReadError(at, blob.size);
      }
      const { bytes, done } = got;
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
      new Uint8Array(shared, dataAt + slot * slotBytes, bytes.length).set(bytes);
      const end = done || at + bytes.length >= blob.size;
      publish(slot, at, bytes.length, end ? END : 0);
      at += bytes.length;
      if (end) return;
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
