// End-to-end: Cancel in the page's LLM section while the run is inside its
// one WebAssembly call, on a generated decoder of qwen2.5-0.5b widths and two
// blocks (~120 MB): the run stops mid-way, says so, offers no download and
// leaves no file in the origin private file system; the next run then goes
// to the same worker, completes, keeps exactly its table and .bin, and its
// downloads are byte-identical to the native ncnnllm2table + ncnnllm2int.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { root, prerequisiteProblem, serverAndBrowser, tmpDir, download } from './helpers.mjs';

const problem = prerequisiteProblem();
if (problem) throw new Error(`e2e: ${problem}`);
const generator = path.join(root, 'build', 'tools', 'ncnn_int8_make_model');
if (!fs.existsSync(generator)) throw new Error(`e2e: ${generator} is missing: run \`npm run build\` first`);
const tableCli = path.join(root, 'build', 'ncnnllm2table');
const intCli = path.join(root, 'build', 'ncnnllm2int');
for (const f of [tableCli, intCli]) if (!fs.existsSync(f)) throw new Error(`e2e: ${f} is missing (tools/setup.sh)`);

const session = serverAndBrowser();
const fixture = {};

before(() => {
  const dir = tmpDir('ncnn-int8-llm-cancel-');
  const r = spawnSync(generator, ['decoder-0.5b', dir, '--blocks', '2'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`the generator failed: ${r.stderr}`);
  fixture.files = [path.join(dir, 'model.param'), path.join(dir, 'model.bin')];
  // What the page must make: the native tools on the same files and options.
  const keys = ['method=minmax', 'bits=4', 'block=64'];
  fixture.expected = { table: path.join(dir, 'native.llm.table'), param: path.join(dir, 'native.param'), bin: path.join(dir, 'native.bin') };
  const t = spawnSync(tableCli, [...fixture.files, fixture.expected.table, ...keys, '--quiet'], { encoding: 'utf8' });
  if (t.status !== 0) throw new Error(`ncnnllm2table failed: ${t.stderr}`);
  const q = spawnSync(intCli, [...fixture.files, fixture.expected.param, fixture.expected.bin, fixture.expected.table, '--quiet'], { encoding: 'utf8' });
  if (q.status !== 0) throw new Error(`ncnnllm2int failed: ${q.stderr}`);
});

async function storedNames(page) {
  return page.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    let dir;
    try {
      dir = await root.getDirectoryHandle('ncnn-int8-output');
    } catch {
      return [];
    }
    const names = [];
    for await (const name of dir.keys()) names.push(name);
    return names.sort();
  });
}

test('LLM section: Cancel mid-run stops the one-pass run and leaves no output', async () => {
  const { page, context, consoleErrors } = await session.openPage();
  assert.equal(await page.evaluate(() => globalThis.crossOriginIsolated), true, 'the page must be cross-origin isolated (shared memory)');
  await page.setInputFiles('#llm-file-input', fixture.files);
  await page.waitForSelector('#llm-run:not([disabled])');
  await page.selectOption('#llm-method', 'minmax');
  await page.selectOption('#llm-bits', '4');
  await page.selectOption('#llm-block', '64');
  const before = Number(await page.evaluate(() => document.body.dataset.llmRunsEnded));

  // Once progress shows a layer done but not the last, press Cancel in the
  // same task, so the run cannot finish first.
  const seen = page.evaluate(
    () =>
      new Promise((resolve) => {
        const status = document.getElementById('llm-status');
        const obs = new MutationObserver(() => {
          const m = /layer (\d+) of (\d+)/.exec(status.textContent);
          if (m && Number(m[1]) > 0 && Number(m[1]) < Number(m[2])) {
            obs.disconnect();
            document.getElementById('llm-cancel').click();
            resolve({ done: Number(m[1]), total: Number(m[2]) });
          }
        });
        obs.observe(status, { childList: true, characterData: true, subtree: true });
      }),
  );
  await page.click('#llm-run');
  const at = await seen;
  assert.ok(at.done > 0 && at.done < at.total);
  await page.waitForFunction((n) => Number(document.body.dataset.llmRunsEnded) > n, before, { timeout: 120000 });
  assert.equal(await page.isHidden('#llm-error'), false);
  assert.equal((await page.textContent('#llm-error')).trim(), 'Cancelled.');
  assert.equal(await page.isHidden('#llm-results'), true, 'no download offered');
  assert.deepEqual(await storedNames(page), [], 'a cancelled run leaves no file in browser storage');
  assert.equal(await page.isEnabled('#llm-run'), true);
  assert.equal(await page.evaluate(() => document.body.dataset.llmWorkerRuns), '1');

  // The same worker runs again to the end: table and .bin kept, nothing
  // else, and byte for byte what the native tools make.
  await page.click('#llm-run');
  await page.waitForFunction((n) => Number(document.body.dataset.llmRunsEnded) > n + 1, before, { timeout: 300000 });
  assert.equal(await page.isHidden('#llm-error'), true, await page.textContent('#llm-error'));
  assert.equal(await page.isHidden('#llm-results'), false);
  const stored = await storedNames(page);
  assert.equal(stored.length, 2, `stored: ${stored.join(', ')}`);
  assert.match(await page.textContent('#llm-summary'), /^\d+ layers quantized/);
  assert.equal(await page.evaluate(() => document.body.dataset.llmWorkerRuns), '2', 'the cancelled run\'s worker takes the next run');
  for (const [selector, key] of [['#llm-download-param', 'param'], ['#llm-download-bin', 'bin'], ['#llm-download-table', 'table']]) {
    const got = await download(page, selector);
    assert.ok(got.bytes.equals(fs.readFileSync(fixture.expected[key])), `the run after Cancel: its ${key} differs from the native tools'`);
  }
  assert.deepEqual(consoleErrors, []);
  await context.close();
});
