// Runs in a worker of the page (tools/bench-web.mjs posts a File to it):
// the bare browser operation the page's input path is made of, reading a
// whole File, timed per method, so the page's figures can be set beside
// what the browser itself allows. Each method reads every byte once.
// in: { file, methods: [{ name, window, inFlight }] }
// out: { name, window, inFlight, ms } per method, then 'done' (or { error })
const MiB = 1 << 20;

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
    const { done, value } = await reader.read();
    if (done) return sum;
    sum += value.length;
  }
}

async function streamByob(file, window) {
  const reader = file.stream().getReader({ mode: 'byob' });
  let buf = new ArrayBuffer(window);
  let sum = 0;
  for (;;) {
    const { done, value } = await reader.read(new Uint8Array(buf, 0, window));
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
