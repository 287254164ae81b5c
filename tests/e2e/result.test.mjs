// The result view in Chromium at 1280x900 and 390x844: the at-a-glance
// summary, grouped warnings, the worst layers, the per-layer chart (pointer
// and keyboard), table sorting (blanks last, natural names), width use,
// focus after errors, touch targets and order on a phone, and what the page
// says when its script does not load. Screenshots go to test-results/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  root,
  resultsDir,
  prerequisiteProblem,
  serverAndBrowser,
  runExpectingSuccess,
  clickAndWaitForRun,
  download,
  conformanceCase,
} from './helpers.mjs';
import { naturalCompare } from '../../web/format.js';

const problem = prerequisiteProblem();
if (problem) throw new Error(`e2e: ${problem}`);

const session = serverAndBrowser();
const WIDE = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

function checkClean({ foreign, consoleErrors }) {
  assert.deepEqual(foreign, [], 'no request leaves the origin');
  assert.deepEqual(consoleErrors, [], 'no console errors');
}

async function shot(page, name, fullPage = true) {
  await fs.promises.mkdir(resultsDir, { recursive: true });
  await page.screenshot({ path: path.join(resultsDir, name), fullPage });
}

async function quantizeCase(page, dir) {
  await page.setInputFiles('#file-input', ['model.param', 'model.bin', 'model.table'].map((f) => path.join(dir, f)));
  await runExpectingSuccess(page, '#quantize-button');
  focusAfterRun = await page.evaluate(() => document.activeElement.id);
  return JSON.parse((await download(page, '#download-report')).bytes.toString('utf8'));
}

let focusAfterRun = null;
const column = (page, n) => page.locator(`#layers tbody tr td:nth-child(${n})`).allTextContents();

