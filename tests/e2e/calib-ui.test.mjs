// End-to-end: the calibration section's UI in Chromium. "What the model
// sees" (previews, histograms, warnings), presets, a folder of inputs,
// Cancel, and a corrupt image named in the error with recovery (remove it,
// run again, the table then equals the native one).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { prerequisiteProblem, serverAndBrowser, tmpDir } from './helpers.mjs';
import {
  calibPrerequisite, calibCase, caseSetup, clickMakeTable, fillFields, makePng, openCalibration, runCalibration, runNativeTable, shownLists,
} from './calib-helpers.mjs';
import { download } from './helpers.mjs';

const problem = prerequisiteProblem() ?? calibPrerequisite();
if (problem) throw new Error(`e2e: ${problem}`);

const session = serverAndBrowser();

// Waits for a preview round after `before`, and for none to be due (a round
// can finish between reading the count and the change that is awaited).
async function previewsDone(page, before) {
  await page.waitForFunction((n) => Number(document.body.dataset.calibPreviews) > n && document.body.dataset.calibPreviewPending === '0', before, { timeout: 60000 });
}
const previewCount = (page) => page.evaluate(() => Number(document.body.dataset.calibPreviews));
// Where "Make the table" is: it must not move when previews land.
const buttonTop = async (page) => (await page.locator('#calib-run').boundingBox()).y;

// Sets several fields in one task (an input event each), so that no preview
// round starts between them on a slow machine.
async function fillTogether(page, values) {
  await page.evaluate((v) => {
    for (const [selector, value] of Object.entries(v)) {
      const el = document.querySelector(selector);
      el.value = value;
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }
  }, values);
}

test('the offer, presets, shape hint and what the model sees', async (t) => {
  const dir = calibCase('mobilenet_v2_he');
  if (!dir) return t.skip('no calibration corpus');
  const { page, consoleErrors, foreign } = await session.openPage();
  // No table: the note offers to make one, and the section opens on it.
  await page.setInputFiles('#file-input', [path.join(dir, 'model.param'), path.join(dir, 'model.bin')]);
  assert.equal(await page.isHidden('#calib'), true);
  await page.click('#calib-offer');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'calib-heading');
  await page.waitForSelector('#calib-files-0', { state: 'attached' });
  // The shape defaults to the Input layer's hint; the ImageNet preset is the default.
  assert.equal(await page.inputValue('#calib-shape-0'), '224,224,3');
  assert.equal(await page.inputValue('#calib-preset-0'), 'imagenet');
  const setup = caseSetup(dir);
  assert.deepEqual(
    [await page.inputValue('#calib-mean-0'), await page.inputValue('#calib-norm-0'), await page.inputValue('#calib-pixel-0')],
    [setup.perInput[0].mean, setup.perInput[0].norm, setup.perInput[0].pixel],
    'the ImageNet preset is what the case uses',
  );
  // Caffe preset: its values; editing a field makes it custom.
  await page.selectOption('#calib-preset-0', 'caffe');
  assert.equal(await page.inputValue('#calib-mean-0'), '104,117,123');
  assert.equal(await page.inputValue('#calib-pixel-0'), 'BGR');
  await page.selectOption('#calib-preset-0', 'imagenet');

  // The previews take their size as soon as the inputs are listed, so
  // "Make the table" below them does not move when they land, nor when a
  // new round over the same inputs redraws them.
  let n = await previewCount(page);
  await page.setInputFiles('#calib-files-0', setup.lists[0].slice(0, 5));
  const listedAt = await buttonTop(page);
  await previewsDone(page, n);
  assert.equal(await buttonTop(page), listedAt, 'the button moved when the previews landed');
  n = await previewCount(page);
  await page.setInputFiles('#calib-files-0', setup.lists[0].slice(0, 2)); // the same files again: a new round
  assert.equal(await buttonTop(page), listedAt, 'the button moved when a new round started');
  await previewsDone(page, n);
  assert.equal(await buttonTop(page), listedAt, 'the button moved when the new round landed');
  // Three previews, each an image per channel plus colour, a histogram, the range.
  assert.equal(await page.locator('#calib-previews-0 .preview').count(), 3);
  assert.equal(await page.locator('#calib-previews-0 .preview').first().locator('canvas').count(), 4);
  assert.equal(await page.locator('#calib-previews-0 .preview svg.tensor-hist').count(), 3);
  const stats = await page.textContent('#calib-previews-0 .preview .preview-stats');
  assert.match(stats, /^224×224×3 · min -?\d/);
  const [min, max] = /min (\S+) · max (\S+)/.exec(stats).slice(1).map(Number);
  assert.ok(min >= -2.2 && max <= 2.7 && max > min, `ImageNet range expected, got ${stats}`);
  assert.equal(await page.locator('#calib-previews-0 .preview-warnings').count(), 0, 'photos preprocessed right raise no warning');

  // norm 0: said at the field, the channel is zeros in the preview, the run is refused by the core.
  n = await previewCount(page);
  await page.fill('#calib-norm-0', '0.01712475,0,0.01742919');
  await previewsDone(page, n);
  assert.equal(await page.inputValue('#calib-preset-0'), 'custom');
  assert.match(await page.textContent('#calib-notes-0'), /norm has a 0 \(channel 2\)/);
  const previewText = await page.textContent('#calib-previews-0');
  assert.match(previewText, /Channel 2 is all zeros|norm/);

  // No norm at all (0..255): far from what any preset gives.
  n = await previewCount(page);
  await fillTogether(page, { '#calib-mean-0': '0,0,0', '#calib-norm-0': '1,1,1' });
  await previewsDone(page, n);
  assert.match(await page.textContent('#calib-previews-0'), /far beyond what any preset gives/);

  // An all-black image: every value 0 with mean 0; a half-white half-black one: saturated.
  const work = tmpDir('calib-ui-');
  fs.writeFileSync(path.join(work, 'a_black.png'), makePng(32, 32, () => [0, 0, 0]));
  fs.writeFileSync(path.join(work, 'b_split.png'), makePng(32, 32, (x) => (x < 16 ? [0, 0, 0] : [255, 255, 255])));
  await page.click('#calib-clear-0');
  n = await previewCount(page);
  await page.setInputFiles('#calib-files-0', [path.join(work, 'a_black.png'), path.join(work, 'b_split.png')]);
  await previewsDone(page, n);
  const codes = await page.$$eval('#calib-previews-0 .preview', (ps) => ps.map((p) => [...p.querySelectorAll('.preview-warnings li')].map((li) => li.dataset.code)));
  assert.ok(codes[0].includes('all-zero'), `black image: ${codes[0]}`);
  assert.ok(codes[1].includes('saturated'), `split image: ${codes[1]}`);
  assert.deepEqual(foreign, []);
  assert.deepEqual(consoleErrors, []);
});

