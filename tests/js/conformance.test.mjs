// (a) quantize() on every conformance case: byte-identical outputs; the
// refused case rejected with the core's message (the native CLI's, when built).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { quantize } from '../../js/index.js';
import { CONFORMANCE, NATIVE_CLI, bytesEqual, cases, haveNative, noConformance, run, tempDir } from './_helpers.mjs';

test('conformance corpus', { skip: noConformance }, async (t) => {
  const all = cases();
  assert.ok(all.length > 0);
  for (const c of all) {
    await t.test(c.name, async (t) => {
      const param = fs.readFileSync(path.join(c.dir, 'model.param'));
      const bin = fs.readFileSync(path.join(c.dir, 'model.bin'));
      const table = c.table ? fs.readFileSync(c.table, 'utf8') : undefined;
      if (c.expect === 'ok') {
        const r = await quantize({ param, bin, table });
        const expectedParam = fs.readFileSync(path.join(c.dir, 'expected.param'));
        const expectedBin = fs.readFileSync(path.join(c.dir, 'expected.bin'));
        assert.ok(bytesEqual(r.paramBytes, expectedParam), 'expected.param differs');
        assert.equal(r.param, expectedParam.toString('utf8'));
        assert.ok(bytesEqual(r.bin, expectedBin), `expected.bin differs (${r.bin.length} vs ${expectedBin.length} bytes)`);
        assert.equal(r.report.simd_target, 'WASM');
        assert.equal(r.report.totals.bin_bytes_out, expectedBin.length);
      } else {
        const names = { param: path.join(c.dir, 'model.param'), bin: path.join(c.dir, 'model.bin') };
        const err = await quantize({ param, bin, table, names }).then(() => null, (e) => e);
        assert.ok(err instanceof Error, 'the error case must be refused');
        assert.match(err.message, /model\.param:\d+: /);
        if (haveNative) {
          const out = tempDir(t);
          const args = [names.param, names.bin, path.join(out, 'o.param'), path.join(out, 'o.bin')];
          if (c.table) args.push(c.table);
          const native = run(NATIVE_CLI, args);
          assert.equal(native.code, 1);
          assert.equal(`ncnn2int8: error: ${err.message}\n`, native.stderr);
        }
      }
    });
  }
});

// The divergent cases: the .bin is the reference's; the .param is what the
// native CLI writes (check.py judges that against the reference).
test('divergent corpus', { skip: noConformance }, async (t) => {
  for (const c of cases(path.join(CONFORMANCE, 'divergent'))) {
    await t.test(c.name, async (t) => {
      const param = fs.readFileSync(path.join(c.dir, 'model.param'));
      const bin = fs.readFileSync(path.join(c.dir, 'model.bin'));
      const table = c.table ? fs.readFileSync(c.table) : null;
      const r = await quantize({ param, bin, table });
      assert.ok(bytesEqual(r.bin, fs.readFileSync(path.join(c.dir, 'expected.bin'))), 'expected.bin differs');
      if (haveNative) {
        const out = tempDir(t);
        const args = [path.join(c.dir, 'model.param'), path.join(c.dir, 'model.bin'), path.join(out, 'o.param'), path.join(out, 'o.bin')];
        if (c.table) args.push(c.table);
        assert.equal(run(NATIVE_CLI, args).code, 0);
        assert.ok(bytesEqual(r.paramBytes, fs.readFileSync(path.join(out, 'o.param'))), 'param differs from the native CLI');
      }
    });
  }
});
