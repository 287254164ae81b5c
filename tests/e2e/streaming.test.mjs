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
import { root, conformanceDir, prerequisiteProblem, serverAndBrowser, runExpectingSuccess, download } from './helpers.mjs';

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
