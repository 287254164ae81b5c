// Synchronous reads of a Blob from inside a worker, for the core's read
// callback. Where the page is cross-origin isolated (SharedArrayBuffer and
// Atomics.wait), a helper worker streams the Blob ahead into a ring of
// slots in shared memory (blob_reader_worker.js): the next bytes are read
// while the core quantizes the current ones, and the ring is all the read
// side holds, whatever the model's size. Elsewhere FileReaderSync reads
// windows itself.
// Small slots: the core starts on the first MB instead of waiting for a
// larger first slot, and the reader is never more than one slot behind
// what the core frees. 16 MB in all, as before.
const SLOTS = 16;
const SLOT_BYTES = 1 << 20; // a byte stream: the slot size does not change the read speed
const SYNC_WINDOW = 32 << 20; // FileReaderSync: per-read overhead wants large reads
// Where the core cannot index the .bin from its first tag (see
// farReadsSlow below), it reads every tag first: one buffered read (64 KiB)
// at each blob, jumping across the whole file. A read this small that is
// neither where the stream is nor the next bytes after the last one is such
// a look-up: it is read by itself, and the stream stays where it is (a
// restart would throw away and read again megabytes each time).
const LOOKUP_BYTES = 64 << 10;

// The ring's layout: blob_ring_layout.js.
import { GEN, READ_US, FULL_US, HEADER_WORDS, SLOT_WORDS, STATE, SLOT_GEN, START_LO, START_HI, LENGTH, FLAGS, END, FAILED } from './blob_ring_layout.js';
import { nothingReadError } from './blob_ring_layout.js';
import { memoryCopier } from './memory_copy.js';

let helper = null; // Promise of the started reader worker, kept across runs
let kept = null; // the last ring's shared memory {memory, shared, slotBytes}, reused by the next run

function isolated() {
  return /** @type {any} */ (globalThis).crossOriginIsolated === true && typeof SharedArrayBuffer === 'function' && typeof Worker === 'function';
}

function startHelper() {
  if (!helper) {
    helper = new Promise((resolve, reject) => {
      const worker = new Worker(new URL('./blob_reader_worker.js', import.meta.url), { name: 'ncnn-int8-reader', type: 'module' });
      worker.onmessage = () => resolve(worker);
      worker.onerror = (e) => {
        helper = null;
        reject(new Error(`the reader worker did not start: ${e.message ?? 'unknown error'}`));
      };
    });
  }
  return helper;
}

/**
 * Starts the reader worker now (at worker load), so a run does not wait for it.
 * @returns {Promise<void>}
 */
export async function prepareBlobReads() {
  if (isolated()) await startHelper();
}

// The ring's memory: a shared WebAssembly.Memory, so reads can copy out of
// it with memory.copy (memory_copy.js); a plain SharedArrayBuffer where the
// engine will not make one.
function newRing(bytes, slotBytes) {
  try {
    const pages = Math.ceil(bytes / 65536);
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
    return { memory, shared: memory.buffer, slotBytes };
  } catch {
    return { memory: null, shared: new SharedArrayBuffer(bytes), slotBytes };
  }
}

