// The .bin indexed from its first tag (QuantizeRequest::index_like_first_tag),
// as the page runs the core on a File: on every conformance case and every
// LLM corpus model, a run given a source whose far reads are slow (and so a
// rewind for its outputs) must give the bytes, report and errors of the run
// that reads every tag first; where the .bin is stored alike throughout, it
// reads the file front to back after its one read of the first tag, and
// never starts again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONFORMANCE, noConformance } from './_helpers.mjs';
import { runCore } from '../../js/core.js';
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

// A source over `bin` that logs where each read starts; `farReadsSlow` as
// blob_source.js says it of a File.
function loggingSource(bin, farReadsSlow) {
  const source = {
    size: bin.length,
    farReadsSlow,
    reads: [],
    read(offset, dst) {
      source.reads.push(offset);
      const part = bin.subarray(offset, offset + dst.length);
      dst.set(part);
      return part.length;
    },
    close() {},
  };
  return source;
}

const forwardAfterFirst = (reads) => reads.slice(1).every((o, i) => i === 0 || o >= reads[i]);

// One core run on `dir`: {error, param, bin, report, reads, rewinds}.
async function run(dir, guess) {
  const param = new Uint8Array(fs.readFileSync(path.join(dir, 'model.param')));
  const tableFile = path.join(dir, 'model.table');
  const table = fs.existsSync(tableFile) ? new Uint8Array(fs.readFileSync(tableFile)) : null;
  const source = loggingSource(fs.readFileSync(path.join(dir, 'model.bin')), guess);
  let chunks = [];
  let rewinds = 0;
  const out = { reads: source.reads };
  try {
    const r = await runCore({
      param,
      table,
      binSize: source.size,
      names,
      readBin: source.read,
      writeBin: (c) => chunks.push(Buffer.from(c)),
      rewindBin: guess
        ? () => {
            rewinds++;
            chunks = [];
          }
        : null,
      onProgress: null,
    });
    Object.assign(out, { param: Buffer.from(r.param), report: r.report, bin: Buffer.concat(chunks) });
  } catch (e) {
    out.error = `${e.code}: ${e.message}`;
  }
  out.rewinds = rewinds;
  return out;
}

test('conformance: indexed from the first tag, the same outputs and errors; stored alike, read front to back', { skip: noConformance }, async () => {
  let forward = 0;
  let all = 0;
  for (const dir of cases()) {
    const name = path.basename(dir);
    const read = await run(dir, false);
    const guessed = await run(dir, true);
    all++;
    assert.equal(guessed.error, read.error, `${name}: error`);
    if (read.error) continue;
    assert.ok(guessed.param.equals(read.param), `${name}: .param`);
    assert.ok(guessed.bin.equals(read.bin), `${name}: .bin`);
    assert.equal(guessed.report, read.report, `${name}: report`);
    if (forwardAfterFirst(guessed.reads)) {
      forward++;
      assert.equal(guessed.rewinds, 0, `${name}: read forward without starting again`);
    } else {
      assert.match(name, /fp16|mixed|int8/, `${name}: not read front to back: ${guessed.reads.slice(0, 8)}`);
    }
  }
  assert.ok(forward >= 10, `${forward} of ${all} cases read front to back`);
});

test('LLM corpus: indexed from the first tag, llmTable and llmQuantize give the same outputs, reading front to back', { skip: noLlm }, async () => {
  const models = fs.readdirSync(LLM_MODELS).filter((f) => f.endsWith('.bin')).map((f) => f.slice(0, -4));
  assert.ok(models.length >= 4, `${models.length} models`);
  let jumped = 0;
  for (const m of models) {
    const param = fs.readFileSync(path.join(LLM_MODELS, `${m}.param`), 'utf8');
    const bin = fs.readFileSync(path.join(LLM_MODELS, `${m}.bin`));
    const llmNames = { param: `${m}.param`, bin: `${m}.bin` };
    const options = { param, names: llmNames, method: 'minmax', bits: 6, block: 64 };
    for (const [what, call] of [
      ['llmTable', (source) => llmTable({ ...options, bin: source })],
      ['llmQuantize', (source) => llmQuantize({ ...options, bin: source })],
      ['llmQuantize + table', (source) => llmQuantize({ ...options, bin: source, makeTable: true })],
    ]) {
      const read = loggingSource(bin, false);
      const guessed = loggingSource(bin, true);
      const [a, b] = [await call(read).catch((e) => e), await call(guessed).catch((e) => e)];
      if (a instanceof Error) {
        assert.equal(b?.message, a.message, `${m}, ${what}: error`);
        continue;
      }
      assert.equal(b.table, a.table, `${m}, ${what}: table`);
      assert.ok(Buffer.from(b.bin ?? []).equals(Buffer.from(a.bin ?? [])), `${m}, ${what}: .bin`);
      assert.equal(b.param, a.param, `${m}, ${what}: .param`);
      assert.deepEqual(b.report, a.report, `${m}, ${what}: report`);
      assert.ok(forwardAfterFirst(guessed.reads), `${m}, ${what}: not read front to back: ${guessed.reads.slice(0, 8)}`);
      if (!forwardAfterFirst(read.reads)) jumped++;
    }
  }
  assert.ok(jumped > 0, 'reading every tag first jumps across the file');
});
