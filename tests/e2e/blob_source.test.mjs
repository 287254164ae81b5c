// js/blob_source.js in Chromium on the served (cross-origin isolated) page:
// the reader worker streams a Blob ahead into the shared ring, and reads of
// every shape come back exact: in order across slot boundaries, backwards
// (the stream restarts), far ahead, past the end, of an empty Blob, and a
// second source after the first on the same reader worker; and a stream
// that stops delivering.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openIsolatedPage, prerequisiteProblem, root, serverAndBrowser } from './helpers.mjs';

const problem = prerequisiteProblem();
if (problem) throw new Error(`e2e: ${problem}`);

// /stalling/: js/blob_source.js with a reader worker whose Blob streams
// stop for good (no error, no data) after STALL_AFTER bytes each, as
// Chromium's streams of a multi-GB File have been seen to do.
const STALL_AFTER = 3 * (1 << 20) + 5000;
const stallingDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ncnn-int8-stalling-'));
for (const f of ['blob_source.js', 'blob_ring_layout.js', 'memory_copy.js']) fs.copyFileSync(path.join(root, 'js', f), path.join(stallingDir, f));
fs.copyFileSync(path.join(root, 'js', 'blob_reader_worker.js'), path.join(stallingDir, 'blob_reader_worker.real.js'));
fs.writeFileSync(
  path.join(stallingDir, 'blob_reader_worker.js'),
  `const realStream = Blob.prototype.stream;
Blob.prototype.stream = function () {
  const inner = realStream.call(this).getReader();
  let delivered = 0;
  return new ReadableStream({
    type: 'bytes',
    async pull(controller) {
      if (delivered >= ${STALL_AFTER}) return new Promise(() => {});
      const { done, value } = await inner.read();
      if (done) return controller.close();
      delivered += value.length;
      controller.enqueue(value);
    },
  });
};
await import('./blob_reader_worker.real.js');
`,
);
after(() => fs.rmSync(stallingDir, { recursive: true, force: true }));

const session = serverAndBrowser({ mounts: { '/stalling/': stallingDir } });

// A module worker of the page that runs the reads and checks every byte
// against the pattern it wrote (byte i = (i * 7 + (i >> 12)) & 255).
// inMemory: each read lands in a WebAssembly.Memory, at an odd offset, and
// the memory is passed along, as the core's reads are (the ring then copies
// with memory.copy: js/memory_copy.js).
const WORKER = `
const MiB = 1 << 20;
const pattern = (n) => {
  const a = new Uint8Array(n);
  for (let i = 0; i < n; i++) a[i] = (i * 7 + (i >> 12)) & 255;
  return a;
};
self.onmessage = async ({ data: { size, reads, module, inMemory } }) => {
  try {
    const { blobSource } = await import(module);
    const bytes = pattern(size);
    const src = await blobSource(new Blob([bytes]));
    const out = [];
    const memory = inMemory ? new WebAssembly.Memory({ initial: 1 }) : null;
    for (const [offset, length] of reads) {
      let dst = new Uint8Array(length);
      if (memory) {
        const need = Math.ceil((length + 12345) / 65536) - memory.buffer.byteLength / 65536;
        if (need > 0) memory.grow(need);
        dst = new Uint8Array(memory.buffer, 12345, length);
        dst.fill(0xee);
      }
      const n = memory ? src.read(offset, dst, memory) : src.read(offset, dst);
      const want = Math.max(0, Math.min(length, size - offset));
      let same = n === want;
      for (let i = 0; same && i < n; i++) same = dst[i] === bytes[offset + i];
      out.push({ offset, length, n, same });
    }
    const streamStarts = src.streamStarts();
    src.close();
    // A second source on the same (kept) reader worker.
    const src2 = await blobSource(new Blob([bytes.subarray(0, Math.min(size, 1000))]));
    const dst = new Uint8Array(1000);
    const n = src2.read(0, dst);
    let same = n === Math.min(size, 1000);
    for (let i = 0; same && i < n; i++) same = dst[i] === bytes[i];
    out.push({ offset: 0, length: 1000, n, same, second: true });
    src2.close();
    self.postMessage({ isolated: self.crossOriginIsolated, out, streamStarts });
  } catch (e) {
    self.postMessage({ error: String(e?.message ?? e) });
  }
};
`;