test('.npy inputs: their previews take their size from the shape field before they land', async (t) => {
  const dir = calibCase('oww_hello_deepa');
  if (!dir) return t.skip('no calibration corpus');
  const { page, consoleErrors, foreign } = await session.openPage();
  await openCalibration(page, dir);
  const setup = caseSetup(dir);
  await fillFields(page, 0, setup.perInput[0], setup.type);
  const n = await previewCount(page);
  await page.setInputFiles('#calib-files-0', setup.lists[0].slice(0, 3));
  const listedAt = await buttonTop(page);
  await previewsDone(page, n);
  assert.equal(await buttonTop(page), listedAt, 'the button moved when the previews landed');
  assert.equal(await page.locator('#calib-previews-0 .preview:not(.pending)').count(), 3);
  assert.match(await page.textContent('#calib-previews-0 .preview .preview-stats'), /^96×25×1 · /);
  assert.deepEqual(foreign, []);
  assert.deepEqual(consoleErrors, []);
});

test('a folder of inputs: images kept in name order, other files named and left out', async (t) => {
  const dir = calibCase('squeezenet_he');
  if (!dir) return t.skip('no calibration corpus');
  const { page } = await session.openPage();
  await openCalibration(page, dir);
  const work = tmpDir('calib-folder-');
  const folder = path.join(work, 'photos');
  fs.mkdirSync(folder);
  const lists = caseSetup(dir).lists[0];
  for (const [i, src] of [[10, lists[0]], [2, lists[1]], [1, lists[2]]]) fs.copyFileSync(src, path.join(folder, `img${i}.png`));
  fs.writeFileSync(path.join(folder, 'notes.txt'), 'not an image');
  await page.setInputFiles('#calib-folder-0', folder);
  await page.waitForFunction(() => document.querySelectorAll('#calib-list-0 li').length === 3);
  assert.deepEqual((await shownLists(page, 1))[0], ['photos/img1.png', 'photos/img2.png', 'photos/img10.png']);
  assert.match(await page.textContent('#calib-count-0'), /3 inputs .* Not used \(not an image or \.npy\): photos\/notes\.txt/);
  // Files dropped on the input's zone join its list, not the model's files.
  const png = makePng(8, 8, (x, y) => [x * 30, y * 30, 128]).toString('base64');
  await page.evaluate((b64) => {
    const bytes = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([bytes], 'dropped.png', { type: 'image/png' }));
    const zone = document.querySelector('.calib-drop');
    for (const type of ['dragenter', 'dragover', 'drop']) zone.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, png);
  await page.waitForFunction(() => document.querySelectorAll('#calib-list-0 li').length === 4);
  assert.deepEqual((await shownLists(page, 1))[0], ['dropped.png', 'photos/img1.png', 'photos/img2.png', 'photos/img10.png']);
  assert.equal(await page.locator('#file-list li').count(), 2, 'the model keeps its two files');
});

