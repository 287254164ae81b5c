// calibrate() in a real browser (Debian's chromium through playwright-core),
// on the committed fixtures of tests/bad_inputs/calib/base: in a
// cross-origin isolated page (COOP/COEP sent) the threads build runs on the
// page's main thread with the inputs as Files; without isolation the
// single-thread build runs in a module worker (Files read with
// FileReaderSync). Both tables must equal the one calibrate() makes in Node
// (itself checked against the native CLI in calib.test.mjs).
// Skipped when chromium or playwright-core is missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { calibrate } from '../../js/index.js';
import { startServer } from '../e2e/helpers.mjs';
import { ROOT, tempDir } from './_helpers.mjs';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
let playwright = null;
try {
  playwright = await import('playwright-core');
} catch {}
const skip = (!CHROMIUM && 'chromium not installed') || (!playwright && 'playwright-core not installed (npm ci)');
const BASE = path.join(ROOT, 'tests/bad_inputs/calib/base');
const OPTIONS = { mean: [104, 117, 123], norm: [0.017, 0.017, 0.017], shape: [8, 6, 3], pixel: 'BGR', thread: 2 };

const RUN = `
import { calibrate } from '/js/index.js';
const OPTIONS = ${JSON.stringify(OPTIONS)};
async function file(f) {
  const b = await (await fetch('/base/' + f)).blob();
  return new File([b], f);
}
async function run() {
  const list = (await (await fetch('/base/list.txt')).text()).split('\\n').filter(Boolean);
  const inputs = [await Promise.all(list.map(file))];
  const progress = [];
  try {
    const r = await calibrate({ param: await file('model.param'), bin: await file('model.bin'), inputs, options: OPTIONS,
                                onProgress: (p) => void progress.push(p.stage + ' ' + p.done + '/' + p.total + ' ' + p.name) });
    return { tableText: r.tableText, threads: r.report.threads, progress, isolated: self.crossOriginIsolated === true };
  } catch (e) {
    return { error: e.message, code: e.code };
  }
}
`;
// The test page (its script a file: the server's CSP allows no inline script) and worker.
const PAGE_HTML = '<!doctype html><meta charset="utf-8"><script type="module" src="/__test__/page.mjs"></script>';
const PAGE = `${RUN}
window.runInPage = run;
window.runInWorker = () => new Promise((resolve) => {
  const w = new Worker('/__test__/worker.mjs', { type: 'module' });
  w.onmessage = (e) => { w.terminate(); resolve(e.data); };
  w.onerror = (e) => resolve({ error: 'worker failed: ' + e.message });
});
window.ready = true;
`;
const WORKER = `${RUN}
self.postMessage(await run());
`;

// tools/serve.mjs, with or without the COOP/COEP headers, with the test
// page and the fixtures mounted beside the package.
function serve(t, isolated) {
  const dir = tempDir(t);
  fs.writeFileSync(path.join(dir, 'index.html'), PAGE_HTML);
  fs.writeFileSync(path.join(dir, 'page.mjs'), PAGE);
  fs.writeFileSync(path.join(dir, 'worker.mjs'), WORKER);
  return startServer({ mounts: { '/__test__/': dir, '/base/': BASE }, isolated });
}

async function expectedTable() {
  const list = fs.readFileSync(path.join(BASE, 'list.txt'), 'utf8').split('\n').filter(Boolean);
  const r = await calibrate({
    param: fs.readFileSync(path.join(BASE, 'model.param')),
    bin: fs.readFileSync(path.join(BASE, 'model.bin')),
    inputs: [list.map((f) => path.join(BASE, f))],
    options: OPTIONS,
  });
  return r.tableText;
}

async function openPage(t, isolated) {
  const server = await serve(t, isolated);
  t.after(() => server.stop());
  const browser = await playwright.chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  t.after(() => browser.close());
  const page = await browser.newPage();
  const logs = [];
  page.on('console', (m) => logs.push(m.text()));
  page.on('pageerror', (e) => logs.push(String(e)));
  await page.goto(`${server.url}/__test__/index.html`);
  await page.waitForFunction(() => window.ready === true, null, { timeout: 60000 });
  return { page, logs };
}

test('in chromium, cross-origin isolated: the threads build on the main thread', { skip, timeout: 300000 }, async (t) => {
  const expected = await expectedTable();
  const { page, logs } = await openPage(t, true);
  const r = await page.evaluate(() => window.runInPage());
  assert.equal(r.error, undefined, `${r.error} ${logs.join('\n')}`);
  assert.equal(r.isolated, true);
  assert.equal(r.threads, 2, 'two threads ran');
  assert.equal(r.tableText, expected);
  assert.ok(r.progress.length >= 2, r.progress.join('\n'));
});

test('in chromium, not isolated: the single-thread build in a worker', { skip, timeout: 300000 }, async (t) => {
  const expected = await expectedTable();
  const { page, logs } = await openPage(t, false);
  const r = await page.evaluate(() => window.runInWorker());
  assert.equal(r.error, undefined, `${r.error} ${logs.join('\n')}`);
  assert.equal(r.isolated, false);
  assert.equal(r.threads, 1, 'one thread without SharedArrayBuffer');
  assert.equal(r.tableText, expected);
});
