// Reads a Blob for a worker that is blocked in a synchronous WebAssembly
// call (see blob_source.js): requests and bytes go through a
// SharedArrayBuffer. This worker's event loop stays free, so the
// ArrayBuffers each read allocates are collected as it goes; read
// synchronously (FileReaderSync) inside the long call, they piled up.
// in (once): { blob, shared: SharedArrayBuffer }; out: 'ready' (the reader
// must be running before the other side blocks: a worker's nested worker
// starts through its parent's event loop).
// shared: Int32Array control words [seq, done, length, status] then the data area.
const SEQ = 0;
const DONE = 1;
const LENGTH = 2;
const STATUS = 3; // 0 ok, 1 failed (the message is in the data area)
const OFFSET_LO = 4;
const OFFSET_HI = 5;
const HEADER = 32;

self.onmessage = async ({ data: { blob, shared } }) => {
  const ctrl = new Int32Array(shared, 0, HEADER / 4);
  const area = new Uint8Array(shared, HEADER);
  let seen = 0;
  self.postMessage('ready');
  for (;;) {
    const w = Atomics.waitAsync(ctrl, SEQ, seen);
    if (w.async) await w.value;
    seen = Atomics.load(ctrl, SEQ);
    const offset = Atomics.load(ctrl, OFFSET_HI) * 2 ** 32 + (Atomics.load(ctrl, OFFSET_LO) >>> 0);
    const length = Math.min(Atomics.load(ctrl, LENGTH), area.length);
    try {
      const bytes = new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer());
      area.set(bytes);
      Atomics.store(ctrl, LENGTH, bytes.length);
      Atomics.store(ctrl, STATUS, 0);
    } catch (e) {
      const text = new TextEncoder().encode(String(e?.message ?? e)).subarray(0, Math.min(area.length, 4096));
      area.set(text);
      Atomics.store(ctrl, LENGTH, text.length);
      Atomics.store(ctrl, STATUS, 1);
    }
    Atomics.store(ctrl, DONE, seen);
    Atomics.notify(ctrl, DONE);
  }
};
