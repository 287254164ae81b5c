// The LLM worker's outputs (the int8 .bin and, when it makes one, the
// .llm.table), written here, on the core's thread, or when asked for
// (offThread) by a worker of their own (llm-writer.js) where the page is
// cross-origin isolated (save_target.js either way).
// openRunOutputs() -> {writeBin(chunk), writeTable(chunk), finish() ->
// {bin: {file, savedTo, stored}, table: File|Blob|null}, discard()}.
import { openOutput, openSideOutput, prepareOutput } from './save_target.js';

// The shared words between this worker and the writer: bytes handed over
// and not yet written, and a failed write's message length (the message
// follows the words).
export const QUEUED = 0;
export const FAILED = 1;
export const MESSAGE_AT = 8;
export const MESSAGE_BYTES = 4096;
// The core waits while more than this is handed over and not yet written:
// the writer keeps up, and the tab holds at most this much output.
const QUEUE_LIMIT = 16 << 20;

let writer = null; // Promise of the started writer worker, kept across runs
const replies = []; // resolvers of the writer's answers, in order

function isolated() {
  return globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function' && typeof Worker === 'function';
}

function startWriter() {
  if (!writer) {
    writer = new Promise((resolve, reject) => {
      const w = new Worker(new URL('./llm-writer.js', import.meta.url), { type: 'module', name: 'ncnn-int8-llm-writer' });
      w.onmessage = ({ data }) => {
        if (data?.type === 'ready') resolve(w);
        else replies.shift()?.(data);
      };
      w.onerror = (e) => {
        writer = null;
        reject(new Error(`the writer worker did not start: ${e.message ?? 'unknown error'}`));
      };
    });
  }
  return writer;
}

/**
 * With `offThread`, starts the writer now (at worker load: a nested worker
 * starts through this thread's event loop, which the run blocks); else, or
 * where there is no writer, opens the output folder here.
 */
export async function prepareOutputs(offThread) {
  if (offThread && isolated()) {
    try {
      await startWriter();
      return;
    } catch {
      // written here instead
    }
  }
  prepareOutput();
}

function ask(w, msg) {
  return new Promise((resolve) => {
    replies.push(resolve);
    w.postMessage(msg);
  });
}

async function writerOutputs(w, output, withTable) {
  const shared = new SharedArrayBuffer(MESSAGE_AT + MESSAGE_BYTES);
  const words = new Int32Array(shared, 0, 2);
  const opened = await ask(w, { type: 'open', output, table: withTable, shared });
  if (opened.type !== 'opened') throw new Error(opened.message);
  const failure = () => {
    const n = Atomics.load(words, FAILED);
    return n ? new Error(new TextDecoder().decode(new Uint8Array(shared, MESSAGE_AT, n).slice())) : null;
  };
  // chunk: a view of the core's memory, valid during the call: copied into
  // a buffer of its own that moves to the writer.
  const write = (which) => (chunk) => {
    for (;;) {
      const err = failure();
      if (err) throw err;
      const queued = Atomics.load(words, QUEUED);
      if (queued <= QUEUE_LIMIT) break;
      Atomics.wait(words, QUEUED, queued);
    }
    const copy = chunk.slice();
    Atomics.add(words, QUEUED, copy.byteLength);
    w.postMessage({ type: 'write', which, chunk: copy.buffer }, [copy.buffer]);
  };
  return {
    writeBin: write('bin'),
    writeTable: write('table'),
    async finish() {
      const r = await ask(w, { type: 'finish' });
      if (r.type !== 'finished') throw new Error(r.message);
      return { bin: r.bin, table: r.table };
    },
    async discard() {
      await ask(w, { type: 'discard' });
    },
  };
}

async function localOutputs(output, withTable) {
  const table = withTable ? await openSideOutput() : null;
  let bin;
  try {
    bin = await openOutput(output);
  } catch (err) {
    await table?.discard();
    throw err;
  }
  return {
    writeBin: bin.write,
    writeTable: table ? table.write : () => {},
    async finish() {
      const saved = await bin.finish();
      return { bin: saved, table: table ? (await table.finish()).file : null };
    },
    async discard() {
      await bin.discard();
      await table?.discard();
    },
  };
}

/**
 * Opens a run's outputs: the .bin where `output` (save_target's spec) says,
 * and with `withTable` the table in browser storage (or memory); with
 * `offThread`, written by the writer worker where there is one.
 */
export async function openRunOutputs(output, withTable, offThread) {
  let w = null;
  if (offThread && isolated()) w = await startWriter().catch(() => null);
  return w ? writerOutputs(w, output, withTable) : localOutputs(output, withTable);
}
