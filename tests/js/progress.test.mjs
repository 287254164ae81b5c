// (e) onProgress: called after each layer with increasing values, ending at the totals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { quantize } from '../../js/index.js';
import { CONFORMANCE, noConformance } from './_helpers.mjs';

test('progress increases and ends at the totals', { skip: noConformance }, async () => {
  const dir = path.join(CONFORMANCE, 'cases/mobilenet_v3');
  const bin = fs.readFileSync(path.join(dir, 'model.bin'));
  const seen = [];
  const r = await quantize({
    param: fs.readFileSync(path.join(dir, 'model.param')),
    bin,
    table: fs.readFileSync(path.join(dir, 'model.table')),
    onProgress: (p) => {
      seen.push({ ...p });
    },
  });
  assert.equal(seen.length, r.report.totals.layers);
  for (let i = 0; i < seen.length; i++) {
    const p = seen[i];
    assert.equal(p.layersDone, i + 1);
    assert.equal(p.layersTotal, r.report.totals.layers);
    assert.equal(p.bytesTotal, bin.length);
    assert.ok(p.bytesDone <= p.bytesTotal);
    if (i > 0) assert.ok(p.bytesDone >= seen[i - 1].bytesDone);
  }
  const last = seen.at(-1);
  assert.equal(last.layersDone, last.layersTotal);
  assert.equal(last.bytesDone, last.bytesTotal);
  assert.ok(seen.filter((p, i) => i > 0 && p.bytesDone > seen[i - 1].bytesDone).length > 10, 'bytes advance over the run');
});
