// End-to-end: the LLM section's streamed path in Chromium on a small
// generated decoder. The page makes the table and the int8 .bin in one read
// of the .bin, both written to the origin private file system as they are
// made and offered from there; a dropped table is read in windows (never
// whole); without private storage both stay in
// memory and the section says how large a model that takes. Every download
// must equal the npm package's output on the same files made in two steps
// (table, then the model from it; the package's LLM path is byte-checked
// against the reference in tests/js/llm.test.mjs).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { root, prerequisiteProblem, serverAndBrowser, download, tmpDir } from './helpers.mjs';

const problem = prerequisiteProblem();
if (problem) throw new Error(`e2e: ${problem}`);
const generator = path.join(root, 'build', 'tools', 'ncnn_int8_make_model');
if (!fs.existsSync(generator)) throw new Error(`e2e: ${generator} is missing: run \`npm run build\` first`);

const session = serverAndBrowser();
const options = { method: 'mseclip', bits: 4, block: 32 };
const fixture = {};

before(async () => {
  const dir = tmpDir('ncnn-int8-llm-e2e-');
  const r = spawnSync(generator, ['decoder', dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`the generator failed: ${r.stderr}`);
  fixture.dir = dir;
  fixture.param = path.join(dir, 'model.param');
  fixture.bin = path.join(dir, 'model.bin');
  const { llmQuantize, llmTable } = await import('../../js/index.js');
  const param = fs.readFileSync(fixture.param);
  const bin = fs.readFileSync(fixture.bin);
  const table = await llmTable({ param, bin, ...options });
  const quantized = await llmQuantize({ param, bin, table: table.table });
  fixture.expected = { table: Buffer.from(table.table), param: Buffer.from(quantized.paramBytes), bin: Buffer.from(quantized.bin) };
  fs.writeFileSync(path.join(dir, 'made.llm.table'), table.table);
});

async function runLlm(page, files) {
  await page.setInputFiles('#llm-file-input', files);
  await page.waitForSelector('#llm-run:not([disabled])');
  await page.selectOption('#llm-method', options.method);
  await page.selectOption('#llm-bits', String(options.bits));
  await page.selectOption('#llm-block', String(options.block));
  const before = Number(await page.evaluate(() => document.body.dataset.llmRunsEnded));
  await page.click('#llm-run');
  await page.waitForFunction((n) => Number(document.body.dataset.llmRunsEnded) > n, before, { timeout: 120000 });
  assert.equal(await page.isHidden('#llm-error'), true, await page.textContent('#llm-error'));
}

async function storedNames(page) {
  return page.evaluate(async () => {
    const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('ncnn-int8-output');
    const names = [];
    for await (const name of dir.keys()) names.push(name);
    return names.sort();
  });
}

test('LLM section, streamed: table and .bin written to private storage, downloads byte-identical', async () => {
  const { page, context, consoleErrors } = await session.openPage();
  assert.equal(await page.getAttribute('#llm-save-target', 'data-output'), 'opfs');
  assert.match(await page.textContent('#llm-save-target'), /written to disk as it is made/);
  await runLlm(page, [fixture.param, fixture.bin]);
  assert.equal(await page.getAttribute('#llm-download-bin', 'data-stored'), 'opfs');
  const table = await download(page, '#llm-download-table');
  const bin = await download(page, '#llm-download-bin');
  const param = await download(page, '#llm-download-param');
  assert.ok(table.bytes.equals(fixture.expected.table), '.llm.table differs');
  assert.ok(bin.bytes.equals(fixture.expected.bin), '.bin differs');
  assert.ok(param.bytes.equals(fixture.expected.param), '.param differs');
  assert.equal(JSON.parse(await page.getAttribute('#llm-results', 'data-timings')).rewinds, 0, 'indexed from its first tag, never started again');
  const first = await storedNames(page);
  assert.equal(first.length, 2, `stored: ${first.join(', ')}`);
  assert.equal(first.filter((n) => n.endsWith('.bin')).length, 1);

  // A second run replaces the first run's files.
  await runLlm(page, [fixture.param, fixture.bin]);
  const second = await storedNames(page);
  assert.equal(second.length, 2, `stored: ${second.join(', ')}`);
  assert.notDeepEqual(second, first);
  assert.ok((await download(page, '#llm-download-bin')).bytes.equals(fixture.expected.bin));
  assert.deepEqual(consoleErrors, []);
  await context.close();
});

test('LLM section, streamed: a dropped table is read in windows; the .bin is the same', async () => {
  const { page, context } = await session.openPage();
  await runLlm(page, [fixture.param, fixture.bin, path.join(fixture.dir, 'made.llm.table')]);
  assert.equal(await page.getAttribute('#llm-download-bin', 'data-stored'), 'opfs');
  assert.ok((await download(page, '#llm-download-bin')).bytes.equals(fixture.expected.bin), '.bin differs');
  assert.ok((await download(page, '#llm-download-table')).bytes.equals(fixture.expected.table), 'the dropped table is offered back unchanged');
  assert.deepEqual((await storedNames(page)).filter((n) => !n.endsWith('.bin')), [], 'no table file made');
  await context.close();
});

test('LLM section without private storage: in memory, with the size it takes said up front', async () => {
  const { page, context } = await session.openPage();
  await context.addInitScript(() => {
    Object.defineProperty(StorageManager.prototype, 'getDirectory', { value: undefined });
  });
  await page.reload();
  assert.equal(await page.getAttribute('#llm-save-target', 'data-output'), 'memory');
  assert.match(await page.textContent('#llm-save-target'), /in memory: models up to about 2 GB/);
  await runLlm(page, [fixture.param, fixture.bin]);
  assert.equal(await page.getAttribute('#llm-download-bin', 'data-stored'), 'memory');
  assert.ok((await download(page, '#llm-download-bin')).bytes.equals(fixture.expected.bin), '.bin differs');
  assert.ok((await download(page, '#llm-download-table')).bytes.equals(fixture.expected.table), '.llm.table differs');
  await context.close();
});

test('LLM section: a .bin stored unlike its first tag starts again on the tags read; downloads byte-identical', async () => {
  // The generated decoder starts with the first RMSNorm's gamma (128 raw
  // floats), then q_proj's weight (tag + 128 x 128 floats), then q_proj's
  // bias, whose fp32 tag becomes fp32-scaled here (0x0002C056): the same
  // size, so the page's index from the first tag adds up, and the page
  // meets the other tag when it reads the bias.
  const at = 128 * 4 + 4 + 128 * 128 * 4;
  const bin = fs.readFileSync(fixture.bin);
  assert.equal(bin.readUInt32LE(128 * 4), 0, 'q_proj weight tag');
  assert.equal(bin.readUInt32LE(at), 0, 'q_proj bias tag');
  bin.writeUInt32LE(0x0002c056, at);
  const dir = tmpDir('ncnn-int8-llm-mixed-');
  fs.copyFileSync(fixture.param, path.join(dir, 'model.param'));
  fs.writeFileSync(path.join(dir, 'model.bin'), bin);
  const { llmQuantize } = await import('../../js/index.js');
  const expected = await llmQuantize({ param: fs.readFileSync(fixture.param), bin, ...options, makeTable: true });

  const { page, context } = await session.openPage();
  await runLlm(page, [path.join(dir, 'model.param'), path.join(dir, 'model.bin')]);
  assert.equal(JSON.parse(await page.getAttribute('#llm-results', 'data-timings')).rewinds, 1, 'started again once');
  assert.ok((await download(page, '#llm-download-bin')).bytes.equals(Buffer.from(expected.bin)), '.bin differs');
  assert.equal((await download(page, '#llm-download-table')).bytes.toString(), expected.table, '.llm.table differs');
  assert.ok((await download(page, '#llm-download-param')).bytes.equals(Buffer.from(expected.paramBytes)), '.param differs');
  await context.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