test('Cancel stops a run; the next run makes the native table', async (t) => {
  const dir = calibCase('mobilenet_v2_he');
  if (!dir) return t.skip('no calibration corpus');
  const { page, consoleErrors } = await session.openPage();
  const setup = caseSetup(dir);
  await openCalibration(page, dir);
  await page.setInputFiles('#calib-files-0', setup.lists[0]);
  await fillFields(page, 0, setup.perInput[0], 0);
  await page.waitForSelector('#calib-run:not([disabled])');
  const before = await clickMakeTable(page);
  // A run longer than a moment shows its progress and takes the focus to Cancel.
  await page.waitForFunction((n) => (document.activeElement.id === 'calib-cancel' && !document.getElementById('calib-progress-wrap').hidden) || Number(document.body.dataset.calibRunsEnded) > n, before);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'calib-cancel', 'the run ended before it showed its progress');
  // Once the bar has moved (under way, not finished), Cancel in the same task.
  const seen = await page.evaluate(() => new Promise((resolve) => {
    const bar = document.getElementById('calib-progress');
    const check = () => {
      const now = Number(bar.getAttribute('aria-valuenow'));
      if (document.body.dataset.calibState !== 'running') return resolve({ finished: true });
      if (now > 0 && now < 100) {
        const label = document.getElementById('calib-progress-label').textContent;
        document.getElementById('calib-cancel').click();
        return resolve({ finished: false, now, label });
      }
      requestAnimationFrame(check);
    };
    check();
  }));
  assert.equal(seen.finished, false, 'the run ended before it could be cancelled');
  assert.match(seen.label, /input \d+ of 32|inputs/, seen.label);
  await page.waitForFunction((n) => Number(document.body.dataset.calibRunsEnded) > n, before);
  assert.equal(await page.evaluate(() => document.body.dataset.calibState), 'idle');
  assert.match(await page.textContent('#calib-status'), /Cancelled/);
  assert.equal(await page.isHidden('#calib-results'), true);
  assert.equal(await page.isHidden('#calib-progress-wrap'), true);
  // The page works again: a smaller run, checked against the native tool.
  await page.click('#calib-clear-0');
  await page.setInputFiles('#calib-files-0', setup.lists[0].slice(0, 4));
  const order = (await shownLists(page, 1)).map((names) => names.map((nm) => path.join(dir, 'inputs', nm)));
  const end = await runCalibration(page);
  assert.equal(end.state, 'done', end.error ?? end.status);
  const table = (await download(page, '#calib-download-table')).bytes;
  const native = runNativeTable(dir, order, { method: 'kl' });
  assert.ok(table.equals(native.table), 'table after Cancel differs from the native one');
  assert.deepEqual(consoleErrors, []);
});

test('a corrupt image is named in the error; removing it and running again works', async (t) => {
  const dir = calibCase('squeezenet_he');
  if (!dir) return t.skip('no calibration corpus');
  const { page, consoleErrors } = await session.openPage();
  const setup = caseSetup(dir);
  await openCalibration(page, dir);
  const work = tmpDir('calib-bad-');
  const bad = path.join(work, 'broken_photo.png');
  fs.writeFileSync(bad, fs.readFileSync(setup.lists[0][0]).subarray(0, 300)); // a truncated PNG
  const good = setup.lists[0].slice(0, 5);
  await page.setInputFiles('#calib-files-0', [...good, bad]);
  await fillFields(page, 0, setup.perInput[0], 0);
  await page.selectOption('#calib-method', 'aciq');
  const end = await runCalibration(page);
  assert.equal(end.state, 'error');
  assert.match(end.error, /broken_photo\.png/);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'calib-error');
  assert.equal(await page.isHidden('#calib-results'), true);
  // Recovery: the error offers to remove the file; then the run succeeds.
  await page.click('#calib-remove-culprit');
  assert.deepEqual((await shownLists(page, 1))[0], good.map((p) => path.basename(p)));
  const again = await runCalibration(page);
  assert.equal(again.state, 'done', again.error ?? again.status);
  const table = (await download(page, '#calib-download-table')).bytes;
  const order = (await shownLists(page, 1)).map((names) => names.map((nm) => path.join(dir, 'inputs', nm)));
  const native = runNativeTable(dir, order, { method: 'aciq' });
  assert.ok(table.equals(native.table), 'table after recovery differs from the native one');
  // The chart reads a layer out from the keyboard; Enter shows it in the table.
  await page.focus('#calib-chart-plot');
  await page.keyboard.press('End');
  assert.match(await page.getAttribute('#calib-chart-plot', 'aria-valuetext'), /^#26 conv10: max /);
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'calib-row-26');
  assert.deepEqual(consoleErrors, []);
});
