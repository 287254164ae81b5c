// Cancel on a large (~100 MB) generated model: the worker is terminated, the
// page returns to ready, and the next run (the sample) works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  root,
  prerequisiteProblem,
  serverAndBrowser,
  runExpectingSuccess,
  download,
  tmpDir,
} from './helpers.mjs';

const problem = prerequisiteProblem();
if (problem) throw new Error(`e2e: ${problem}`);

const modelDir = path.join(root, 'build', 'e2e-models', 'cnn');
const generator = path.join(root, 'build', 'tools', 'ncnn_int8_make_model');

function largeModel() {
  const files = ['model.param', 'model.bin', 'model.table'].map((f) => path.join(modelDir, f));
  if (!files.every((f) => fs.existsSync(f))) {
    if (!fs.existsSync(generator)) return null;
    fs.mkdirSync(modelDir, { recursive: true });
    execFileSync(generator, ['cnn', modelDir], { stdio: 'inherit' });
  }
  return files;
}

const session = serverAndBrowser();

test('(d) Cancel stops a large run; the page recovers and the sample then works', async (t) => {
  const files = largeModel();
  if (!files) {
    t.skip(`${generator} is missing (build the native tools first)`);
    return;
  }
  const { context, page, foreign, consoleErrors } = await session.openPage();
  await page.setInputFiles('#file-input', files);
  await page.waitForSelector('#quantize-button:not([disabled])');

  const before = Number(await page.evaluate(() => document.body.dataset.runsEnded));
  await page.click('#quantize-button');
  await page.waitForSelector('#cancel-button:not([disabled])');
  // The page stays responsive while the worker works.
  assert.equal(await page.evaluate(() => 1 + 1), 2);
  // Once the progress bar has moved (work is under way, not finished),
  // press Cancel in the same task, so a fast machine cannot finish first.
  const seen = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const bar = document.getElementById('progress');
        const check = () => {
          const now = Number(bar.getAttribute('aria-valuenow'));
          if (document.body.dataset.state !== 'running') return resolve({ finished: true, now });
          if (now > 0 && now < 100) {
            document.getElementById('cancel-button').click();
            resolve({ finished: false, now });
            return true;
          }
          return false;
        };
        if (check() !== false) return;
        const mo = new MutationObserver(() => {
          if (check() !== false) mo.disconnect();
        });
        mo.observe(bar, { attributes: true });
        mo.observe(document.body, { attributes: true });
      }),
  );
  assert.equal(seen.finished, false, 'the large model must still be running when Cancel is pressed');
  assert.ok(seen.now > 0 && seen.now < 100, `progress ${seen.now}`);
  await page.waitForFunction((n) => Number(document.body.dataset.runsEnded) > n, before);
  assert.equal(await page.evaluate(() => document.body.dataset.state), 'idle');
  assert.match(await page.textContent('#status'), /Cancelled/);
  assert.equal(await page.isDisabled('#cancel-button'), true);
  assert.equal(await page.isDisabled('#quantize-button'), false);
  assert.equal(await page.isHidden('#progress-wrap'), true);
  assert.equal(await page.isHidden('#results'), true);
  assert.equal(await page.isHidden('#error'), true);

  // A new worker for the next run.
  await runExpectingSuccess(page, '#sample-button');
  assert.equal(await page.isVisible('#results'), true);
  assert.deepEqual(foreign, []);
  assert.deepEqual(consoleErrors, []);
  await context.close();
});

test('the large model, read in slices from the File, matches the native CLI byte for byte', async (t) => {
  const files = largeModel();
  const cli = path.join(root, 'build', 'ncnn2int8');
  if (!files || !fs.existsSync(cli)) {
    t.skip('the native build (build/ncnn2int8, build/tools/ncnn_int8_make_model) is missing');
    return;
  }
  const out = tmpDir('ncnn-int8-e2e-');
  try {
    execFileSync(cli, [files[0], files[1], path.join(out, 'int8.param'), path.join(out, 'int8.bin'), files[2], '--quiet']);
    const { context, page, foreign, consoleErrors } = await session.openPage();
    await page.setInputFiles('#file-input', files);
    await runExpectingSuccess(page, '#quantize-button');
    const param = await download(page, '#download-param');
    const bin = await download(page, '#download-bin');
    assert.ok(param.bytes.equals(fs.readFileSync(path.join(out, 'int8.param'))), '.param differs from the native CLI output');
    assert.ok(bin.bytes.equals(fs.readFileSync(path.join(out, 'int8.bin'))), '.bin differs from the native CLI output');
    assert.deepEqual(foreign, []);
    assert.deepEqual(consoleErrors, []);
    await context.close();
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
