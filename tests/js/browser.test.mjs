// The package in a real browser (Debian's chromium through playwright-core):
// quantize() in a module worker (bin as a File, read with FileReaderSync) and
// on the page's main thread; outputs compared with the reference's.
// Skipped when chromium or playwright-core is missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { CONFORMANCE, ROOT, noConformance } from './_helpers.mjs';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
let playwright = null;
try {
  playwright = await import('playwright-core');
} catch {}
const skip = noConformance || (!CHROMIUM && 'chromium not installed') || (!playwright && 'playwright-core not installed (npm ci)');

const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };

const PAGE = `<!doctype html><meta charset="utf-8"><script type="module">
import { quantize } from '/js/index.js';
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
</script>`;

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

function serve() {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    let file = null;
    let body = null;
    if (url.pathname === '/__test__/index.html') body = PAGE;
    else if (url.pathname === '/__test__/worker.mjs') body = WORKER;
    else if (url.pathname.startsWith('/conformance/')) file = path.join(CONFORMANCE, url.pathname.slice('/conformance/'.length));
    else if (url.pathname.startsWith('/js/') || url.pathname.startsWith('/dist/')) file = path.join(ROOT, url.pathname);
    const type = TYPES[path.extname(url.pathname)] ?? 'application/octet-stream';
    if (body !== null) {
      res.writeHead(200, { 'content-type': type });
      return res.end(body);
    }
    if (!file || file.includes('..') || !fs.existsSync(file)) {
      res.writeHead(404);
      return res.end();
    }
    res.writeHead(200, { 'content-type': type });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function expected(name) {
  const line = fs.readFileSync(path.join(CONFORMANCE, 'MANIFEST.tsv'), 'utf8').split('\n').find((l) => l.startsWith(name + '\t'));
  const cols = line.split('\t');
  return { param: cols[4], bin: cols[5] };
}

test('in chromium: module worker and main thread', { skip, timeout: 120000 }, async (t) => {
  const server = await serve();
  t.after(() => server.close());
  const browser = await playwright.chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  t.after(() => browser.close());
  const page = await browser.newPage();
  const logs = [];
  page.on('console', (m) => logs.push(m.text()));
  page.on('pageerror', (e) => logs.push(String(e)));
  await page.goto(`http://127.0.0.1:${server.address().port}/__test__/index.html`);
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
