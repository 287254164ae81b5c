// Files in any order, in Chromium: a table added first is kept when the model
// pair comes, and the result is byte-identical to the reference's; a new
// pair replaces the old one and keeps the table (checked against the new
// model); a run after removing the table says so loudly; labels while a
// file waits for its .param; files dropped during a run are refused; pnnx
// names. The pure helpers of web/files.js are checked in Node first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  root,
  prerequisiteProblem,
  serverAndBrowser,
  runExpectingSuccess,
  download,
  conformanceCase,
} from './helpers.mjs';
import { mergeFiles, outputNames, tableFit, resolveFiles } from '../../web/files.js';

const problem = prerequisiteProblem();
if (problem) throw new Error(`e2e: ${problem}`);

const session = serverAndBrowser();

function fileOf(dir, name, as = name) {
  return { name: as, mimeType: 'application/octet-stream', buffer: fs.readFileSync(path.join(dir, name)) };
}
const sampleDir = path.join(root, 'dist', 'sample');

function checkClean({ foreign, consoleErrors }) {
  assert.deepEqual(foreign, [], 'no request leaves the origin');
  assert.deepEqual(consoleErrors, [], 'no console errors');
}

// Dispatches a real drop event carrying `files` ([{name, text}]) on the drop zone.
async function dropFiles(page, files) {
  const dataTransfer = await page.evaluateHandle((fs) => {
    const dt = new DataTransfer();
    for (const f of fs) dt.items.add(new File([f.text], f.name));
    return dt;
  }, files);
  await page.dispatchEvent('#dropzone', 'drop', { dataTransfer });
}

test('files.js: merging keeps what is there, says what it replaced; pnnx names', () => {
  const n = (...names) => names.map((name) => ({ name }));
  let m = mergeFiles(n('model.table'), n('model.param', 'model.bin'));
  assert.deepEqual(m.files.map((f) => f.name), ['model.table', 'model.param', 'model.bin']);
  assert.deepEqual(m.kept, ['model.table']);
  assert.equal(resolveFiles(m.files).table.name, 'model.table');
  m = mergeFiles(m.files, n('other.param', 'other.bin'));
  assert.deepEqual(m.files.map((f) => f.name), ['model.table', 'other.param', 'other.bin']);
  assert.deepEqual(m.replaced, ['model.param', 'model.bin']);
  m = mergeFiles(m.files, n('new.table'));
  assert.deepEqual(m.files.map((f) => f.name), ['other.param', 'other.bin', 'new.table']);
  assert.deepEqual(m.replaced, ['model.table']);

  assert.deepEqual(outputNames('foo.ncnn.param'), { param: 'foo-int8.ncnn.param', bin: 'foo-int8.ncnn.bin', report: 'foo-int8.report.json' });
  assert.deepEqual(outputNames('model.param'), { param: 'model-int8.param', bin: 'model-int8.bin', report: 'model-int8.report.json' });

  const param = '7767517\n3 3\nInput data 0 1 data\nConvolution conv1 1 1 data c1 0=4\nInnerProduct fc 1 1 c1 out 0=2\n';
  assert.deepEqual(tableFit(param, 'conv1_param_0 1 2 3 4\nfc_param_0 5 6\nconv1 7\nfc 8\n'), { matched: 2, total: 2, missing: [] });
  assert.deepEqual(tableFit(param, 'ghost_param_0 1\nghost 2\nfc 3\n'), { matched: 1, total: 2, missing: ['ghost'] });
  assert.equal(tableFit('not a param', 'fc 1'), null);
});

test('(A) table first, then the model pair: the table is kept and the output is byte-identical to expected', async (t) => {
  const dir = conformanceCase('mobilenet_ssd');
  if (!dir) return t.skip('the shared conformance corpus is absent');
  const p = await session.openPage();
  const { page } = p;
  await page.setInputFiles('#file-input', [path.join(dir, 'model.table')]);
  assert.match(await page.textContent('#file-list'), /calibration table, waiting for model\.param/);
  await page.setInputFiles('#file-input', ['model.param', 'model.bin'].map((f) => path.join(dir, f)));
  assert.equal(await page.locator('#file-list li').count(), 3, 'the table is still in the list');
  assert.match(await page.textContent('#drop-notice'), /model\.table \(added before\) is kept for the new model/);
  await page.waitForSelector('#table-fit');
  assert.match(await page.textContent('#table-fit'), /model\.table fits model\.param: all 47 layers/);
  assert.match(await page.textContent('#status'), /Ready to quantize model\.param \+ model\.bin with model\.table/);

  await runExpectingSuccess(page, '#quantize-button');
  const param = await download(page, '#download-param');
  const bin = await download(page, '#download-bin');
  assert.ok(param.bytes.equals(fs.readFileSync(path.join(dir, 'expected.param'))), '.param differs from expected.param');
  assert.ok(bin.bytes.equals(fs.readFileSync(path.join(dir, 'expected.bin'))), '.bin differs from expected.bin');
  const report = JSON.parse((await download(page, '#download-report')).bytes.toString('utf8'));
  assert.equal(report.totals.int8, 47);
  checkClean(p);
  await p.context.close();
});

