// llmTable() / llmQuantize() and `npx ncnnllm2table` / `npx ncnnllm2int`:
// the LLM corpus (../shared/llm) byte for byte, refusals, cancel, and a
// small model built here (table route == direct form) that needs no corpus.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { llmQuantize, llmTable } from '../../js/index.js';
import { ROOT, bytesEqual, run, tempDir } from './_helpers.mjs';

const LLM = fileURLToPath(new URL('../../../shared/llm/', import.meta.url));
const haveLlm = fs.existsSync(path.join(LLM, 'MANIFEST.tsv'));
if (!haveLlm && process.env.CI === 'true') throw new Error(`LLM corpus missing at ${LLM} (CI=true)`);
const noLlm = haveLlm ? false : `LLM corpus not found at ${LLM}`;

function llmCases() {
  const lines = fs.readFileSync(path.join(LLM, 'MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1);
  return lines.map((line) => {
    const [name, model, bin, kind, args, , expect] = line.split('\t');
    const dir = path.join(LLM, 'cases', name);
    const opts = {};
    for (const kv of args.split(' ')) {
      const [k, v] = kv.split('=');
      if (k === 'method') opts.method = v;
      if (k === 'bits' || k === 'block') opts[k] = Number(v);
    }
    return {
      name, kind, expect, dir, opts,
      paramPath: path.join(LLM, 'models', `${model}.param`),
      binPath: path.join(LLM, 'models', `${bin}.bin`),
      tablePath: path.join(dir, kind === 'edit' ? 'input.llm.table' : 'expected.llm.table'),
    };
  });
}

const lastLine = (text) => text.trim().split('\n').pop();

test('LLM corpus through llmTable / llmQuantize', { skip: noLlm }, async (t) => {
  for (const c of llmCases()) {
    await t.test(c.name, async () => {
      const param = fs.readFileSync(c.paramPath);
      const bin = fs.readFileSync(c.binPath);
      if (c.kind === 'std') {
        const tbl = await llmTable({ param, bin, ...c.opts });
        assert.equal(tbl.table, fs.readFileSync(path.join(c.dir, 'expected.llm.table'), 'utf8'));
        assert.equal(tbl.report.layers.filter((l) => l.action === 'quantized').every((l) => typeof l.sqnr_db === 'number'), true);
        const direct = await llmQuantize({ param, bin, ...c.opts });
        assert.ok(bytesEqual(direct.bin, fs.readFileSync(path.join(c.dir, 'expected.bin'))), 'direct form .bin differs');
        // Table and model in one read of the .bin.
        const one = await llmQuantize({ param, bin, ...c.opts, makeTable: true });
        assert.equal(one.table, fs.readFileSync(path.join(c.dir, 'expected.llm.table'), 'utf8'), 'one pass: table differs');
        assert.equal(one.param, fs.readFileSync(path.join(c.dir, 'expected.param'), 'utf8'), 'one pass: .param differs');
        assert.ok(bytesEqual(one.bin, fs.readFileSync(path.join(c.dir, 'expected.bin'))), 'one pass: .bin differs');
        const chunks = [];
        const streamed = await llmQuantize({ param, bin, ...c.opts, writeTable: (chunk) => chunks.push(Buffer.from(chunk)) });
        assert.equal(streamed.table, '');
        assert.equal(Buffer.concat(chunks).toString('utf8'), one.table, 'writeTable: table differs');
      }
      const table = fs.readFileSync(c.tablePath);
      const names = { table: c.tablePath };
      const readFile = (p) => fs.readFileSync(p);
      if (c.expect === 'ok') {
        const r = await llmQuantize({ param, bin, table, names, readFile });
        assert.equal(r.param, fs.readFileSync(path.join(c.dir, 'expected.param'), 'utf8'));
        assert.ok(bytesEqual(r.bin, fs.readFileSync(path.join(c.dir, 'expected.bin'))), 'expected.bin differs');
        assert.equal(r.report.simd_target, 'WASM');
      } else {
        const err = await llmQuantize({ param, bin, table, names, readFile }).then(() => null, (e) => e);
        assert.ok(err instanceof Error);
        assert.ok(err.message.includes(lastLine(fs.readFileSync(path.join(c.dir, 'expected.stderr'), 'utf8'))), err.message);
      }
    });
  }
});

test('npx ncnnllm2table / ncnnllm2int on the corpus', { skip: noLlm }, async (t) => {
  const dir = tempDir(t);
  for (const c of llmCases().filter((c) => c.kind !== 'calib')) {
    await t.test(c.name, () => {
      const out = path.join(dir, c.name);
      fs.mkdirSync(out);
      if (c.kind === 'std') {
        const args = Object.entries(c.opts).map(([k, v]) => `${k}=${v}`);
        const r = run('node', [path.join(ROOT, 'js/ncnnllm2table.js'), c.paramPath, c.binPath, path.join(out, 't.llm.table'), ...args]);
        assert.equal(r.code, 0, r.stderr);
        assert.ok(r.stderr.includes('ncnn llm quant table created'), r.stderr);
        assert.ok(bytesEqual(fs.readFileSync(path.join(out, 't.llm.table')), fs.readFileSync(path.join(c.dir, 'expected.llm.table'))));
      }
      const r = run('node', [path.join(ROOT, 'js/ncnnllm2int.js'), c.paramPath, c.binPath, path.join(out, 'o.param'), path.join(out, 'o.bin'), c.tablePath]);
      if (c.expect === 'ok') {
        assert.equal(r.code, 0, r.stderr);
        assert.ok(bytesEqual(fs.readFileSync(path.join(out, 'o.bin')), fs.readFileSync(path.join(c.dir, 'expected.bin'))));
        assert.ok(bytesEqual(fs.readFileSync(path.join(out, 'o.param')), fs.readFileSync(path.join(c.dir, 'expected.param'))));
      } else {
        assert.equal(r.code, 255, r.stderr);
        assert.ok(r.stderr.includes(lastLine(fs.readFileSync(path.join(c.dir, 'expected.stderr'), 'utf8'))), r.stderr);
        assert.deepEqual(fs.readdirSync(out), [], 'no output after a refusal');
      }
    });
  }
});

// One Gemm (N=6, K=70: a partial last block) with a bias, and one it skips (transB=0).
function smallModel() {
  const param = '7767517\n3 3\nInput in0 0 1 in0\nGemm g0 1 1 in0 a 3=1 5=1 6=1 8=6 9=70 10=4\nGemm g1 1 1 a out0 5=1 8=5 9=6\n';
  const floats = [];
  const tagged = (n, amp) => {
    floats.push(0); // fp32 tag (bit pattern 0)
    for (let i = 0; i < n; i++) floats.push(amp * Math.sin(i * 0.37 + amp));
  };
  tagged(6 * 70, 1.3);
  tagged(6, 0.5);
  tagged(5 * 6, 0.9);
  return { param, bin: new Uint8Array(new Float32Array(floats).buffer) };
}

test('a small model: table route equals the direct form, edits and refusals', async () => {
  const { param, bin } = smallModel();
  for (const method of ['minmax', 'mseclip']) {
    for (const bits of [4, 6, 8]) {
      const tbl = await llmTable({ param, bin, method, bits, block: 32 });
      assert.equal(tbl.report.table_rows, 1);
      assert.match(tbl.table, new RegExp(`^g0_param_1 bits=${bits} block=32 method=${method} `));
      assert.deepEqual(tbl.report.log, ['write_llm_table g0_param_1', 'skip_gemm g1', 'ncnn llm quant table created 1 rows']);
      const a = await llmQuantize({ param, bin, table: tbl.table });
      const b = await llmQuantize({ param, bin, method, bits, block: 32 });
      assert.ok(bytesEqual(a.bin, b.bin));
      assert.equal(a.param, b.param);
      assert.ok(a.param.includes(` 18=${bits * 100}`));
      const one = await llmQuantize({ param, bin, method, bits, block: 32, makeTable: true });
      assert.equal(one.table, tbl.table);
      assert.ok(bytesEqual(one.bin, a.bin));
      assert.equal(one.param, a.param);
      assert.equal(one.report.table_rows, 1);
    }
  }
  await assert.rejects(llmQuantize({ param, bin, table: 'g0_param_1 bits=4 block=32 1\n', makeTable: true }), /pass no table with them/);
  await assert.rejects(llmQuantize({ param, bin, writeTable: 'x' }), TypeError);
  await assert.rejects(llmQuantize({ param, bin, method: 'gptq', makeTable: true }), /needs calibration data/);
  await assert.rejects(llmQuantize({ param, bin, table: 'g1_param_1 bits=4 block=32 1\n' }), /table row g1_param_1 targets unsupported Gemm/);
  await assert.rejects(llmQuantize({ param, bin, table: 'g0_param_1 bits=5 block=32 1\n' }), /unsupported bits=5 block=32/);
  await assert.rejects(llmTable({ param, bin, method: 'awq' }), /needs calibration data/);
  await assert.rejects(llmTable({ param, bin, bits: 7 }), /unsupported bits=7/);
  await assert.rejects(llmQuantize({ param, bin, bits: 4.5 }), TypeError);
});

test('cancel from onProgress rejects with an AbortError', async () => {
  const { param, bin } = smallModel();
  const err = await llmQuantize({ param, bin, onProgress: (p) => p.layersDone < 2 }).then(() => null, (e) => e);
  assert.equal(err?.name, 'AbortError');
  const err2 = await llmTable({ param, bin, onProgress: () => false }).then(() => null, (e) => e);
  assert.equal(err2?.name, 'AbortError');
  const chunks = [];
  const err3 = await llmQuantize({ param, bin, writeTable: (c) => chunks.push(c.slice()), onProgress: () => false }).then(() => null, (e) => e);
  assert.equal(err3?.name, 'AbortError');
  assert.equal(chunks.length, 0, 'a cancelled one-pass run hands out no table');
});

test('the table as a stream: a Blob or a {size, read} source gives the same model; read errors name the table', async () => {
  const { param, bin } = smallModel();
  const tbl = await llmTable({ param, bin, method: 'mseclip', bits: 4, block: 32 });
  const want = await llmQuantize({ param, bin, table: tbl.table });
  const bytes = new TextEncoder().encode(tbl.table);
  let reads = 0;
  const source = {
    size: bytes.length,
    read(offset, dst) {
      reads++;
      const part = bytes.subarray(offset, offset + dst.length);
      dst.set(part);
      return part.length;
    },
  };
  const viaSource = await llmQuantize({ param, bin, table: source });
  assert.ok(reads > 0);
  assert.ok(bytesEqual(viaSource.bin, want.bin));
  assert.equal(viaSource.param, want.param);
  const viaBlob = await llmQuantize({ param, bin, table: new Blob([bytes]) });
  assert.ok(bytesEqual(viaBlob.bin, want.bin));
  const failing = { size: bytes.length, read() { throw new Error('disk gone'); } };
  await assert.rejects(llmQuantize({ param, bin, table: failing, names: { table: 'x.llm.table' } }), /disk gone/);
  await assert.rejects(llmQuantize({ param, bin, table: 42 }), TypeError);
});
