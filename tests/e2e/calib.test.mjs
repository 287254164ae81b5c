// End-to-end: the page makes the calibration table (ncnn2table in the tab)
// on the public calibration cases, through its UI in Chromium: the table is
// byte-identical to the native ncnn2table's on the same inputs, in the same
// order, with the same options; it flows into the int8 step, whose .param
// and .bin are byte-identical to the native ncnn2int8's with the native
// table. Threads (the page is cross-origin isolated) and the one-thread
// fallback (it is not) give the same bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prerequisiteProblem, serverAndBrowser, runExpectingSuccess, download } from './helpers.mjs';
import { calibPrerequisite, calibCase, calibrateCase, caseSetup, runNativeTable, runNativeInt8 } from './calib-helpers.mjs';

const problem = prerequisiteProblem() ?? calibPrerequisite();
if (problem) throw new Error(`e2e: ${problem}`);

const session = serverAndBrowser();

function clean({ foreign, consoleErrors }) {
  assert.deepEqual(foreign, [], 'no request leaves the origin');
  assert.deepEqual(consoleErrors, [], 'no console errors');
}

// The page without the COOP/COEP headers: not cross-origin isolated, so no
// SharedArrayBuffer and no threads.
async function withoutIsolation(context) {
  await context.route('**/*', async (route) => {
    if (new URL(route.request().url()).hostname !== '127.0.0.1') return route.fallback(); // the foreign-request check sees it
    const response = await route.fetch();
    const headers = { ...response.headers() };
    delete headers['cross-origin-opener-policy'];
    delete headers['cross-origin-embedder-policy'];
    await route.fulfill({ response, headers });
  });
}

// Table from the page == native table; then Quantize with it == native int8.
// first: only the first `first` inputs of each list (both tools get the same).
async function checkCase(name, { method = 'kl', threads, isolated = true, int8 = true, first } = {}) {
  const dir = calibCase(name);
  if (!dir) return 'no calibration corpus';
  const lists = first ? caseSetup(dir).lists.map((l) => l.slice(0, first)) : undefined;
  const p = await session.openPage(undefined, isolated ? {} : { setup: withoutIsolation });
  const { page } = p;
  assert.equal(await page.evaluate(() => crossOriginIsolated), isolated);
  if (!isolated) {
    assert.equal(await page.inputValue('#calib-threads'), '1');
    assert.match(await page.textContent('#calib-threads-note'), /not cross-origin isolated/);
  }
  const r = await calibrateCase(page, dir, { method, threads, lists });
  const native = runNativeTable(dir, r.order, { method });
  if (native.status !== 0) {
    // Where the native tool refuses (a method it lacks), the page says the same.
    assert.equal(r.end.state, 'error', `native refused (${native.stderr.trim()}) but the page made a table`);
    const reason = native.stderr.trim().split('\n').pop().replace(/^ncnn2table: (error: )?/, '');
    assert.ok(r.end.error.includes(reason), `page error "${r.end.error}" lacks the native reason "${reason}"`);
    clean(p);
    return null;
  }
  assert.equal(r.end.state, 'done', `page run failed: ${r.end.error ?? r.end.status}`);
  assert.ok(r.table.equals(native.table), `${name} ${method}: the page's table differs from the native ncnn2table's`);
  // The rows shown are the table's activation lines.
  const activationLines = native.table.toString('utf8').split('\n').filter((l) => l && !/_param_\d+ /.test(l)).length;
  assert.equal(await page.locator('#calib-layers tbody tr').count(), activationLines);
  const report = JSON.parse((await download(page, '#calib-download-report')).bytes.toString('utf8'));
  assert.equal(report.tool, 'ncnn2table');
  assert.equal(report.method, method);
  assert.equal(report.files, r.order[0].length);

  if (int8) {
    // The table is now the model's: the int8 step uses it as if dropped.
    assert.match(await page.textContent('#status'), /Ready to quantize model\.param \+ model\.bin with model\.table/);
    await runExpectingSuccess(page, '#calib-quantize', 120000);
    const want = runNativeInt8(dir, native.path);
    const param = await download(page, '#download-param');
    const bin = await download(page, '#download-bin');
    assert.ok(param.bytes.equals(want.param), `${name}: int8 .param differs from the native ncnn2int8's`);
    assert.ok(bin.bytes.equals(want.bin), `${name}: int8 .bin differs from the native ncnn2int8's`);
    await download(page, '#download-report'); // the int8 report, beside the calibration one
  }
  clean(p);
  return null;
}

for (const name of ['squeezenet_he', 'mobilenet_v2_he', 'oww_hello_deepa', 'oww_alexa_rhasspy', 'oww_melspectrogram']) {
  test(`${name}, kl, threads: table and int8 model byte-identical to the native tools`, async (t) => {
    const skip = await checkCase(name, { method: 'kl', threads: 2 });
    if (skip) t.skip(skip);
  });
}

test('squeezenet_he, aciq (inputs of different sizes: the order matters), threads', async (t) => {
  const skip = await checkCase('squeezenet_he', { method: 'aciq', threads: 2, int8: false });
  if (skip) t.skip(skip);
});

test('oww_alexa_rhasspy (two Input layers), aciq, one-thread fallback (not cross-origin isolated)', async (t) => {
  const skip = await checkCase('oww_alexa_rhasspy', { method: 'aciq', isolated: false });
  if (skip) t.skip(skip);
});

// kl's two passes on the fallback path; the whole case runs with threads above.
test('mobilenet_v2_he (its first 8 images), kl, one-thread fallback (not cross-origin isolated)', async (t) => {
  const skip = await checkCase('mobilenet_v2_he', { method: 'kl', isolated: false, int8: false, first: 8 });
  if (skip) t.skip(skip);
});

test('oww_hello_deepa, eq: the same result as the native tool', async (t) => {
  const skip = await checkCase('oww_hello_deepa', { method: 'eq', threads: 2, int8: false });
  if (skip) t.skip(skip);
});
