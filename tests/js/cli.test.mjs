// (b) `ncnn2int8` (js/cli.js, what npx runs): identical files to the
// reference, the native CLI's messages and exit codes, no output on error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { JS_CLI, NATIVE_CLI, cases, haveNative, noConformance, run, tempDir } from './_helpers.mjs';

const SOME = ['squeezenet', 'rnn_lstm_gru', 'gemm_sdpa_without_table', 'layer_zoo_c', 'attention_without_table'];

test('cli on conformance cases', { skip: noConformance }, async (t) => {
  for (const c of cases().filter((c) => SOME.includes(c.name))) {
    await t.test(c.name, (t) => {
      const out = tempDir(t);
      const args = [path.join(c.dir, 'model.param'), path.join(c.dir, 'model.bin'), path.join(out, 'o.param'), path.join(out, 'o.bin')];
      if (c.table) args.push(c.table);
      args.push('--report', path.join(out, 'report.json'));
      const r = run(process.execPath, [JS_CLI, ...args]);
      if (c.expect === 'ok') {
        assert.equal(r.code, 0, r.stderr);
        assert.ok(fs.readFileSync(path.join(out, 'o.param')).equals(fs.readFileSync(path.join(c.dir, 'expected.param'))));
        assert.ok(fs.readFileSync(path.join(out, 'o.bin')).equals(fs.readFileSync(path.join(c.dir, 'expected.bin'))));
        const report = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8'));
        assert.equal(report.simd_target, 'WASM');
        assert.match(r.stderr, /layers: \d+ int8/);
      } else {
        assert.equal(r.code, 1);
        assert.match(r.stderr, /^ncnn2int8: error: .*model\.param:\d+: /);
        assert.deepEqual(fs.readdirSync(out), [], 'no output files on error');
        if (haveNative) assert.equal(r.stderr, run(NATIVE_CLI, args).stderr);
      }
      assert.deepEqual(fs.readdirSync(out).filter((f) => f.includes('.partial-')), []);
    });
  }
});

test('cli: an error leaves existing outputs untouched', { skip: noConformance }, (t) => {
  const c = cases().find((c) => c.expect === 'error');
  const out = tempDir(t);
  fs.writeFileSync(path.join(out, 'o.param'), 'old param');
  fs.writeFileSync(path.join(out, 'o.bin'), 'old bin');
  const r = run(process.execPath, [JS_CLI, path.join(c.dir, 'model.param'), path.join(c.dir, 'model.bin'), path.join(out, 'o.param'), path.join(out, 'o.bin')]);
  assert.equal(r.code, 1);
  assert.equal(fs.readFileSync(path.join(out, 'o.param'), 'utf8'), 'old param');
  assert.equal(fs.readFileSync(path.join(out, 'o.bin'), 'utf8'), 'old bin');
  assert.deepEqual(fs.readdirSync(out).sort(), ['o.bin', 'o.param']);
});

test('cli: usage, options and file errors match the native CLI', (t) => {
  const out = tempDir(t);
  const missing = path.join(out, 'missing.param');
  const argSets = [
    [],
    ['a', 'b', 'c'],
    ['--help'],
    ['--version'],
    ['--bogus'],
    ['a', 'b', 'c', 'd', '--report'],
    ['a', 'null', 'c', 'd'],
    ['a', 'b', 'same', 'same'],
    [missing, 'b', path.join(out, 'o.param'), path.join(out, 'o.bin')],
    [out, 'b', path.join(out, 'o.param'), path.join(out, 'o.bin')],
  ];
  for (const args of argSets) {
    const js = run(process.execPath, [JS_CLI, ...args]);
    const expectedCode = args.length === 0 || args.length === 3 ? 2 : ['--help', '--version'].includes(args[0]) ? 0 : 1;
    assert.equal(js.code, expectedCode, `exit code for ${args.join(' ')}`);
    if (haveNative) {
      const native = run(NATIVE_CLI, args);
      assert.equal(js.code, native.code, `exit code for ${args.join(' ')}`);
      assert.equal(js.stdout, native.stdout, `stdout for ${args.join(' ')}`);
      assert.equal(js.stderr, native.stderr, `stderr for ${args.join(' ')}`);
    }
  }
  assert.deepEqual(fs.readdirSync(out), []);
});

test('cli: warnings of one kind on one line, as the native CLI prints them', { skip: noConformance }, (t) => {
  const c = cases().find((c) => c.name === 'mobilenet_ssd');
  assert.ok(c, 'the mobilenet_ssd case (30 zero input scales) is in the corpus');
  const withoutTarget = (text) => text.replace(/SIMD target \S+/g, 'SIMD target');
  for (const quiet of [false, true]) {
    const args = (dir) => {
      const a = [path.join(c.dir, 'model.param'), path.join(c.dir, 'model.bin'), path.join(dir, 'o.param'), path.join(dir, 'o.bin'), c.table];
      return quiet ? [...a, '--quiet'] : a;
    };
    const r = run(process.execPath, [JS_CLI, ...args(tempDir(t))]);
    assert.equal(r.code, 0, r.stderr);
    const zeroScale = r.stderr.split('\n').filter((l) => l.includes('input scale is 0'));
    assert.equal(zeroScale.length, 1, r.stderr);
    assert.match(zeroScale[0], /\(\d+ times: /);
    if (haveNative) assert.equal(withoutTarget(r.stderr), withoutTarget(run(NATIVE_CLI, args(tempDir(t))).stderr));
  }
});
