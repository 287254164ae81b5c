// Shared by the end-to-end tests: starts tools/serve.mjs on a free loopback
// port and Debian's Chromium through playwright-core.
import { before, after } from 'node:test';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const conformanceDir = path.resolve(root, '..', 'shared', 'conformance', 'cases');
export const resultsDir = path.join(root, 'test-results');

// The folder of a conformance case, or null when the shared corpus is absent
// (an error under CI=true, where it must be there).
export function conformanceCase(name) {
  const dir = path.join(conformanceDir, name);
  if (fs.existsSync(path.join(dir, 'model.param'))) return dir;
  if (process.env.CI === 'true') throw new Error(`${dir} is missing (CI=true): the shared conformance corpus must be there`);
  return null;
}

// Why the suite cannot run here, or null.
export function prerequisiteProblem() {
  if (!fs.existsSync(chromiumPath)) return `${chromiumPath} is missing (tools/setup.sh installs Debian's chromium)`;
  for (const f of ['dist/ncnn_int8_wasm.mjs', 'dist/ncnn_int8_wasm.wasm', 'js/index.js', 'dist/sample/model.param']) {
    if (!fs.existsSync(path.join(root, f))) return `${f} is missing: run \`npm run build\` first`;
  }
  return null;
}

export async function loadPlaywright() {
  try {
    return await import('playwright-core');
  } catch (err) {
    // For development before package.json exists: PLAYWRIGHT_CORE=/tmp/pw/node_modules/playwright-core
    if (process.env.PLAYWRIGHT_CORE) return await import(path.resolve(process.env.PLAYWRIGHT_CORE, 'index.mjs'));
    throw new Error(`playwright-core is not installed (run \`npm install\`): ${err.message}`);
  }
}

// Starts the static server on a free port; resolves to {url, stop()}.
// options: mounts { '/name/': folder } served beside the page (test pages,
// corpora); isolated: false leaves out the COOP/COEP headers.
export function startServer({ mounts = {}, isolated = true } = {}) {
  const extra = Object.entries(mounts).flatMap(([prefix, dir]) => ['--mount', `${prefix}=${dir}`]);
  if (!isolated) extra.push('--no-isolation');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'tools', 'serve.mjs'), '--port', '0', '--host', '127.0.0.1', ...extra], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve.mjs did not start: ${out}${err}`));
    }, 10000);
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d) => {
      out += d;
      const m = /Serving (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: m[1],
          stop: () =>
            new Promise((done) => {
              if (child.exitCode !== null) return done(child.exitCode);
              child.once('exit', (code) => done(code));
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve.mjs exited with ${code}: ${out}${err}`));
    });
  });
}

export const launchArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// playwright's launch() gives every browser a fresh temporary profile.
export async function launchBrowser() {
  const { chromium } = await loadPlaywright();
  return chromium.launch({ executablePath: chromiumPath, args: launchArgs });
}

// A blank cross-origin isolated page of the server's origin (not the app),
// for code that needs only the origin's scripts and SharedArrayBuffer.
// scripts: { '/path': source } served beside it as isolated module scripts.
const ISOLATED_HEADERS = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp', 'Cross-Origin-Resource-Policy': 'same-origin' };
export async function openIsolatedPage(browser, baseUrl, scripts = {}) {
  const context = await browser.newContext();
  context.setDefaultTimeout(600000); // as openPage: only a hang fails
  await context.route(`${baseUrl}/__blank__.html`, (route) => route.fulfill({ body: '<!doctype html><title>blank</title>', contentType: 'text/html', headers: ISOLATED_HEADERS }));
  for (const [at, body] of Object.entries(scripts)) {
    await context.route(`${baseUrl}${at}`, (route) => route.fulfill({ body, contentType: 'text/javascript', headers: ISOLATED_HEADERS }));
  }
  const page = await context.newPage();
  await page.goto(`${baseUrl}/__blank__.html`);
  return { page, context };
}

// A page on the server, failing the test on any request that leaves it
// (nothing may leave the machine) and collecting console errors.
// options: { colorScheme, setup(context) before the page loads, warmUp }.
// The page loads without its warm-up runs (?warmup=0: a second of CPU a
// page that only makes the first run faster, on a machine the other tests
// share) unless warmUp is true; the tests of the sample's flow keep them.
export async function openPage(browser, baseUrl, viewport = { width: 1200, height: 900 }, options = {}) {
  const { setup, warmUp = false, ...contextOptions } = options;
  const context = await browser.newContext({ acceptDownloads: true, viewport, ...contextOptions });
  // Playwright's default (30 s a wait) is a wall-clock limit a busy machine
  // trips; a hang still fails, after 10 minutes.
  context.setDefaultTimeout(600000);
  const page = await context.newPage();
  const foreign = [];
  const consoleErrors = [];
  await context.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (u.origin === baseUrl || u.protocol === 'blob:' || u.protocol === 'data:') return route.continue();
    foreign.push(route.request().url());
    return route.abort();
  });
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  if (setup) await setup(context);
  await page.goto(`${baseUrl}/${warmUp ? '' : '?warmup=0'}`);
  await page.waitForSelector('#quantize-button');
  return { context, page, foreign, consoleErrors };
}

// Clicks `selector` (Quantize or Try the sample) and waits, by DOM state
// (no sleeps), until that run has ended; returns how it ended.
export async function clickAndWaitForRun(page, selector, timeout = 60000) {
  const before = Number(await page.evaluate(() => document.body.dataset.runsEnded));
  await page.click(selector);
  await page.waitForFunction((n) => Number(document.body.dataset.runsEnded) > n, before, { timeout });
  return page.evaluate(() => ({
    state: document.body.dataset.state,
    error: document.querySelector('#error:not([hidden])')?.textContent ?? null,
    status: document.querySelector('#status').textContent,
  }));
}

export async function runExpectingSuccess(page, selector, timeout) {
  const end = await clickAndWaitForRun(page, selector, timeout);
  if (end.state !== 'done') throw new Error(`run did not finish: state ${end.state}, error ${end.error}, status ${end.status}`);
  return end;
}

export async function download(page, selector) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const file = await dl.path();
  return { name: dl.suggestedFilename(), bytes: fs.readFileSync(file) };
}

export function tmpDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

// One server and one Chromium for a whole test file (node:test before/after);
// session.openPage() opens a fresh page on the served web page.
// options: as startServer's.
export function serverAndBrowser(options = {}) {
  const session = {};
  before(async () => {
    session.server = await startServer(options);
    session.browser = await launchBrowser();
  });
  after(async () => {
    await session.browser?.close();
    await session.server?.stop();
  });
  session.openPage = (viewport, options) => openPage(session.browser, session.server.url, viewport, options);
  return session;
}