// The ring over `blob`: read(offset, dst, memory) for reads that mostly go
// forward (`memory`: the WebAssembly.Memory `dst` views, where known);
// a read behind the ring, or far ahead of it, restarts the stream there.
function ringReader(worker, blob) {
  const slotBytes = Math.max(1, Math.min(SLOT_BYTES, blob.size));
  const words = HEADER_WORDS + SLOTS * SLOT_WORDS;
  // A closed ring of the same size is taken again (no new 16 MB to
  // allocate and clear): its generation counter goes on, so a stream it
  // served before can never write into this run's slots.
  const ring = kept?.slotBytes === slotBytes ? kept : newRing(words * 4 + SLOTS * slotBytes, slotBytes);
  if (ring === kept) kept = null; // in use: a second reader at the same time makes its own
  const shared = ring.shared;
  const ctrl = new Int32Array(shared, 0, words);
  const dataAt = words * 4;
  const word = (slot, field) => HEADER_WORDS + slot * SLOT_WORDS + field;
  let gen = Atomics.load(ctrl, GEN);
  let cur = 0; // the slot the stream delivers next (or has delivered, not yet freed)
  let waitedMs = 0;
  let closed = false;
  const events = []; // [kind, start ms, end ms, offset]: where this thread waited (the run's timeline)

  const free = (slot) => {
    Atomics.store(ctrl, word(slot, STATE), 0);
    Atomics.notify(ctrl, word(slot, STATE));
  };
  let starts = 0;
  const restart = (offset) => {
    starts++;
    gen++;
    Atomics.store(ctrl, GEN, gen);
    for (let s = 0; s < SLOTS; s++) free(s); // wakes and stops the previous stream
    cur = 0;
    worker.postMessage({ type: 'read', blob, shared, offset, gen, slots: SLOTS, slotBytes });
  };
  // Slot `cur` once the current stream has filled it: {start, length, flags}.
  const filled = () => {
    const i = word(cur, STATE);
    for (;;) {
      if (Atomics.load(ctrl, i) === 1) {
        if (Atomics.load(ctrl, word(cur, SLOT_GEN)) === gen) break;
        free(cur); // left by a stopped stream
        continue;
      }
      const t = performance.now();
      Atomics.wait(ctrl, i, 0);
      const t1 = performance.now();
      waitedMs += t1 - t;
      events.push(['ring', t, t1, next]);
    }
    const start = Atomics.load(ctrl, word(cur, START_HI)) * 2 ** 32 + (Atomics.load(ctrl, word(cur, START_LO)) >>> 0);
    return { start, length: Atomics.load(ctrl, word(cur, LENGTH)), flags: Atomics.load(ctrl, word(cur, FLAGS)) };
  };

  const lookups = lookupReader(blob, events);
  let next = 0; // where the last read ended
  restart(0); // the core reads from the start: begin now, while it parses the .param
  return {
    read(offset, dst, memory) {
      // Into the core's memory with memory.copy where it can (memory_copy.js).
      const copy = memory && ring.memory && dst.buffer === memory.buffer ? memoryCopier(memory, ring.memory) : null;
      if (dst.length <= LOOKUP_BYTES && offset !== next) {
        const s = filled();
        if (offset < s.start || offset >= s.start + s.length) {
          const n = lookups.read(offset, dst);
          next = offset + n;
          return n;
        }
      }
      let done = 0;
      while (done < dst.length) {
        const at = offset + done;
        const s = filled();
        if (s.flags & FAILED) {
          const message = new TextDecoder().decode(new Uint8Array(shared, dataAt + cur * slotBytes, s.length).slice());
          restart(at); // a later read tries again
          throw new Error(message);
        }
        if (at < s.start || at >= s.start + s.length + (SLOTS - 1) * slotBytes) {
          if (at >= blob.size) break;
          restart(at);
          continue;
        }
        if (at >= s.start + s.length) {
          if (s.flags & END) break;
          free(cur);
          cur = (cur + 1) % SLOTS;
          continue;
        }
        const n = Math.min(dst.length - done, s.start + s.length - at);
        const from = dataAt + cur * slotBytes + (at - s.start);
        if (copy) copy(dst.byteOffset + done, from, n);
        else dst.set(new Uint8Array(shared, from, n), done);
        done += n;
      }
      next = offset + done;
      return done;
    },
    waitedMs: () => waitedMs + lookups.waitedMs(),
    timeline: () => ({ events, readerReadMs: Atomics.load(ctrl, READ_US) / 1000, readerFullMs: Atomics.load(ctrl, FULL_US) / 1000 }),
    streamStarts: () => starts, // how often the stream (re)started: 1 for a run that reads forward
    // Resolves once the first slot is in, this thread's event loop free
    // meanwhile: a Blob made in this worker reaches the browser through this
    // thread, and read synchronously before that, it would never arrive.
    async ready() {
      const i = word(0, STATE);
      while (Atomics.load(ctrl, i) !== 1) {
        const w = Atomics.waitAsync(ctrl, i, 0);
        if (w.async) await w.value;
      }
    },
    close() {
      if (closed) return;
      closed = true;
      gen++;
      Atomics.store(ctrl, GEN, gen);
      for (let s = 0; s < SLOTS; s++) free(s);
      kept = ring;
    },
  };
}

