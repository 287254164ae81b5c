// Where the page puts the int8 .bin: streamed to the origin private file
// system and offered from there (Chromium's default), streamed then copied
// to a file picked before the run (the native picker stubbed with a
// private-storage file handle: a headless browser cannot click it), and the
// in-memory fallback with its stated size limit. Every path's bytes must be
// the native CLI's (expected.* of a conformance case, or the npm package's
// output for the generated sample when the corpus is absent outside CI).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { root, conformanceDir, prerequisiteProblem, serverAndBrowser, runExpectingSuccess, download, tmpDir } from './helpers.mjs';

const problem = prerequisiteProblem();
if (problem) throw new Error(`e2e: ${problem}`);

const session = serverAndBrowser();

// The model and its expected int8 output.
async function fixture() {
  const dir = path.join(conformanceDir, 'mobilenet_ssd');
  if (fs.existsSync(path.join(dir, 'expected.bin'))) {
    return {
      inputs: ['model.param', 'model.bin', 'model.table'].map((f) => path.join(dir, f)),
      param: fs.readFileSync(path.join(dir, 'expected.param')),
      bin: fs.readFileSync(path.join(dir, 'expected.bin')),
    };
  }
  if (process.env.CI === 'true') throw new Error(`${dir} is absent (CI=true: the corpus is required)`);
  const sample = path.join(root, 'dist', 'sample');
  const inputs = ['model.param', 'model.bin', 'model.table'].map((f) => path.join(sample, f));
  const { quantize } = await import('../../js/index.js');
  const r = await quantize({ param: fs.readFileSync(inputs[0]), bin: fs.readFileSync(inputs[1]), table: fs.readFileSync(inputs[2]) });
  return { inputs, param: Buffer.from(r.paramBytes), bin: Buffer.from(r.bin) };
}

const sha256 = (bytes) => crypto.createHash('sha256').update(bytes).digest('hex');

test('streamed to private storage, then downloaded from there: byte-identical', async () => {
  const expected = await fixture();
  const p = await session.openPage();
  const { page } = p;
  assert.equal(await page.getAttribute('#save-target', 'data-output'), 'opfs');
  assert.match(await page.textContent('#save-target'), /written to disk as it is made/);
  await page.setInputFiles('#file-input', expected.inputs);
  await runExpectingSuccess(page, '#quantize-button');
  assert.equal(await page.getAttribute('#download-bin', 'data-stored'), 'opfs');
  const bin = await download(page, '#download-bin');
  const param = await download(page, '#download-param');
  assert.ok(bin.bytes.equals(expected.bin), '.bin differs from the expected output');
  assert.ok(param.bytes.equals(expected.param), '.param differs from the expected output');

  // A second run replaces the first run's stored output: one file stays.
  await runExpectingSuccess(page, '#quantize-button');
  const stored = await page.evaluate(async () => {
    const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('ncnn-int8-output');
    const names = [];
    for await (const name of dir.keys()) names.push(name);
    return names;
  });
  assert.equal(stored.length, 1, `stored outputs: ${stored.join(', ')}`);
  assert.ok((await download(page, '#download-bin')).bytes.equals(expected.bin));
  assert.deepEqual(p.consoleErrors, []);
  await p.context.close();
});

test('saved to a file picked before the run (picker stubbed): byte-identical, nothing left in private storage', async () => {
  const expected = await fixture();
  const p = await session.openPage();
  const { page } = p;
  // The stub hands out a real FileSystemFileHandle (in private storage), so
  // the worker's createWritable() path is the one a picked file takes. It
  // is defined before the page's scripts run.
  await p.context.addInitScript(() => {
    window.showSaveFilePicker = async (options) => {
      window.pickerOptions = options;
      return (await navigator.storage.getDirectory()).getFileHandle('picked-int8.bin', { create: true });
    };
  });
  await page.reload();
  await page.setInputFiles('#file-input', expected.inputs);
  await page.click('#save-pick-button');
  await page.waitForFunction(() => document.querySelector('#save-target').dataset.output === 'file');
  assert.equal(await page.evaluate(() => window.pickerOptions.suggestedName), 'model-int8.bin');
  await runExpectingSuccess(page, '#quantize-button');
  assert.equal(await page.getAttribute('#download-bin', 'data-stored'), 'file');
  assert.match(await page.textContent('#download-bin'), /Saved to picked-int8\.bin/);
  const got = await page.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    const file = await (await root.getFileHandle('picked-int8.bin')).getFile();
    const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
    const staged = [];
    for await (const name of (await root.getDirectoryHandle('ncnn-int8-output')).keys()) staged.push(name);
    return { size: file.size, sha: [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join(''), staged };
  });
  assert.equal(got.size, expected.bin.length);
  assert.equal(got.sha, sha256(expected.bin));
  assert.deepEqual(got.staged, [], 'the staging file is removed');
  // The choice is used once: the next run goes to private storage again.
  assert.equal(await page.getAttribute('#save-target', 'data-output'), 'opfs');
  await p.context.close();
});

