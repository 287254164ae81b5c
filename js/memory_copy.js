// Copies between two WebAssembly memories with the engine's own memory.copy
// (a plain memmove), for reads from the read-ahead ring into the core's
// memory (blob_source.js). TypedArray.prototype.set copies out of a
// SharedArrayBuffer word by word, as its memory model asks of JS: in
// Chromium that took about 70 ms per 330 MiB on the core's thread, where
// memory.copy takes about 30 ms. A module that imports two memories needs
// WebAssembly multi-memory (Chromium 120, Firefox 125); elsewhere
// memoryCopier() returns null and the caller copies with set().

const cache = new WeakMap(); // dst memory -> WeakMap(src memory -> copy function)
let supported = null; // multi-memory, once asked

const PAGES_4GB = 65536;

function leb128(n) {
  const out = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
}

const name = (s) => [...leb128(s.length), ...new TextEncoder().encode(s)];

// A memory import's limits: a shared memory must declare a maximum (and
// the actual one may not exceed it); a plain one matches any size.
const limits = (shared) => (shared ? [0x03, 0x00, ...leb128(PAGES_4GB)] : [0x00, 0x00]);

// (module (import "m" "dst" (memory ...)) (import "m" "src" (memory ...))
//   (func (export "copy") (param i32 i32 i32)
//     (memory.copy $dst $src (local.get 0) (local.get 1) (local.get 2))))
function copierModuleBytes(dstShared, srcShared) {
  const bytes = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const section = (id, body) => bytes.push(id, ...leb128(body.length), ...body);
  section(1, [1, 0x60, 3, 0x7f, 0x7f, 0x7f, 0]); // type 0: (i32, i32, i32) -> ()
  section(2, [2, ...name('m'), ...name('dst'), 0x02, ...limits(dstShared), ...name('m'), ...name('src'), 0x02, ...limits(srcShared)]);
  section(3, [1, 0]); // one function of type 0
  section(7, [1, ...name('copy'), 0x00, 0]);
  const body = [0, 0x20, 0, 0x20, 1, 0x20, 2, 0xfc, 10, 0, 1, 0x0b]; // no locals; memory.copy 0 1; end
  section(10, [1, ...leb128(body.length), ...body]);
  return new Uint8Array(bytes);
}

const isShared = (memory) => typeof SharedArrayBuffer === 'function' && memory.buffer instanceof SharedArrayBuffer;

/**
 * copy(dstOffset, srcOffset, length) from `src` into `dst` (both
 * WebAssembly.Memory), or null where the engine cannot import two memories.
 * Offsets past 2 GiB are passed as they are (i32 wraps; memory.copy reads
 * them unsigned).
 * @param {WebAssembly.Memory} dst
 * @param {WebAssembly.Memory} src
 * @returns {((dstOffset: number, srcOffset: number, length: number) => void) | null}
 */
export function memoryCopier(dst, src) {
  if (supported === false) return null;
  let bySrc = cache.get(dst);
  const known = bySrc?.get(src);
  if (known) return known;
  let copy = null;
  try {
    const bytes = copierModuleBytes(isShared(dst), isShared(src));
    if (supported === null) supported = WebAssembly.validate(bytes);
    if (!supported) return null;
    // Synchronous: a few dozen bytes compile at once, on any thread.
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { m: { dst, src } });
    copy = /** @type {any} */ (instance.exports.copy);
  } catch {
    return null; // a memory that does not fit the imports: set() does it
  }
  if (!bySrc) cache.set(dst, (bySrc = new WeakMap()));
  bySrc.set(src, copy);
  return copy;
}