test('(H, I, B, C, D) mobilenet_ssd at 1280x900: summary, grouped warnings, chart, sorting, no sideways scroll', async (t) => {
  const dir = conformanceCase('mobilenet_ssd');
  if (!dir) return t.skip('the shared conformance corpus is absent');
  const p = await session.openPage(WIDE);
  const { page } = p;
  const report = await quantizeCase(page, dir);
  assert.equal(focusAfterRun, 'download-param', '(E) focus goes to the first download');

  // I: size before/after and the share of weights now int8
  assert.match(await page.textContent('#summary'), /22\.1 MiB → 5\.61 MiB \(25\.4% of the original\)/);
  const total = report.layers.reduce((a, l) => a + l.bytes_in, 0);
  const int8 = report.layers.filter((l) => l.action === 'int8').reduce((a, l) => a + l.bytes_in, 0);
  assert.equal(await page.textContent('#summary-int8-share'), `${((100 * int8) / total).toFixed(1)}%`);

  // H: 30 "input scale is 0" warnings are one line with the count; the layers are one click away
  assert.equal(report.warnings.length, 30, 'the report keeps each warning');
  assert.equal(await page.textContent('#warnings h3'), '30 warnings of 1 kind');
  assert.equal(await page.locator('#warnings-list > li').count(), 1);
  const group = page.locator('#warnings-list > li.warning-group');
  assert.match(await group.locator('summary').textContent(), /^30× input scale is 0/);
  assert.equal(await group.locator('.warning-places li').first().isVisible(), false, 'collapsed at first');
  await group.locator('summary').click();
  assert.equal(await group.locator('.warning-places li').count(), 30);
  assert.match(await group.locator('.warning-places li').first().textContent(), /ConvolutionDepthWise 'conv9\/dw', model\.table:65/);

  // I: the worst layers by SQNR, lowest first, with why
  const measured = report.layers.filter((l) => l.sqnr_db > 0 && l.sqnr_db < 999).sort((a, b) => a.sqnr_db - b.sqnr_db);
  const worst = await page.locator('#worst .worst-list li .layer-link').allTextContents();
  assert.deepEqual(worst, measured.slice(0, 3).map((l) => l.name));
  assert.match(await page.textContent('#worst .worst-list li .why'), /median/);

  // I: the per-layer chart, pointer and keyboard, with a text alternative
  const withWeights = report.layers.filter((l) => l.bytes_in > 0);
  assert.match(await page.textContent('#layer-chart-desc'), new RegExp(`^${withWeights.length} layers with weights, in model order`));
  const plot = page.locator('.chart-plot');
  await plot.scrollIntoViewIfNeeded();
  const box = await plot.boundingBox();
  await page.mouse.move(box.x + box.width - 12, box.y + box.height / 2);
  assert.match(await page.textContent('#layer-chart-tip'), new RegExp(`^#\\d+ ${withWeights.at(-1).name} `), 'hovering the last column');
  await plot.focus();
  await page.keyboard.press('Home');
  assert.match(await plot.getAttribute('aria-valuetext'), new RegExp(`^#\\d+ ${withWeights[0].name} \\(`));
  await page.keyboard.press('ArrowRight');
  assert.equal(await plot.getAttribute('aria-valuenow'), '2');
  await page.keyboard.press('Enter');
  const picked = report.layers.indexOf(withWeights[1]) + 1;
  assert.equal(await page.evaluate(() => document.activeElement.id), `layer-row-${picked}`, 'Enter shows the layer in the table');
  await shot(page, 'result-mobilenet_ssd-1280.png');

  // B: SQNR, worst first on the first click; blanks last in both directions
  const blanks = report.layers.filter((l) => !(l.sqnr_db > 0)).length;
  assert.ok(blanks > 0);
  await page.click('#layers th[data-key="sqnr_db"] button');
  assert.equal(await page.getAttribute('#layers th[data-key="sqnr_db"]', 'aria-sort'), 'ascending');
  for (const dirn of ['ascending', 'descending']) {
    const sq = await column(page, 7);
    const values = sq.slice(0, sq.length - blanks).map(Number);
    assert.ok(values.every((v) => v > 0), `${dirn}: every value comes before the blanks`);
    assert.deepEqual(sq.slice(sq.length - blanks), Array(blanks).fill(''), `${dirn}: blanks last`);
    const sorted = [...values].sort((a, b) => (dirn === 'ascending' ? a - b : b - a));
    assert.deepEqual(values, sorted);
    if (dirn === 'ascending') await page.click('#layers th[data-key="sqnr_db"] button');
  }

  // C: names in natural order (conv2 before conv10)
  await page.click('#layers th[data-key="name"] button');
  const names = await column(page, 2);
  assert.deepEqual(names, [...names].sort(naturalCompare));
  assert.ok(names.indexOf('conv2') < names.indexOf('conv10'), 'conv2 before conv10');

  // D: at 1280 px the table fits its box: every column visible without sideways scrolling
  const fit = await page.evaluate(() => {
    const box = document.querySelector('.table-scroll');
    const sq = document.querySelector('#layers th[data-key="sqnr_db"]').getBoundingClientRect();
    return { scroll: box.scrollWidth, client: box.clientWidth, sqRight: sq.right, boxRight: box.getBoundingClientRect().right, main: document.querySelector('main').clientWidth };
  });
  assert.ok(fit.scroll <= fit.client, `the table is ${fit.scroll - fit.client}px wider than its box at 1280px`);
  assert.ok(fit.sqRight <= fit.boxRight);
  assert.ok(fit.main >= 1200, `the page uses the width (main is ${fit.main}px)`);
  checkClean(p);
  await p.context.close();
});

test('(I) layers kept in float and a low SQNR are named with why (layer_zoo_a); dark mode', async (t) => {
  const dir = conformanceCase('layer_zoo_a');
  if (!dir) return t.skip('the shared conformance corpus is absent');
  const p = await session.openPage(WIDE, { colorScheme: 'dark' });
  const { page } = p;
  const report = await quantizeCase(page, dir);
  const low = report.layers.filter((l) => l.sqnr_db > 0 && l.sqnr_db < 999).sort((a, b) => a.sqnr_db - b.sqnr_db)[0];
  const first = page.locator('#worst .worst-list').first().locator('li').first();
  assert.equal(await first.locator('.layer-link').textContent(), low.name);
  assert.match(await first.locator('.why').textContent(), /dB below this model's median/);
  assert.match(await first.locator('.sqnr-value').getAttribute('class'), /band-low/);
  const skipped = report.layers.filter((l) => l.action === 'skipped');
  assert.match(await page.textContent('#worst'), new RegExp(`${skipped.length} layers kept in float`));
  assert.match(await page.textContent('#worst'), /no input scale for 'conv_fp' in the table/);
  // a link in the list shows the layer's row
  await first.locator('.layer-link').click();
  assert.equal(await page.evaluate(() => document.activeElement.id), `layer-row-${report.layers.indexOf(low) + 1}`);
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(bg, 'rgb(15, 18, 22)', 'dark colours');
  await shot(page, 'result-layer_zoo_a-dark.png');
  checkClean(p);
  await p.context.close();
});

test('(G) on a phone: downloads before warnings, 44 px targets, no sideways page scroll', async (t) => {
  const dir = conformanceCase('mobilenet_ssd');
  if (!dir) return t.skip('the shared conformance corpus is absent');
  const p = await session.openPage(PHONE);
  const { page } = p;
  await page.setInputFiles('#file-input', ['model.param', 'model.bin', 'model.table'].map((f) => path.join(dir, f)));
  await page.waitForSelector('#table-fit');
  await shot(page, 'files-phone.png', false);
  await quantizeCase(page, dir);
  await page.click('#warnings summary');
  const top = async (sel) => (await page.locator(sel).boundingBox()).y;
  assert.ok((await top('#download-report')) < (await top('#warnings')), 'the downloads come before the warnings');
  const small = await page.evaluate(() =>
    [...document.querySelectorAll('button, .button, summary, a.layer-link, label.button')]
      .filter((e) => e.offsetParent !== null && !e.closest('.visually-hidden'))
      .map((e) => ({ e, r: e.getBoundingClientRect() }))
      .filter(({ r }) => r.width > 0 && (r.width < 44 || r.height < 44))
      .map(({ e, r }) => `${e.id || e.getAttribute('aria-label') || e.textContent.trim().slice(0, 30)}: ${Math.round(r.width)}x${Math.round(r.height)}`));
  assert.deepEqual(small, [], 'targets smaller than 44x44 px');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `page overflows horizontally by ${overflow}px at 390px`);
  await shot(page, 'result-mobilenet_ssd-phone.png');
  checkClean(p);
  await p.context.close();
});

