// (c) Bad input through the JS API: clear rejections, and the same module
// instance keeps working afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { quantize } from '../../js/index.js';
import { runCore } from '../../js/core.js';
import { CONFORMANCE, bytesEqual, noConformance } from './_helpers.mjs';

const dir = path.join(CONFORMANCE, 'cases/squeezenet');
const load = () => ({
  param: fs.readFileSync(path.join(dir, 'model.param'), 'utf8'),
  bin: new Uint8Array(fs.readFileSync(path.join(dir, 'model.bin'))),
  table: fs.readFileSync(path.join(dir, 'model.table'), 'utf8'),
  expectedBin: fs.readFileSync(path.join(dir, 'expected.bin')),
});

async function stillWorks(m) {
  const r = await quantize({ param: m.param, bin: m.bin, table: m.table });
  assert.ok(bytesEqual(r.bin, m.expectedBin), 'a good call after a failure must still give the right bytes');
}

test('bad input rejects clearly and the module stays usable', { skip: noConformance }, async (t) => {
  const m = load();

  await t.test('wrong argument types', async () => {
    await assert.rejects(quantize(), { name: 'TypeError', message: /quantize\(\) takes an object/ });
    await assert.rejects(quantize({ param: 42, bin: m.bin }), { name: 'TypeError', message: /^param must be a string, Uint8Array, ArrayBuffer or Blob, not a number$/ });
    await assert.rejects(quantize({ param: m.param, bin: 'model.bin' }), { name: 'TypeError', message: /^bin must be a Uint8Array, ArrayBuffer or Blob, not a string$/ });
    await assert.rejects(quantize({ param: m.param }), { name: 'TypeError', message: /bin is required/ });
    await assert.rejects(quantize({ bin: m.bin }), { name: 'TypeError', message: /param is required/ });
    await assert.rejects(quantize({ param: m.param, bin: m.bin, table: 7 }), { name: 'TypeError', message: /^table must be/ });
    await assert.rejects(quantize({ param: m.param, bin: m.bin, onProgress: 'yes' }), { name: 'TypeError', message: /onProgress must be a function/ });
    await assert.rejects(quantize({ param: m.param, bin: m.bin, names: { bin: 3 } }), { name: 'TypeError', message: /names\.bin must be a string/ });
    await stillWorks(m);
  });

  await t.test('truncated bin', async () => {
    const err = await quantize({ param: m.param, bin: m.bin.subarray(0, m.bin.length - 1000), table: m.table }).then(() => null, (e) => e);
    assert.ok(err instanceof Error);
    assert.match(err.message, /^model\.bin: /);
    assert.match(err.message, /truncated|shorter|offset/);
    await stillWorks(m);
  });

  await t.test('bin longer than the param needs', async () => {
    const longer = new Uint8Array(m.bin.length + 8);
    longer.set(m.bin);
    await assert.rejects(quantize({ param: m.param, bin: longer, table: m.table }), /^Error: model\.bin: /);
    await stillWorks(m);
  });

  await t.test('bad table', async () => {
    const lines = m.table.split('\n');
    const bad = [lines[0].split(' ')[0] + ' 1.0 nan', ...lines.slice(1)].join('\n');
    await assert.rejects(quantize({ param: m.param, bin: m.bin, table: bad }), /model\.table:1: /);
    await assert.rejects(quantize({ param: m.param, bin: m.bin, table: bad }), { code: 'input' });
    await assert.rejects(quantize({ param: m.param, bin: m.bin, table: bad, names: { table: 'my.table' } }), /my\.table:1: /);
    await stillWorks(m);
  });

  await t.test('bad param', async () => {
    await assert.rejects(quantize({ param: 'not a param file', bin: m.bin }), /^Error: model\.param:1: /);
    await assert.rejects(quantize({ param: new Uint8Array(0), bin: m.bin }), /^Error: model\.param/);
    await stillWorks(m);
  });

  await t.test('cancel from onProgress', async () => {
    let calls = 0;
    await assert.rejects(quantize({ param: m.param, bin: m.bin, table: m.table, onProgress: () => ++calls < 3 && undefined }), { name: 'AbortError', message: 'cancelled', code: 'cancelled' });
    assert.equal(calls, 3);
    const boom = new Error('boom from onProgress');
    await assert.rejects(quantize({ param: m.param, bin: m.bin, table: m.table, onProgress: () => { throw boom; } }), (e) => e === boom);
    await stillWorks(m);
  });

  await t.test('other input forms: ArrayBuffer, DataView, Blob, bytes param', async () => {
    const ab = m.bin.slice().buffer;
    const viaArrayBuffer = await quantize({ param: new TextEncoder().encode(m.param), bin: ab, table: new TextEncoder().encode(m.table).buffer });
    assert.ok(bytesEqual(viaArrayBuffer.bin, m.expectedBin));
    const viaView = await quantize({ param: m.param, bin: new DataView(ab), table: m.table });
    assert.ok(bytesEqual(viaView.bin, m.expectedBin));
    const viaBlob = await quantize({ param: new Blob([m.param]), bin: new Blob([m.bin]), table: new Blob([m.table]) });
    assert.ok(bytesEqual(viaBlob.bin, m.expectedBin));
  });

  await t.test('out of memory becomes an error, not an abort', async () => {
    // A 3.6 GB InnerProduct: the .bin is never materialized (the read
    // callback hands out zeros), the layer buffer cannot be allocated.
    const n = 30000 * 30000;
    const enc = (s) => new TextEncoder().encode(s);
    await assert.rejects(
      runCore({
        param: enc(`7767517\n2 2\nInput data 0 1 data\nInnerProduct fc 1 1 data out 0=30000 1=0 2=${n}\n`),
        table: enc(`fc_param_0 ${Array(30000).fill('1.0').join(' ')}\nfc 1.0\n`),
        binSize: 4 + n * 4,
        readBin: (o, dst) => dst.fill(0).length,
        writeBin: () => {},
        onProgress: null,
        names: { param: 'model.param', bin: 'model.bin', table: 'model.table' },
      }),
      (e) => /^out of memory/.test(e.message) && e.code === 'out_of_memory'
    );
    await stillWorks(m);
  });

  await t.test('concurrent calls are serialized and all succeed', async () => {
    const rs = await Promise.all([0, 1, 2].map(() => quantize({ param: m.param, bin: m.bin, table: m.table })));
    for (const r of rs) assert.ok(bytesEqual(r.bin, m.expectedBin));
  });
});