test('(A) a new pair replaces the old one and keeps the table, checked against the new model; a run without the removed table says so', async (t) => {
  const dir = conformanceCase('mobilenet_ssd');
  const other = conformanceCase('squeezenet');
  if (!dir || !other) return t.skip('the shared conformance corpus is absent');
  const p = await session.openPage();
  const { page } = p;
  await page.setInputFiles('#file-input', ['model.param', 'model.bin', 'model.table'].map((f) => path.join(dir, f)));
  await page.setInputFiles('#file-input', [fileOf(other, 'model.param', 'other.param'), fileOf(other, 'model.bin', 'other.bin')]);
  const names = await page.locator('#file-list .file-name').allTextContents();
  assert.deepEqual(names, ['model.table', 'other.param', 'other.bin']);
  assert.match(await page.textContent('#drop-notice'), /model\.param and model\.bin replaced by the new model/);
  await page.waitForSelector('#table-fit.problem');
  assert.match(await page.textContent('#table-fit'), /model\.table partly fits other\.param: \d+ of the 47 layers it has scales for are not in the model/);

  // Removing the table: the page says loudly that the run goes without one.
  await page.click('button[aria-label="Remove model.table"]');
  assert.equal(await page.isVisible('#table-note.loud'), true);
  assert.match(await page.textContent('#table-note'), /model\.table was removed: this run will not use a table/);
  assert.match(await page.textContent('#status'), /WITHOUT a table \(model\.table was removed\)/);
  await runExpectingSuccess(page, '#quantize-button');
  assert.match(await page.textContent('#warnings'), /Quantized without a table: model\.table was removed before this run/);
  assert.match(await page.textContent('#status'), /other-int8\.bin/);
  checkClean(p);
  await p.context.close();
});

test('(G) labels: a lone .bin waits for its .param; files dropped during a run are refused and said so', async () => {
  const p = await session.openPage();
  const { page } = p;
  await page.setInputFiles('#file-input', [fileOf(sampleDir, 'model.bin')]);
  assert.equal(await page.textContent('#file-list .file-kind'), 'weights, waiting for model.param');
  assert.doesNotMatch(await page.textContent('#file-list'), /not used/);
  await page.setInputFiles('#file-input', [fileOf(sampleDir, 'model.param'), fileOf(sampleDir, 'model.table')]);
  assert.equal(await page.isDisabled('#quantize-button'), false);

  // Click Quantize and drop a file in the same task: the run is certainly on.
  const during = await page.evaluate(() => {
    document.getElementById('quantize-button').click();
    const dt = new DataTransfer();
    dt.items.add(new File(['x'], 'late.table'));
    document.getElementById('dropzone').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    return {
      state: document.body.dataset.state,
      focus: document.activeElement.id,
      notice: document.getElementById('drop-notice')?.textContent ?? '',
      files: [...document.querySelectorAll('#file-list .file-name')].map((e) => e.textContent),
    };
  });
  assert.equal(during.state, 'running');
  assert.equal(during.focus, 'cancel-button', '(E) focus moves to Cancel when the run starts');
  assert.match(during.notice, /Not added: late\.table\. A model is being quantized/);
  assert.deepEqual(during.files, ['model.bin', 'model.param', 'model.table']);
  await page.waitForFunction(() => document.body.dataset.state === 'done');
  assert.match(await page.textContent('#drop-notice'), /Not added: late\.table/, 'the refusal stays in view after the run');

  // After the run, a drop is taken again.
  await dropFiles(page, [{ name: 'notes.txt', text: 'hi' }]);
  assert.match(await page.textContent('#file-problems'), /notes\.txt does not belong/);
  checkClean(p);
  await p.context.close();
});

test('(F) pnnx names: foo.ncnn.param/bin download as foo-int8.ncnn.param/bin and foo-int8.report.json', async () => {
  const p = await session.openPage();
  const { page } = p;
  await page.setInputFiles('#file-input', [
    fileOf(sampleDir, 'model.param', 'foo.ncnn.param'),
    fileOf(sampleDir, 'model.bin', 'foo.ncnn.bin'),
    fileOf(sampleDir, 'model.table', 'foo.ncnn.table'),
  ]);
  await runExpectingSuccess(page, '#quantize-button');
  assert.equal((await download(page, '#download-param')).name, 'foo-int8.ncnn.param');
  assert.equal((await download(page, '#download-bin')).name, 'foo-int8.ncnn.bin');
  assert.equal((await download(page, '#download-report')).name, 'foo-int8.report.json');
  assert.match(await page.textContent('#status'), /Done: foo-int8\.ncnn\.bin/);
  checkClean(p);
  await p.context.close();
});
