// Runs in a worker of the page (tools/bench-web.mjs posts a File to it):
// the bare browser operation the page's input path is made of, reading a
// whole File, timed per method, so the page's figures can be set beside
// what the browser itself allows. Each method reads every byte once.
// in: { file, methods: [{ name, window, inFlight }] }
// out: { name, window, inFlight, ms } per method, then 'done' (or { error })
const MiB = 1 << 20;
// Chromium's Blob byte streams have been seen to stop delivering, with no
// error, partway through a multi-GB File (js/blob_reader_worker.js reads
// on by slices then): a stream read that brings nothing for this long ends
// the measurement with an error instead of waiting for good.
const STALL_MS = 15000;

function unlessStalled(read, at) {
  let timer;
  const stalled = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`the stream stopped delivering at byte ${at}`)), STALL_MS)));
  return Promise.race([read, stalled]).finally(() => clearTimeout(timer));
}

async function sliceArrayBuffer(file, window, inFlight) {
  // `inFlight` reads of `window` bytes outstanding at once, in order.
  const pending = [];
  let next = 0;
  let sum = 0;
  const launch = () => {
    if (next >= file.size) return;
    pending.push(file.slice(next, next + window).arrayBuffer());
    next += window;
  };
  for (let i = 0; i < inFlight; i++) launch();
  while (pending.length) {
    const buf = await pending.shift();
    sum += buf.byteLength;
    launch();
  }
  return sum;
}

function fileReaderSync(file, window) {
  const r = new FileReaderSync();
  let sum = 0;
  for (let at = 0; at < file.size; at += window) sum += r.readAsArrayBuffer(file.slice(at, at + window)).byteLength;
  return sum;
}

async function streamDefault(file) {
  const reader = file.stream().getReader();
  let sum = 0;
  for (;;) {
    const { done, value } = await unlessStalled(reader.read(), sum);
    if (done) return sum;
    sum += value.length;
  }
}

async function streamByob(file, window) {
  const reader = file.stream().getReader({ mode: 'byob' });
  let buf = new ArrayBuffer(window);
  let sum = 0;
  for (;;) {
    const { done, value } = await unlessStalled(reader.read(new Uint8Array(buf, 0, window)), sum);
    if (done) return sum;
    sum += value.length;
    buf = value.buffer; // the same memory, handed back
  }
}

self.onmessage = async ({ data: { file, methods } }) => {
  try {
    for (const m of methods) {
      const t = performance.now();
      let n;
      if (m.name === 'slice') n = await sliceArrayBuffer(file, m.window * MiB, m.inFlight);
      else if (m.name === 'FileReaderSync') n = fileReaderSync(file, m.window * MiB);
      else if (m.name === 'stream') n = await streamDefault(file);
      else if (m.name === 'stream-byob') n = await streamByob(file, m.window * MiB);
      else throw new Error(`unknown read method ${m.name}`);
      const ms = performance.now() - t;
      if (n !== file.size) throw new Error(`${m.name}: read ${n} of ${file.size} bytes`);
      self.postMessage({ ...m, ms });
    }
    self.postMessage('done');
  } catch (e) {
    self.postMessage({ error: String(e?.message ?? e) });
  }
};
