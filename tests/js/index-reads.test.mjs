// indexReads (src/wasm/bindings.cpp): the small reads the core's index of
// the .bin will make, listed before the run so the page's reader worker can
// fetch them ahead. On every conformance case whose tags are all fp32 the
// list must be exactly the reads the index then makes; on the others (fp16
// or mixed tags) it may differ, and the page reads those itself. Cases the
// core refuses (a table needed and none given) are passed over.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { CONFORMANCE, noConformance } from './_helpers.mjs';
import { runCore, getModule } from '../../js/core.js';

const names = { param: 'model.param', bin: 'model.bin', table: 'model.table' };

function cases() {
  const dir = path.join(CONFORMANCE, 'cases');
  return fs
    .readdirSync(dir)
    .map((c) => path.join(dir, c))
    .filter((d) => ['model.param', 'model.bin'].every((f) => fs.existsSync(path.join(d, f))));
}

// Runs the core on `dir`: {listed, reads (every read the core made, in order), bin (the output)}.
async function run(dir) {
  const param = new Uint8Array(fs.readFileSync(path.join(dir, 'model.param')));
  const tableFile = path.join(dir, 'model.table');
  const table = fs.existsSync(tableFile) ? new Uint8Array(fs.readFileSync(tableFile)) : null;
  const bin = fs.readFileSync(path.join(dir, 'model.bin'));
  let listed = null;
  const reads = [];
  const out = [];
  await runCore({
    param,
    table,
    binSize: bin.length,
    names,
    readBin: (offset, dst) => {
      reads.push([offset, dst.length]);
      const part = bin.subarray(offset, offset + dst.length);
      dst.set(part);
      return part.length;
    },
    writeBin: (chunk) => void out.push(Buffer.from(chunk)),
    onProgress: null,
    planReads: (offsets, bytes) => (listed = { offsets, bytes }),
  });
  return { listed, reads, bin: Buffer.concat(out) };
}

test('indexReads lists the index reads of every all-fp32 .bin exactly', { skip: noConformance }, async () => {
  let exact = 0;
  for (const dir of cases()) {
    let r;
    try {
      r = await run(dir);
    } catch (e) {
      if (e.code === 'input') continue;
      throw e;
    }
    assert.ok(r.listed, `${path.basename(dir)}: a list`);
    assert.equal(r.listed.bytes, 64 * 1024);
    const made = r.reads.slice(0, r.listed.offsets.length).map(([o]) => o);
    if (made.every((o, i) => o === r.listed.offsets[i])) exact++;
    else assert.match(path.basename(dir), /fp16|mixed/, `${path.basename(dir)}: the listed reads differ from the index's: ${r.listed.offsets.slice(0, 5)} / ${made.slice(0, 5)}`);
  }
  assert.ok(exact >= 10, `${exact} cases listed exactly`);
});

test('indexReads: null for a .param that does not parse; nothing listed is needed for a run', async () => {
  const M = await getModule();
  assert.equal(M.indexReads(new TextEncoder().encode('not a param file'), 100, names), null);
  assert.equal(M.indexReads(new TextEncoder().encode('7767517\n1 1\nInput in 0 1 in\n'), -1, names), null);
  const r = M.indexReads(new TextEncoder().encode('7767517\n1 1\nInput in 0 1 in\n'), 0, names);
  assert.deepEqual(r.offsets, []);
});