// `module`: where the worker takes blobSource from.
async function runReads(size, reads, module = '/js/blob_source.js', inMemory = false) {
  // A blank isolated page: the app's own start is not what these tests are about.
  const { page, context } = await openIsolatedPage(session.browser, session.server.url, { '/__test__/ring-worker.mjs': WORKER });
  const r = await page.evaluate(
    ({ size, reads, module, inMemory }) =>
      new Promise((resolve) => {
        const w = new Worker('/__test__/ring-worker.mjs', { type: 'module' });
        w.onmessage = (e) => resolve(e.data);
        w.onerror = (e) => resolve({ error: `worker failed: ${e.message}` });
        w.postMessage({ size, reads, module, inMemory });
      }),
    { size, reads, module, inMemory },
  );
  await context.close();
  return r;
}

test('ring reader: in order across slots, backwards, far ahead, past the end', { timeout: 180000 }, async () => {
  const MiB = 1 << 20;
  const size = 37 * MiB + 12345; // not a whole number of slots
  const reads = [
    [0, 16],
    [16, 4 * MiB], // crosses the first slot's end
    [4 * MiB + 16, 3 * MiB],
    [7 * MiB + 16, 9 * MiB + 5], // spans several slots in one read
    [MiB, 100], // backwards: the stream restarts
    [MiB + 100, 2 * MiB],
    [30 * MiB, MiB], // far ahead: restarts there
    [size - 10, 100], // past the end: the rest only
    [size, 10], // at the end: nothing
    [5, 5], // back to the start after the end
  ];
  for (const inMemory of [false, true]) {
    const r = await runReads(size, reads, '/js/blob_source.js', inMemory);
    assert.equal(r.error, undefined, r.error);
    assert.equal(r.isolated, true, 'the served page is cross-origin isolated: the ring path runs');
    assert.equal(r.out.length, reads.length + 1);
    for (const x of r.out) assert.ok(x.same, `read of ${x.length} at ${x.offset}${x.second ? ' (second source)' : ''}${inMemory ? ' into a WebAssembly.Memory' : ''}: ${x.n} bytes, exact: ${x.same}`);
  }
});

// js/memory_copy.js itself: Chromium has multi-memory, so the copier must
// be there (else the ring would quietly fall back to set()), and copy
// exactly, out of a shared memory into a plain one and into a shared one.
const COPIER_WORKER = `
self.onmessage = async () => {
  try {
    const { memoryCopier } = await import('/js/memory_copy.js');
    const src = new WebAssembly.Memory({ initial: 4, maximum: 4, shared: true });
    const s = new Uint8Array(src.buffer);
    for (let i = 0; i < s.length; i++) s[i] = (i * 13 + (i >> 9)) & 255;
    const results = [];
    for (const dst of [new WebAssembly.Memory({ initial: 3 }), new WebAssembly.Memory({ initial: 3, maximum: 8, shared: true })]) {
      const copy = memoryCopier(dst, src);
      if (!copy) { results.push({ copier: false }); continue; }
      const d = new Uint8Array(dst.buffer);
      d.fill(0xee);
      const cases = [[0, 0, 65536], [7, 65536 * 2 + 3, 100000], [65536 * 2 + 1, 5, 65530], [100, 200, 0]];
      let same = true;
      for (const [to, from, n] of cases) {
        copy(to, from, n);
        for (let i = 0; i < n && same; i++) same = d[to + i] === s[from + i];
      }
      const again = memoryCopier(dst, src) === copy;
      let outOfBounds = '';
      try { copy(3 * 65536 - 10, 0, 11); } catch (e) { outOfBounds = e.constructor.name; }
      results.push({ copier: true, same, again, outOfBounds, sharedDst: dst.buffer instanceof SharedArrayBuffer });
    }
    self.postMessage({ results });
  } catch (e) {
    self.postMessage({ error: String(e?.message ?? e) });
  }
};
`;

