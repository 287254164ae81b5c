// indexReads (src/wasm/bindings.cpp) through listIndexReads (js/core.js):
// the small reads the core's index of the .bin will make, listed before the
// run so the page's reader worker can fetch them ahead. On every conformance
// case whose tags are all fp32 the list must be exactly the reads the index
// then makes; on the others (fp16 or mixed tags) it may differ, and the page
// reads those itself. Cases the core refuses (a table needed and none given)
// are passed over. The LLM tools index the .bin alike: on every model of the
// LLM corpus the list is exactly what llmTable and llmQuantize read first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONFORMANCE, noConformance } from './_helpers.mjs';
import { listIndexReads, runCore, getModule } from '../../js/core.js';
import { llmQuantize, llmTable } from '../../js/llm.js';

const LLM_MODELS = fileURLToPath(new URL('../../../shared/llm/models/', import.meta.url));
const noLlm = fs.existsSync(LLM_MODELS) || process.env.CI === 'true' ? false : `LLM corpus not found at ${LLM_MODELS}`;

const names = { param: 'model.param', bin: 'model.bin', table: 'model.table' };

function cases() {
  const dir = path.join(CONFORMANCE, 'cases');
  return fs
    .readdirSync(dir)
    .map((c) => path.join(dir, c))
    .filter((d) => ['model.param', 'model.bin'].every((f) => fs.existsSync(path.join(d, f))));
}

// A source over `bin` that keeps what it was asked: the listed reads
// (prefetch) and every read, in order.
function recordingSource(bin) {
  const source = {
    size: bin.length,
    listed: null,
    reads: [],
    read(offset, dst) {
      source.reads.push([offset, dst.length]);
      const part = bin.subarray(offset, offset + dst.length);
      dst.set(part);
      return part.length;
    },
    prefetch: (offsets, bytes) => (source.listed = { offsets, bytes }),
  };
  return source;
}

// Whether the listed reads are exactly the first reads made.
const listedExactly = ({ listed, reads }) => reads.slice(0, listed.offsets.length).every(([o], i) => o === listed.offsets[i]) && reads.length >= listed.offsets.length;

// Runs the core on `dir`: the recording source (listed, reads) and the output.
async function run(dir) {
  const param = new Uint8Array(fs.readFileSync(path.join(dir, 'model.param')));
  const tableFile = path.join(dir, 'model.table');
  const table = fs.existsSync(tableFile) ? new Uint8Array(fs.readFileSync(tableFile)) : null;
  const source = recordingSource(fs.readFileSync(path.join(dir, 'model.bin')));
  await listIndexReads(param, source, names);
  await runCore({ param, table, binSize: source.size, names, readBin: source.read, writeBin: () => {}, onProgress: null });
  return source;
}

test('indexReads lists the index reads of every all-fp32 .bin exactly', { skip: noConformance }, async () => {
  let exact = 0;
  for (const dir of cases()) {
    let r;
    try {
      r = await run(dir);
    } catch (e) {
      if (e.code === 'input') continue;
      throw e;
    }
    assert.ok(r.listed, `${path.basename(dir)}: a list`);
    assert.equal(r.listed.bytes, 64 * 1024);
    if (listedExactly(r)) exact++;
    else assert.match(path.basename(dir), /fp16|mixed/, `${path.basename(dir)}: the listed reads differ from the index's: ${r.listed.offsets.slice(0, 5)} / ${r.reads.slice(0, 5).map(([o]) => o)}`);
  }
  assert.ok(exact >= 10, `${exact} cases listed exactly`);
});

test('indexReads: null for a .param that does not parse; nothing listed is needed for a run', async () => {
  const M = await getModule();
  assert.equal(M.indexReads(new TextEncoder().encode('not a param file'), 100, names), null);
  assert.equal(M.indexReads(new TextEncoder().encode('7767517\n1 1\nInput in 0 1 in\n'), -1, names), null);
  const r = M.indexReads(new TextEncoder().encode('7767517\n1 1\nInput in 0 1 in\n'), 0, names);
  assert.deepEqual(r.offsets, []);
});

test('indexReads lists the index reads of every LLM corpus model exactly, for llmTable and llmQuantize', { skip: noLlm }, async () => {
  const models = fs.readdirSync(LLM_MODELS).filter((f) => f.endsWith('.bin')).map((f) => f.slice(0, -4));
  assert.ok(models.length >= 4, `${models.length} models`);
  for (const m of models) {
    const param = fs.readFileSync(path.join(LLM_MODELS, `${m}.param`), 'utf8');
    const bin = fs.readFileSync(path.join(LLM_MODELS, `${m}.bin`));
    const llmNames = { param: `${m}.param`, bin: `${m}.bin` };
    for (const [what, call] of [
      ['llmTable', (source) => llmTable({ param, bin: source, names: llmNames, method: 'minmax', bits: 6, block: 64 })],
      ['llmQuantize', (source) => llmQuantize({ param, bin: source, names: llmNames, method: 'minmax', bits: 6, block: 64, writeBin: () => {} })],
    ]) {
      const source = recordingSource(bin);
      await call(source);
      assert.ok(source.listed && source.listed.offsets.length > 0, `${m}, ${what}: a list`);
      assert.ok(listedExactly(source), `${m}, ${what}: the listed reads are the index's: ${source.listed.offsets.slice(0, 5)} / ${source.reads.slice(0, 5).map(([o]) => o)}`);
    }
  }
});
