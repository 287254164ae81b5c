// Synchronous reads of a Blob from inside a worker, for the core's read
// callback. Where the page is cross-origin isolated (SharedArrayBuffer and
// Atomics.wait), a helper worker reads 32 MB windows asynchronously and
// hands them over through shared memory; elsewhere FileReaderSync reads
// the windows itself. Windows, because a File read costs per byte far more
// in small pieces (Chromium: ~60 MB/s in 1-4 MB reads against ~160 MB/s in
// 32 MB ones on a busy 2-core machine).
const WINDOW = 32 << 20;
const HEADER = 32; // control words, as in blob_reader_worker.js

async function viaHelperWorker(blob) {
  const shared = new SharedArrayBuffer(HEADER + WINDOW);
  const ctrl = new Int32Array(shared, 0, HEADER / 4);
  const area = new Uint8Array(shared, HEADER);
  const worker = new Worker(new URL('./blob_reader_worker.js', import.meta.url), { name: 'ncnn-int8-reader' });
  await new Promise((resolve, reject) => {
    worker.onmessage = resolve;
    worker.onerror = (e) => reject(new Error(`the reader worker did not start: ${e.message ?? 'unknown error'}`));
    worker.postMessage({ blob, shared });
  });
  let seq = 0;
  return {
    // Fills `window` with up to WINDOW bytes at `offset`; returns it.
    readWindow(offset) {
      Atomics.store(ctrl, 4, offset % 2 ** 32);
      Atomics.store(ctrl, 5, Math.floor(offset / 2 ** 32));
      Atomics.store(ctrl, 2, WINDOW);
      seq++;
      Atomics.store(ctrl, 0, seq);
      Atomics.notify(ctrl, 0);
      while (Atomics.load(ctrl, 1) !== seq) Atomics.wait(ctrl, 1, Atomics.load(ctrl, 1));
      const n = Atomics.load(ctrl, 2);
      if (Atomics.load(ctrl, 3) !== 0) throw new Error(new TextDecoder().decode(area.slice(0, n)));
      return area.subarray(0, n);
    },
    close: () => worker.terminate(),
  };
}

function viaFileReaderSync(blob) {
  const FileReaderSync = /** @type {any} */ (globalThis).FileReaderSync;
  const reader = new FileReaderSync();
  return {
    readWindow: (offset) => new Uint8Array(reader.readAsArrayBuffer(blob.slice(offset, offset + WINDOW))),
    close: () => {},
  };
}

/** True where a Blob can be read synchronously (a worker). */
export function canReadBlobSync() {
  return typeof (/** @type {any} */ (globalThis).FileReaderSync) === 'function';
}

/**
 * {size, read(offset, dst) -> count, close()} over `blob`, in a worker.
 * @param {Blob} blob
 */
export async function blobSource(blob) {
  const isolated = /** @type {any} */ (globalThis).crossOriginIsolated === true && typeof SharedArrayBuffer === 'function' && typeof Worker === 'function';
  const windows = isolated ? await viaHelperWorker(blob) : viaFileReaderSync(blob);
  let win = null;
  let winAt = 0;
  return {
    size: blob.size,
    read(offset, dst) {
      if (dst.length > WINDOW) {
        // Larger than a window: in window-sized pieces.
        let done = 0;
        while (done < dst.length) {
          const n = this.read(offset + done, dst.subarray(done, Math.min(dst.length, done + WINDOW)));
          done += n;
          if (n === 0) break;
        }
        return done;
      }
      if (!win || offset < winAt || offset + dst.length > winAt + win.length) {
        win = windows.readWindow(offset);
        winAt = offset;
      }
      const part = win.subarray(offset - winAt, offset - winAt + dst.length);
      dst.set(part);
      return part.length;
    },
    close: () => windows.close(),
  };
}
