// Writes the LLM section's outputs (the int8 .bin and the .llm.table) for
// llm-worker.js on a thread of their own, so writing them is off the core's
// path: the core hands each chunk over (moved, not copied) and goes on,
// while this worker writes it where save_target.js says (browser storage, a
// picked file, or memory).
//
// Flow control in shared memory, since the core's worker sits in one
// synchronous WebAssembly call and hears no messages: words[QUEUED] counts
// the bytes handed over and not yet written (the core waits while it is
// above its limit); words[FAILED] = 1 once a write failed, with the message
// in the bytes after the words, so the core's next write fails with it.
//
// in:  { type: 'open', output (save_target spec), table: boolean, shared: SharedArrayBuffer }
//      { type: 'write', which: 'bin' | 'table', chunk: ArrayBuffer }
//      { type: 'finish' } | { type: 'discard' }
// out: { type: 'ready' } once at start
//      { type: 'opened' } | { type: 'finished', bin: {file, savedTo, stored}, table: File|Blob|null }
//      | { type: 'discarded' } | { type: 'error', message } (to open / finish)
import { openOutput, openSideOutput, prepareOutput } from './save_target.js';
import { QUEUED, FAILED, MESSAGE_AT, MESSAGE_BYTES } from './llm-output.js';

prepareOutput(); // the output folder opens now, not at the first run

let run = null; // {bin, table, words, shared, failed, message}

function fail(err) {
  if (run.failed) return;
  run.failed = true;
  run.message = String(err?.message ?? err);
  const text = new TextEncoder().encode(run.message).subarray(0, MESSAGE_BYTES);
  new Uint8Array(run.shared, MESSAGE_AT, text.length).set(text);
  Atomics.store(run.words, FAILED, text.length > 0 ? text.length : 1);
  Atomics.notify(run.words, QUEUED);
}

async function discard() {
  const r = run;
  run = null;
  await r?.bin?.discard();
  await r?.table?.discard();
}

self.onmessage = async ({ data }) => {
  try {
    if (data.type === 'write') {
      if (run && !run.failed) {
        try {
          (data.which === 'table' ? run.table : run.bin).write(new Uint8Array(data.chunk));
        } catch (err) {
          fail(err);
        }
      }
      if (run) {
        Atomics.sub(run.words, QUEUED, data.chunk.byteLength);
        Atomics.notify(run.words, QUEUED);
      }
    } else if (data.type === 'open') {
      await discard();
      const words = new Int32Array(data.shared, 0, 2);
      run = { bin: null, table: null, words, shared: data.shared, failed: false };
      if (data.table) run.table = await openSideOutput();
      run.bin = await openOutput(data.output);
      self.postMessage({ type: 'opened' });
    } else if (data.type === 'finish') {
      if (run.failed) {
        const message = run.message;
        await discard();
        throw new Error(message);
      }
      const r = run;
      run = null;
      const bin = await r.bin.finish();
      const table = r.table ? (await r.table.finish()).file : null;
      self.postMessage({ type: 'finished', bin: { file: bin.file, savedTo: bin.savedTo, stored: bin.stored }, table });
    } else if (data.type === 'discard') {
      await discard();
      self.postMessage({ type: 'discarded' });
    }
  } catch (err) {
    if (data.type !== 'write') {
      await discard().catch(() => {}); // a failed finish removes what it could not finish
      self.postMessage({ type: 'error', message: err?.message ?? String(err) });
    }
  }
};
self.postMessage({ type: 'ready' });
