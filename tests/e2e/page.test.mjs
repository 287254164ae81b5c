// End-to-end tests of the web page in Debian's Chromium, against the real
// WebAssembly build: conformance case byte for byte, the sample, core errors
// and recovery, file pairing messages, and screenshots of the result view.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  root,
  conformanceDir,
  resultsDir,
  prerequisiteProblem,
  serverAndBrowser,
  clickAndWaitForRun,
  runExpectingSuccess,
  download,
} from './helpers.mjs';

const problem = prerequisiteProblem();
if (problem) throw new Error(`e2e: ${problem}`);

const session = serverAndBrowser();

function sampleFiles() {
  const dir = path.join(root, 'dist', 'sample');
  return ['model.param', 'model.bin', 'model.table'].map((name) => ({
    name,
    mimeType: 'application/octet-stream',
    buffer: fs.readFileSync(path.join(dir, name)),
  }));
}

function checkClean(t, { foreign, consoleErrors }) {
  assert.deepEqual(foreign, [], 'no request leaves the origin');
  assert.deepEqual(consoleErrors, [], 'no console errors');
}

test('(a) conformance case via the file input: downloads are byte-identical to expected.*', async (t) => {
  const cases = ['squeezenet', 'mobilenet_ssd', 'shufflenet_v2'];
  const name = cases.find((c) => fs.existsSync(path.join(conformanceDir, c, 'model.table')));
  if (!name) {
    if (process.env.CI === 'true') throw new Error(`${conformanceDir} is absent (CI=true): no conformance case to compare with`);
    t.skip(`${conformanceDir} is absent: no conformance case to compare with`);
    return;
  }
  const dir = path.join(conformanceDir, name);
  const p = await session.openPage();
  const { page } = p;
  await page.setInputFiles('#file-input', ['model.param', 'model.bin', 'model.table'].map((f) => path.join(dir, f)));
  await page.waitForSelector('#quantize-button:not([disabled])');
  assert.match(await page.textContent('#status'), /Ready to quantize model\.param \+ model\.bin with model\.table/);

  const end = await runExpectingSuccess(page, '#quantize-button');
  assert.match(end.status, /Done/);

  const param = await download(page, '#download-param');
  const bin = await download(page, '#download-bin');
  const report = await download(page, '#download-report');
  assert.equal(param.name, 'model-int8.param');
  assert.equal(bin.name, 'model-int8.bin');
  assert.equal(report.name, 'model-int8.report.json');
  assert.ok(param.bytes.equals(fs.readFileSync(path.join(dir, 'expected.param'))), `${name}: .param differs from expected.param`);
  assert.ok(bin.bytes.equals(fs.readFileSync(path.join(dir, 'expected.bin'))), `${name}: .bin differs from expected.bin`);
  const json = JSON.parse(report.bytes.toString('utf8'));
  assert.equal(json.totals.bin_bytes_out, bin.bytes.length);

  // The table lists every layer, and sorting by a header works (aria-sort).
  const rows = await page.locator('#layers tbody tr').count();
  assert.equal(rows, json.layers.length);
  await page.click('#layers th[data-key="bytes_in"] button');
  assert.equal(await page.getAttribute('#layers th[data-key="bytes_in"]', 'aria-sort'), 'descending');
  const firstBytes = await page.textContent('#layers tbody tr:first-child td:nth-child(5)');
  const maxIn = Math.max(...json.layers.map((l) => l.bytes_in));
  assert.equal(Number(firstBytes.replace(/,/g, '')), maxIn);
  // keyboard: focus the Type header button and press Enter
  await page.focus('#layers th[data-key="type"] button');
  await page.keyboard.press('Enter');
  assert.equal(await page.getAttribute('#layers th[data-key="type"]', 'aria-sort'), 'ascending');
  assert.equal(await page.getAttribute('#layers th[data-key="bytes_in"]', 'aria-sort'), null);
  // the per-layer chart has a text alternative
  assert.match(await page.textContent('#layer-chart-desc'), /layers with weights, in model order/);

  await fs.promises.mkdir(resultsDir, { recursive: true });
  await page.click('#layers th[data-key="index"] button');
  await page.screenshot({ path: path.join(resultsDir, `result-${name}.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: path.join(resultsDir, `result-${name}-narrow.png`), fullPage: true });
  // narrow: the page itself does not scroll sideways; the table scrolls in its box
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `page overflows horizontally by ${overflow}px at 390px`);
  checkClean(t, p);
  await p.context.close();
});

test('(b) "Try the sample" runs the whole flow', async (t) => {
  // The page as a user gets it: with the warm-up runs at load, which end
  // before the run (a run waits for them) and without an error.
  const p = await session.openPage(undefined, { warmUp: true });
  const { page } = p;
  await page.waitForFunction(() => document.body.dataset.warm !== undefined);
  assert.deepEqual(await page.evaluate(() => [document.body.dataset.warmRuns, document.body.dataset.warmError]), ['16', undefined]);
  await runExpectingSuccess(page, '#sample-button');
  assert.equal(await page.isVisible('#results'), true);
  const bin = await download(page, '#download-bin');
  assert.equal(bin.name, 'model-int8.bin');
  assert.ok(bin.bytes.length > 0 && bin.bytes.length < fs.statSync(path.join(root, 'dist/sample/model.bin')).size);
  assert.equal(await page.getAttribute('#progress', 'role'), 'progressbar');
  assert.match(await page.textContent('#summary'), /Weights \(\.bin\)/);
  await fs.promises.mkdir(resultsDir, { recursive: true });
  await page.screenshot({ path: path.join(resultsDir, 'result-sample.png'), fullPage: true });
  checkClean(t, p);
  await p.context.close();
});

test('(c) a bad table shows the core error; the next good run works', async (t) => {
  const p = await session.openPage();
  const { page } = p;
  const [param, bin, table] = sampleFiles();
  const lines = table.buffer.toString('utf8').split('\n');

  // a non-numeric scale
  const notNumber = lines.slice();
  notNumber[0] = notNumber[0].replace(/^(\S+) \S+/, '$1 abc');
  await page.setInputFiles('#file-input', [param, bin, { ...table, buffer: Buffer.from(notNumber.join('\n')) }]);
  let end = await clickAndWaitForRun(page, '#quantize-button');
  assert.equal(end.state, 'error');
  const alert = page.locator('[role=alert]');
  assert.equal(await alert.isVisible(), true);
  assert.match(await alert.textContent(), /model\.table:1: .*'abc'.*not a number/);
  assert.equal(await page.isDisabled('#quantize-button'), false, 'the page is ready again');

  // the wrong number of scales for a layer (one scale dropped from the first weight line)
  const wrongCount = lines.slice();
  wrongCount[0] = wrongCount[0].replace(/ \S+\s*$/, '');
  await page.setInputFiles('#file-input', [{ ...table, name: 'model.table', buffer: Buffer.from(wrongCount.join('\n')) }]);
  end = await clickAndWaitForRun(page, '#quantize-button');
  assert.equal(end.state, 'error');
  const layerName = lines[0].split(' ')[0].replace(/_param_0$/, '');
  assert.match(await alert.textContent(), new RegExp(`model\\.table.*${layerName}`));

  // a good table afterwards
  await page.setInputFiles('#file-input', [table]);
  assert.equal(await page.locator('#file-list li').count(), 3, 'the new table replaced the bad one');
  end = await runExpectingSuccess(page, '#quantize-button');
  assert.equal(await alert.isVisible(), false, 'the error is gone');
  assert.equal(await page.isVisible('#results'), true);
  checkClean(t, p);
  await p.context.close();
});

test('file pairing: says what is missing and what does not belong', async (t) => {
  const p = await session.openPage();
  const { page } = p;
  const [param, bin, table] = sampleFiles();
  await page.setInputFiles('#file-input', [param]);
  assert.match(await page.textContent('#status'), /Drop model\.bin to go on/);
  assert.equal(await page.isDisabled('#quantize-button'), true);

  await page.setInputFiles('#file-input', [{ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hi') }]);
  assert.match(await page.textContent('#file-problems'), /notes\.txt does not belong/);

  await page.setInputFiles('#file-input', [{ ...param, name: 'other.param' }]);
  assert.match(await page.textContent('#file-problems'), /2 \.param files \(model\.param, other\.param\) without their \.bin/);

  await page.click('button[aria-label="Remove other.param"]');
  await page.click('button[aria-label="Remove notes.txt"]');
  await page.setInputFiles('#file-input', [bin]);
  assert.equal(await page.isDisabled('#quantize-button'), false);
  assert.equal(await page.isVisible('#table-note'), true, 'explains what happens without a table');
  assert.match(await page.textContent('#table-note'), /only Gemm and SDPA/);
  await page.setInputFiles('#file-input', [table]);
  assert.equal(await page.isVisible('#table-note'), false);
  assert.match(await page.textContent('#status'), /with model\.table/);
  checkClean(t, p);
  await p.context.close();
});