test('(E) after an error, focus is on the error', async () => {
  const p = await session.openPage(WIDE);
  const { page } = p;
  const dir = path.join(root, 'dist', 'sample');
  const table = fs.readFileSync(path.join(dir, 'model.table'), 'utf8').replace(/^(\S+) \S+/, '$1 abc');
  await page.setInputFiles('#file-input', [
    ...['model.param', 'model.bin'].map((name) => ({ name, mimeType: 'application/octet-stream', buffer: fs.readFileSync(path.join(dir, name)) })),
    { name: 'model.table', mimeType: 'text/plain', buffer: Buffer.from(table) },
  ]);
  const end = await clickAndWaitForRun(page, '#quantize-button');
  assert.equal(end.state, 'error');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'error');
  checkClean(p);
  await p.context.close();
});

test('(G) when the page script does not load, the page does not say "Ready"', async () => {
  const p = await session.openPage(WIDE, {
    setup: (context) => context.route('**/web/app.js', (route) => route.fulfill({ status: 404, body: 'not found' })),
  });
  const { page } = p;
  await page.waitForFunction(() => document.body.dataset.state === 'broken');
  const status = await page.textContent('#status');
  assert.doesNotMatch(status, /Ready/);
  assert.match(status, /could not start/);
  assert.equal(await page.isVisible('#error'), true);
  assert.equal(await page.isDisabled('#quantize-button'), true);
  assert.equal(await page.isDisabled('#sample-button'), true);
  assert.deepEqual(p.foreign, []);
  await p.context.close();
});

test('a model of 1,500 layers: the table shows the first 1,000 of the sorted rows, and all on request', async () => {
  const n = 1500;
  const lines = ['7767517', `${n} ${n}`, 'Input data 0 1 b0'];
  for (let i = 1; i < n; i++) lines.push(`ReLU relu${i} 1 1 b${i - 1} b${i}`);
  const p = await session.openPage(WIDE);
  const { page } = p;
  await page.setInputFiles('#file-input', [
    { name: 'long.param', mimeType: 'text/plain', buffer: Buffer.from(lines.join('\n') + '\n') },
    { name: 'long.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(0) },
  ]);
  await runExpectingSuccess(page, '#quantize-button');
  assert.equal(await page.locator('#layers tbody tr').count(), 1000);
  // sorting works on every layer, not just the shown ones
  await page.click('#layers th[data-key="name"] button');
  await page.click('#layers th[data-key="name"] button');
  assert.equal(await page.getAttribute('#layers th[data-key="name"]', 'aria-sort'), 'descending');
  assert.equal(await page.textContent('#layers tbody tr:first-child td:nth-child(2)'), `relu${n - 1}`);
  const more = page.locator('button.show-all');
  assert.equal(await more.textContent(), 'Show all 1,500 layers (1,000 shown)');
  await more.click();
  assert.equal(await page.locator('#layers tbody tr').count(), n);
  assert.equal(await more.isVisible(), false);
  checkClean(p);
  await p.context.close();
});