test('memory.copy between WebAssembly memories: present in Chromium, exact, bounds-checked', { timeout: 120000 }, async () => {
  const { page, context } = await openIsolatedPage(session.browser, session.server.url, { '/__test__/copier-worker.mjs': COPIER_WORKER });
  const r = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const w = new Worker('/__test__/copier-worker.mjs', { type: 'module' });
        w.onmessage = (e) => resolve(e.data);
        w.onerror = (e) => resolve({ error: `worker failed: ${e.message}` });
        w.postMessage(null);
      }),
  );
  await context.close();
  assert.equal(r.error, undefined, r.error);
  assert.deepEqual(r.results, [
    { copier: true, same: true, again: true, outOfBounds: 'RuntimeError', sharedDst: false },
    { copier: true, same: true, again: true, outOfBounds: 'RuntimeError', sharedDst: true },
  ]);
});

test('ring reader: an empty Blob and a tiny one', { timeout: 120000 }, async () => {
  const empty = await runReads(0, [[0, 10]]);
  assert.equal(empty.error, undefined, empty.error);
  assert.deepEqual(empty.out[0], { offset: 0, length: 10, n: 0, same: true });
  const tiny = await runReads(3, [[0, 2], [1, 5], [0, 3]]);
  assert.equal(tiny.error, undefined, tiny.error);
  for (const x of tiny.out) assert.ok(x.same, `read of ${x.length} at ${x.offset}`);
});

test('ring reader: look-ups across the file leave the stream where it is', { timeout: 180000 }, async () => {
  // What the core does with a .bin: one 64 KiB read at each blob, jumping
  // ahead across the file (its index), then the weights from the start,
  // forward, in reads of any size (some a little behind the last one's end).
  const MiB = 1 << 20;
  const KiB = 1 << 10;
  const size = 40 * MiB + 777;
  const reads = [];
  for (const at of [120 * KiB, 2 * MiB + 3, 9 * MiB, 17 * MiB + 5, 30 * MiB, 39 * MiB]) reads.push([at, 64 * KiB]);
  reads.push([size - 100, 64 * KiB]); // a look-up that ends past the end
  let at = 4;
  for (const n of [64 * KiB, 8 * KiB, 3 * MiB, 64 * KiB, 9 * MiB, 64 * KiB, 20 * MiB]) {
    reads.push([at, n]);
    at += n;
  }
  reads.push([at - 1000, 64 * KiB]); // a step back into what the stream holds
  reads.push([at - 1000 + 64 * KiB, size]); // the rest
  const r = await runReads(size, reads);
  assert.equal(r.error, undefined, r.error);
  assert.equal(r.isolated, true);
  for (const x of r.out) assert.ok(x.same, `read of ${x.length} at ${x.offset}: ${x.n} bytes, exact: ${x.same}`);
  assert.equal(r.streamStarts, 1, 'the look-ups did not restart the stream');
});

test('ring reader: a stream that stops delivering midway is given up, and the rest is read by slices', { timeout: 180000 }, async () => {
  const MiB = 1 << 20;
  const size = 12 * MiB + 4321;
  const reads = [];
  for (let at = 0; at < size; at += MiB - 3) reads.push([at, MiB - 3]);
  reads.push([2 * MiB, 100]); // backwards: a new stream, which stops again
  reads.push([2 * MiB + 100, 6 * MiB]);
  const r = await runReads(size, reads, '/stalling/blob_source.js');
  assert.equal(r.error, undefined, r.error);
  for (const x of r.out) assert.ok(x.same, `read of ${x.length} at ${x.offset}: ${x.n} bytes, exact: ${x.same}`);
  assert.equal(r.streamStarts, 2);
});
