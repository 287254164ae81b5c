// (d) quantizeFile() on the generator's `families` model equals the native
// CLI's output byte for byte; outputs are atomic.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { quantizeFile } from '../../js/index.js';
import { MAKE_MODEL, NATIVE_CLI, noNative, run, tempDir } from './_helpers.mjs';

test('quantizeFile on the families model equals the native CLI', { skip: noNative }, async (t) => {
  const dir = tempDir(t);
  const model = path.join(dir, 'families');
  const made = run(MAKE_MODEL, ['families', model]);
  assert.equal(made.code, 0, made.stderr);
  const inputs = ['model.param', 'model.bin', 'model.table'].map((f) => path.join(model, f));
  const [paramPath, binPath, tablePath] = inputs;

  const nativeOut = path.join(dir, 'native');
  const wasmOut = path.join(dir, 'wasm');
  fs.mkdirSync(nativeOut);
  fs.mkdirSync(wasmOut);
  const native = run(NATIVE_CLI, [paramPath, binPath, path.join(nativeOut, 'o.param'), path.join(nativeOut, 'o.bin'), tablePath, '--quiet']);
  assert.equal(native.code, 0, native.stderr);

  const progress = [];
  const report = await quantizeFile({
    paramPath,
    binPath,
    tablePath,
    outParamPath: path.join(wasmOut, 'o.param'),
    outBinPath: path.join(wasmOut, 'o.bin'),
    onProgress: (p) => progress.push(p),
  });
  for (const f of ['o.param', 'o.bin'])
    assert.ok(fs.readFileSync(path.join(wasmOut, f)).equals(fs.readFileSync(path.join(nativeOut, f))), `${f} differs from the native CLI's`);
  assert.deepEqual(fs.readdirSync(wasmOut).sort(), ['o.bin', 'o.param']);
  assert.equal(report.simd_target, 'WASM');
  assert.ok(report.totals.int8 > 0);
  assert.equal(progress.at(-1).bytesDone, fs.statSync(binPath).size);

  // Also without the table (refused or Gemm/SDPA only): same outcome as native.
  const noTable = run(NATIVE_CLI, [paramPath, binPath, path.join(nativeOut, 'n.param'), path.join(nativeOut, 'n.bin')]);
  const wasmNoTable = await quantizeFile({ paramPath, binPath, outParamPath: path.join(wasmOut, 'n.param'), outBinPath: path.join(wasmOut, 'n.bin') }).then(
    () => null,
    (e) => e
  );
  if (noTable.code === 0) {
    assert.equal(wasmNoTable, null);
    for (const f of ['n.param', 'n.bin']) assert.ok(fs.readFileSync(path.join(wasmOut, f)).equals(fs.readFileSync(path.join(nativeOut, f))));
  } else {
    assert.equal(`ncnn2int8: error: ${wasmNoTable.message}\n`, noTable.stderr);
    assert.ok(!fs.existsSync(path.join(wasmOut, 'n.bin')));
  }

  // An error midway (the .bin cut short) leaves no output and no temp file.
  const cut = path.join(dir, 'cut.bin');
  fs.writeFileSync(cut, fs.readFileSync(binPath).subarray(0, fs.statSync(binPath).size - 4));
  fs.writeFileSync(path.join(wasmOut, 'c.param'), 'existing');
  await assert.rejects(
    quantizeFile({ paramPath, binPath: cut, tablePath, outParamPath: path.join(wasmOut, 'c.param'), outBinPath: path.join(wasmOut, 'c.bin') }),
    new RegExp(`^Error: ${cut.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `)
  );
  assert.equal(fs.readFileSync(path.join(wasmOut, 'c.param'), 'utf8'), 'existing');
  assert.ok(!fs.existsSync(path.join(wasmOut, 'c.bin')));
  assert.deepEqual(fs.readdirSync(wasmOut).filter((f) => f.includes('.partial-')), []);

  // File errors carry the native CLI's wording.
  await assert.rejects(
    quantizeFile({ paramPath: path.join(dir, 'nope.param'), binPath, outParamPath: path.join(wasmOut, 'x.param'), outBinPath: path.join(wasmOut, 'x.bin') }),
    { message: `${path.join(dir, 'nope.param')}: cannot open: No such file or directory` }
  );
  await assert.rejects(quantizeFile({ paramPath, binPath: 12 }), { name: 'TypeError', message: /binPath must be a file path/ });
});