// Look-ups: each read by itself through FileReaderSync.
function lookupReader(blob, events = []) {
  const FileReaderSync = /** @type {any} */ (globalThis).FileReaderSync;
  const reader = new FileReaderSync();
  let waitedMs = 0;
  return {
    read(offset, dst) {
      const t = performance.now();
      // To the end of `dst` or of the Blob: a read that comes back short
      // before the end (seen on a loaded machine) is followed by another.
      const want = Math.max(0, Math.min(dst.length, blob.size - offset));
      let n = 0;
      while (n < want) {
        const bytes = new Uint8Array(reader.readAsArrayBuffer(blob.slice(offset + n, offset + want)));
        if (bytes.length === 0) throw nothingReadError(offset + n, blob.size);
        dst.set(bytes, n);
        n += bytes.length;
      }
      const t1 = performance.now();
      waitedMs += t1 - t;
      events.push(['lookup', t, t1, offset]);
      return n;
    },
    waitedMs: () => waitedMs,
  };
}

function syncReader(blob) {
  const FileReaderSync = /** @type {any} */ (globalThis).FileReaderSync;
  const reader = new FileReaderSync();
  const lookups = lookupReader(blob);
  let win = null;
  let winAt = 0;
  let next = 0; // where the last read ended
  let waitedMs = 0;
  return {
    read(offset, dst) {
      if (dst.length <= LOOKUP_BYTES && offset !== next && !(win && offset >= winAt && offset < winAt + win.length)) {
        const n = lookups.read(offset, dst);
        next = offset + n;
        return n;
      }
      let done = 0;
      while (done < dst.length) {
        const at = offset + done;
        if (!win || at < winAt || at >= winAt + win.length) {
          if (at >= blob.size) break;
          const t = performance.now();
          win = new Uint8Array(reader.readAsArrayBuffer(blob.slice(at, at + SYNC_WINDOW)));
          waitedMs += performance.now() - t;
          winAt = at;
          if (win.length === 0) break;
        }
        const n = Math.min(dst.length - done, winAt + win.length - at);
        dst.set(win.subarray(at - winAt, at - winAt + n), done);
        done += n;
      }
      next = offset + done;
      return done;
    },
    waitedMs: () => waitedMs + lookups.waitedMs(),
    close() {},
  };
}

/** True where a Blob can be read synchronously (a worker). */
export function canReadBlobSync() {
  return typeof (/** @type {any} */ (globalThis).FileReaderSync) === 'function';
}

/**
 * {size, read(offset, dst, memory?) -> count, farReadsSlow: true, waitedMs() -> time blocked on the
 * browser's reads, streamStarts() -> how often the read-ahead stream started
 * (0 without one), close()} over `blob`, in a worker.
 * @param {Blob} blob
 */
export async function blobSource(blob) {
  let r;
  if (isolated()) {
    r = ringReader(await startHelper(), blob);
    await r.ready();
  } else r = syncReader(blob);
  return {
    size: blob.size,
    read: r.read,
    // Each read far from the last is a round trip to the browser: the core
    // indexes the .bin from its first tag where the caller can rewind the
    // output (QuantizeOptions.rewindBin).
    farReadsSlow: true,
    waitedMs: r.waitedMs,
    timeline: r.timeline ?? (() => ({ events: [], readerReadMs: 0, readerFullMs: 0 })),
    streamStarts: r.streamStarts ?? (() => 0),
    close: r.close,
  };
}
