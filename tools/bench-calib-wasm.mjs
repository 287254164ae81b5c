#!/usr/bin/env node
// ncnn2table in WebAssembly against the native one, in one script: per case
// of the calibration corpus, the native CLI (build/ncnn2table, spawned), then
// calibrate() in this process on the threads build and on the single-thread
// build, at the same thread count, N repeats each, interleaved. Prints wall
// seconds (median), the ratios WASM / native and whether every table is
// byte-identical to the native one.
//   node tools/bench-calib-wasm.mjs [--cases "squeezenet_he oww_hello_deepa"] [--method kl] [--threads 2] [--repeats 1]
// Needs `npm run build` and the native build (tools/setup.sh).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { calibrate } from '../js/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const corpus = process.env.NCNN_INT8_CALIBRATION_DIR ?? path.join(root, '../shared/calibration');
const { values: opts } = parseArgs({
  options: {
    cases: { type: 'string' },
    method: { type: 'string', default: 'kl' },
    threads: { type: 'string', default: '2' },
    repeats: { type: 'string', default: '1' },
  },
});
const native = path.join(root, 'build/ncnn2table');
for (const [p, hint] of [
  [native, 'run tools/setup.sh'],
  [path.join(root, 'dist/ncnn_int8_calib_mt.wasm'), 'run npm run build'],
  [path.join(corpus, 'cases'), 'the calibration corpus'],
]) {
  if (!fs.existsSync(p)) {
    console.error(`bench-calib-wasm: missing ${p} (${hint})`);
    process.exit(1);
  }
}
const threads = Number(opts.threads);
const repeats = Number(opts.repeats);
const names = opts.cases ? opts.cases.split(/\s+/) : fs.readdirSync(path.join(corpus, 'cases')).sort();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-calib-wasm-'));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log(`method=${opts.method} thread=${threads}, median of ${repeats}; load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
console.log('| case | native | wasm threads | ratio | wasm single-thread build (one thread) | ratio | tables identical |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
let identical = 0;
let compared = 0;
for (const name of names) {
  const dir = path.join(corpus, 'cases', name);
  const args = fs
    .readFileSync(path.join(dir, 'args.txt'), 'utf8')
    .trim()
    .split(/\s+/)
    .filter((a) => !a.startsWith('thread='))
    .concat(`thread=${threads}`, `method=${opts.method}`);
  const listFiles = fs.existsSync(path.join(dir, 'list.txt')) ? ['list.txt'] : ['list_a.txt', 'list_b.txt'];
  const inputs = listFiles.map((f) =>
    fs
      .readFileSync(path.join(dir, f), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .map((p) => path.join(dir, p)),
  );
  const param = fs.readFileSync(path.join(dir, 'model.param'));
  const bin = fs.readFileSync(path.join(dir, 'model.bin'));
  const times = { native: [], threads: [], single: [] };
  let expected = null;
  const tables = [];
  for (let r = 0; r < repeats; r++) {
    const out = path.join(tmp, `${name}.table`);
    let t0 = performance.now();
    const n = spawnSync(native, ['model.param', 'model.bin', listFiles.join(','), out, ...args], { cwd: dir, encoding: 'utf8' });
    times.native.push((performance.now() - t0) / 1000);
    if (n.status !== 0) throw new Error(`native ncnn2table failed on ${name}: ${n.stderr}`);
    expected = fs.readFileSync(out);
    for (const build of ['threads', 'single']) {
      t0 = performance.now();
      const res = await calibrate({ param, bin, inputs, options: args, build });
      times[build].push((performance.now() - t0) / 1000);
      tables.push(res.table);
    }
  }
  const same = tables.every((t) => Buffer.compare(Buffer.from(t), expected) === 0);
  compared += tables.length;
  identical += tables.filter((t) => Buffer.compare(Buffer.from(t), expected) === 0).length;
  const [tn, tt, ts] = [median(times.native), median(times.threads), median(times.single)];
  console.log(`| ${name} | ${tn.toFixed(2)} s | ${tt.toFixed(2)} s | ${(tt / tn).toFixed(2)}x | ${ts.toFixed(2)} s | ${(ts / tn).toFixed(2)}x | ${same ? 'yes' : 'NO'} |`);
}
console.log(`tables identical to the native one: ${identical} of ${compared}`);
fs.rmSync(tmp, { recursive: true, force: true });
process.exit(identical === compared ? 0 : 1);