test('without private storage: in memory, and the page says how large a model that takes', async () => {
  const expected = await fixture();
  const p = await session.openPage();
  const { page } = p;
  await p.context.addInitScript(() => {
    Object.defineProperty(StorageManager.prototype, 'getDirectory', { value: undefined });
  });
  await page.reload();
  assert.equal(await page.getAttribute('#save-target', 'data-output'), 'memory');
  assert.match(await page.textContent('#save-target'), /in memory: models up to about 2 GB/);
  assert.equal(await page.locator('#save-pick-button').count(), 0, 'no picker offered');
  await page.setInputFiles('#file-input', expected.inputs);
  await runExpectingSuccess(page, '#quantize-button');
  assert.equal(await page.getAttribute('#download-bin', 'data-stored'), 'memory');
  assert.ok((await download(page, '#download-bin')).bytes.equals(expected.bin));
  await p.context.close();
});

// A model whose .bin is not stored alike throughout: ip1 fp32 (5.6 MB of
// fp16 out, so output has gone to storage before ip2), ip2's 342 weights as
// a lookup table (4 + 1024 + 344 bytes: exactly what 342 fp32 values take,
// so the page's index from the first tag adds up), ip3 fp32. The page finds
// ip2's tag unlike the first, throws the output away and runs again on the
// tags read: the bytes must be those of the package's run on the whole .bin
// in memory, which reads every tag first.
function mixedStorageModel() {
  const big = 8192 * 342;
  const param = ['7767517', '4 4', 'Input in 0 1 data', `InnerProduct ip1 1 1 data a 0=8192 1=0 2=${big}`,
    'InnerProduct ip2 1 1 a b 0=1 1=0 2=342', 'InnerProduct ip3 1 1 b out 0=1 1=0 2=342', ''].join('\n');
  const values = (n, seed) => {
    const a = new Float32Array(n);
    let x = seed;
    for (let i = 0; i < n; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      a[i] = x / 2147483648 - 0.5;
    }
    return Buffer.from(a.buffer);
  };
  const tag = (t) => Buffer.from(new Uint32Array([t]).buffer);
  const lut = Buffer.from(new Float32Array(256).map((_, i) => i / 128 - 1).buffer);
  const index = Buffer.alloc(344);
  for (let i = 0; i < 342; i++) index[i] = (i * 7) & 255;
  const bin = Buffer.concat([tag(0), values(big, 1), tag(0x00010203), lut, index, tag(0), values(342, 3)]);
  const table = 'ip2_param_0 40.0\nip2 6.0\nip3_param_0 50.0\nip3 7.0\n';
  const dir = tmpDir('ncnn-int8-mixed-');
  fs.writeFileSync(path.join(dir, 'model.param'), param);
  fs.writeFileSync(path.join(dir, 'model.bin'), bin);
  fs.writeFileSync(path.join(dir, 'model.table'), table);
  return { dir, param, bin, table, inputs: ['model.param', 'model.bin', 'model.table'].map((f) => path.join(dir, f)) };
}

for (const where of ['opfs', 'memory']) {
  test(`a .bin stored unlike its first tag: the run starts again, byte-identical (${where})`, async () => {
    const m = mixedStorageModel();
    const { quantize } = await import('../../js/index.js');
    const expected = await quantize({ param: m.param, bin: m.bin, table: m.table });
    const p = await session.openPage();
    const { page } = p;
    if (where === 'memory') {
      await p.context.addInitScript(() => {
        Object.defineProperty(StorageManager.prototype, 'getDirectory', { value: undefined });
      });
      await page.reload();
    }
    assert.equal(await page.getAttribute('#save-target', 'data-output'), where);
    await page.setInputFiles('#file-input', m.inputs);
    await runExpectingSuccess(page, '#quantize-button');
    const timings = JSON.parse(await page.getAttribute('#download-bin', 'data-timings'));
    assert.equal(timings.rewinds, 1, 'the output started again once');
    const bin = await download(page, '#download-bin');
    const param = await download(page, '#download-param');
    assert.ok(bin.bytes.equals(Buffer.from(expected.bin)), '.bin differs from the run that read every tag');
    assert.equal(param.bytes.toString(), expected.param);
    // The same files stored alike (ip2 as fp32): no second start.
    fs.writeFileSync(path.join(m.dir, 'model.bin'), Buffer.concat([m.bin.subarray(0, 4 + 4 * 8192 * 342), Buffer.alloc(4), Buffer.alloc(342 * 4, 1), m.bin.subarray(m.bin.length - 4 - 342 * 4)]));
    await page.setInputFiles('#file-input', m.inputs);
    await runExpectingSuccess(page, '#quantize-button');
    assert.equal(JSON.parse(await page.getAttribute('#download-bin', 'data-timings')).rewinds, 0);
    await p.context.close();
    fs.rmSync(m.dir, { recursive: true, force: true });
  });
}
