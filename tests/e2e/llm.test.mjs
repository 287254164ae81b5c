// End-to-end: the page's LLM section in Chromium on the LLM corpus
// (../shared/llm): pnnx-style file names, bits/block/method picked on the
// page, downloads byte-identical to the reference's .param, .bin and
// .llm.table; an edited table dropped with the model; a refused table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { root, prerequisiteProblem, serverAndBrowser, download } from './helpers.mjs';

const problem = prerequisiteProblem();
if (problem) throw new Error(`e2e: ${problem}`);

const llm = path.resolve(root, '..', 'shared', 'llm');
const haveLlm = fs.existsSync(path.join(llm, 'MANIFEST.tsv'));
if (!haveLlm && process.env.CI === 'true') throw new Error(`LLM corpus missing at ${llm} (CI=true)`);

const session = serverAndBrowser();

function file(name, from) {
  return { name, mimeType: 'application/octet-stream', buffer: fs.readFileSync(from) };
}

async function runLlm(page, files, { method, bits, block } = {}) {
  await page.setInputFiles('#llm-file-input', files);
  await page.waitForSelector('#llm-run:not([disabled])');
  if (method) await page.selectOption('#llm-method', method);
  if (bits) await page.selectOption('#llm-bits', String(bits));
  if (block) await page.selectOption('#llm-block', String(block));
  const before = Number(await page.evaluate(() => document.body.dataset.llmRunsEnded));
  await page.click('#llm-run');
  await page.waitForFunction((n) => Number(document.body.dataset.llmRunsEnded) > n, before, { timeout: 120000 });
}

test('LLM section: pnnx names, downloads identical to the reference', { skip: haveLlm ? false : 'no LLM corpus' }, async () => {
  const { page, consoleErrors, foreign } = await session.openPage();
  const dir = path.join(llm, 'cases', 'qwen25s_mseclip_b6_k128');
  await runLlm(page, [file('decoder.ncnn.param', path.join(llm, 'models/qwen25s_pnnx.param')), file('decoder.ncnn.bin', path.join(llm, 'models/qwen25s.bin'))], {
    method: 'mseclip', bits: 6, block: 128,
  });
  assert.equal(await page.isHidden('#llm-error'), true, await page.textContent('#llm-error'));
  const param = await download(page, '#llm-download-param');
  const bin = await download(page, '#llm-download-bin');
  const table = await download(page, '#llm-download-table');
  assert.equal(param.name, 'decoder-llm.ncnn.param');
  assert.equal(bin.name, 'decoder-llm.ncnn.bin');
  assert.ok(param.bytes.equals(fs.readFileSync(path.join(dir, 'expected.param'))), '.param differs');
  assert.ok(bin.bytes.equals(fs.readFileSync(path.join(dir, 'expected.bin'))), '.bin differs');
  assert.ok(table.bytes.equals(fs.readFileSync(path.join(dir, 'expected.llm.table'))), '.llm.table differs');
  assert.equal(await page.locator('#llm-layers tbody tr').count(), 14);
  assert.match(await page.textContent('#llm-layers tbody tr:first-child'), /gemm_0Gemmint6128mseclip/);
  assert.deepEqual(foreign, []);
  assert.deepEqual(consoleErrors, []);
});

test('LLM section: an edited table, and a refused one', { skip: haveLlm ? false : 'no LLM corpus' }, async () => {
  const { page } = await session.openPage();
  const model = [file('qwen25s.param', path.join(llm, 'models/qwen25s.param')), file('qwen25s.bin', path.join(llm, 'models/qwen25s.bin'))];
  const edit = path.join(llm, 'cases', 'edit_qwen25s_skip_gemm_rows');
  await runLlm(page, [...model, file('edited.llm.table', path.join(edit, 'input.llm.table'))]);
  const bin = await download(page, '#llm-download-bin');
  assert.ok(bin.bytes.equals(fs.readFileSync(path.join(edit, 'expected.bin'))), 'edited-table .bin differs');
  const bad = path.join(llm, 'cases', 'edit_qwen25s_row_names_no_layer');
  await runLlm(page, [file('bad.llm.table', path.join(bad, 'input.llm.table'))]);
  assert.match(await page.textContent('#llm-error'), /bad\.llm\.table:\d+: unused table row gemm_99_param_1/);
  assert.equal(await page.isHidden('#llm-results'), true);
});
