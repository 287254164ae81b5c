// The package in a real browser (Debian's chromium through playwright-core):
// quantize() in a module worker (bin as a File, read with FileReaderSync) and
// on the page's main thread; outputs compared with the reference's.
// Skipped when chromium or playwright-core is missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer } from '../e2e/helpers.mjs';
import { CONFORMANCE, noConformance, tempDir } from './_helpers.mjs';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
let playwright = null;
try {
  playwright = await import('playwright-core');
} catch {}
const skip = noConformance || (!CHROMIUM && 'chromium not installed') || (!playwright && 'playwright-core not installed (npm ci)');

// The test page (its script a file: the server's CSP allows no inline script) and worker.
const PAGE_HTML = '<!doctype html><meta charset="utf-8"><script type="module" src="/__test__/page.mjs"></script>';
const PAGE = `import { quantize } from '/js/index.js';
async function hex(bytes) {
  return [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
}
window.runInPage = async (name) => {
  const get = async (f) => new Uint8Array(await (await fetch('/conformance/cases/' + name + '/' + f)).arrayBuffer());
  const r = await quantize({ param: await get('model.param'), bin: await get('model.bin'), table: await get('model.table') });
  return { param: await hex(r.paramBytes), bin: await hex(r.bin), target: r.report.simd_target };
};
window.runInWorker = (name, opts = {}) => new Promise((resolve) => {
  const w = new Worker('/__test__/worker.mjs', { type: 'module' });
  const progress = [];
  w.onmessage = (e) => {
    if (e.data.type === 'progress') progress.push(e.data.p);
    else { w.terminate(); resolve({ ...e.data, progressCount: progress.length, lastProgress: progress.at(-1) }); }
  };
  w.onerror = (e) => resolve({ type: 'error', message: 'worker failed: ' + e.message });
  w.postMessage({ name, ...opts });
});
window.ready = true;
`;

const WORKER = `import { quantize } from '/js/index.js';
async function hex(bytes) {
  return [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
}
self.onmessage = async (e) => {
  const { name, truncate } = e.data;
  const file = async (f) => { const b = await (await fetch('/conformance/cases/' + name + '/' + f)).blob(); return new File([b], f); };
  try {
    let bin = await file('model.bin');
    if (truncate) bin = new File([bin.slice(0, bin.size - truncate)], 'cut.bin');
    const r = await quantize({ param: await file('model.param'), bin, table: await file('model.table'),
                               onProgress: (p) => self.postMessage({ type: 'progress', p }) });
    self.postMessage({ type: 'result', param: await hex(r.paramBytes), bin: await hex(r.bin), target: r.report.simd_target,
                       fileReaderSync: typeof FileReaderSync === 'function' });
  } catch (err) {
    self.postMessage({ type: 'error', name: err.name, message: err.message });
  }
};`;

// tools/serve.mjs (not cross-origin isolated, as a plain host) with the
// test page and the conformance corpus mounted beside the package.
function serve(t) {
  const dir = tempDir(t);
  fs.writeFileSync(path.join(dir, 'index.html'), PAGE_HTML);
  fs.writeFileSync(path.join(dir, 'page.mjs'), PAGE);
  fs.writeFileSync(path.join(dir, 'worker.mjs'), WORKER);
  return startServer({ mounts: { '/__test__/': dir, '/conformance/': CONFORMANCE }, isolated: false });
}

function expected(name) {
  const line = fs.readFileSync(path.join(CONFORMANCE, 'MANIFEST.tsv'), 'utf8').split('\n').find((l) => l.startsWith(name + '\t'));
  const cols = line.split('\t');
  return { param: cols[4], bin: cols[5] };
}

test('in chromium: module worker and main thread', { skip, timeout: 120000 }, async (t) => {
  const server = await serve(t);
  t.after(() => server.stop());
  const browser = await playwright.chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  t.after(() => browser.close());
  const page = await browser.newPage();
  const logs = [];
  page.on('console', (m) => logs.push(m.text()));
  page.on('pageerror', (e) => logs.push(String(e)));
  await page.goto(`${server.url}/__test__/index.html`);
  await page.waitForFunction(() => window.ready === true, null, { timeout: 30000 });

  for (const name of ['squeezenet', 'mobilenet_v3']) {
    const w = await page.evaluate((n) => window.runInWorker(n), name);
    assert.equal(w.type, 'result', `${w.message ?? ''} ${logs.join('\n')}`);
    assert.equal(w.fileReaderSync, true);
    assert.equal(w.target, 'WASM');
    assert.deepEqual({ param: w.param, bin: w.bin }, expected(name), `${name} in a worker`);
    assert.ok(w.progressCount > 0 && w.lastProgress.bytesDone === w.lastProgress.bytesTotal);
  }
  const cut = await page.evaluate(() => window.runInWorker('squeezenet', { truncate: 1000 }));
  assert.equal(cut.type, 'error');
  assert.match(cut.message, /^cut\.bin: truncated: /);

  const m = await page.evaluate(() => window.runInPage('squeezenet'));
  assert.deepEqual({ param: m.param, bin: m.bin }, expected('squeezenet'), 'on the main thread');
});
