// Writes the int8 .bin into its file in browser storage off the core's
// thread (save_target.js): the quantizing worker, blocked in the
// WebAssembly call, copies each output piece into a ring of slots in shared
// memory and goes on; this worker writes the slots to the file in order
// through its own synchronous access handle, freeing each as it goes.
//
// in:  { type: 'open', handle: FileSystemFileHandle, shared, slots, slotBytes }
//      then the ring (output_ring_layout.js); a slot flagged OUT_END ends the file.
// out: { type: 'opened' } once the file is open (before the run starts:
//      nothing on the way needs the blocked parent thread),
//      { type: 'closed', size } once the file is whole and closed,
//      { type: 'error', message } (also left in the ring: the writing side
//      stops at its next piece).
// 'ready' once, at start (a nested worker starts through its parent's
// event loop, which is blocked during a run).
import { OUT_HEADER_WORDS, OUT_SLOT_WORDS, OUT_STOP, OUT_ERROR_LENGTH, OUT_STATE, OUT_LENGTH, OUT_FLAGS, OUT_END, OUT_ERROR_BYTES } from './output_ring_layout.js';

async function write({ handle, shared, slots, slotBytes }) {
  const ctrl = new Int32Array(shared, 0, OUT_HEADER_WORDS + slots * OUT_SLOT_WORDS);
  const dataAt = ctrl.byteLength;
  const word = (slot, field) => OUT_HEADER_WORDS + slot * OUT_SLOT_WORDS + field;
  let access = null;
  let at = 0;
  try {
    access = await handle.createSyncAccessHandle();
    self.postMessage({ type: 'opened' });
    for (let slot = 0; ; slot = (slot + 1) % slots) {
      while (Atomics.load(ctrl, word(slot, OUT_STATE)) !== 1) {
        if (Atomics.load(ctrl, OUT_STOP)) throw new Error('stopped');
        const w = Atomics.waitAsync(ctrl, word(slot, OUT_STATE), 0);
        if (w.async) await w.value;
      }
      if (Atomics.load(ctrl, OUT_STOP)) throw new Error('stopped');
      const length = Atomics.load(ctrl, word(slot, OUT_LENGTH));
      const end = (Atomics.load(ctrl, word(slot, OUT_FLAGS)) & OUT_END) !== 0;
      if (length > 0) {
        const n = access.write(new Uint8Array(shared, dataAt + slot * slotBytes, length), { at });
        if (n !== length) throw new Error(`browser storage: wrote ${n} of ${length} bytes (is the disk full?)`);
        at += n;
      }
      Atomics.store(ctrl, word(slot, OUT_STATE), 0);
      Atomics.notify(ctrl, word(slot, OUT_STATE));
      if (end) break;
    }
    // No flush(): that is a sync to the disk, and the file is only read back by this browser.
    access.close();
    access = null;
    self.postMessage({ type: 'closed', size: at });
  } catch (e) {
    access?.close();
    const message = String(e?.message ?? e);
    // For the writing side, which may be waiting on a slot: the message, then the stop.
    const text = new TextEncoder().encode(message).subarray(0, OUT_ERROR_BYTES);
    new Uint8Array(shared, dataAt + slots * slotBytes, text.length).set(text);
    Atomics.store(ctrl, OUT_ERROR_LENGTH, text.length);
    Atomics.store(ctrl, OUT_STOP, 1);
    for (let s = 0; s < slots; s++) Atomics.notify(ctrl, word(s, OUT_STATE));
    self.postMessage({ type: 'error', message });
  }
}

self.onmessage = ({ data }) => {
  if (data?.type === 'open') void write(data);
};
self.postMessage('ready');
