#!/usr/bin/env node
// WASM vs native on the same model: quantizeFile() in this Node process (the
// npm package) against the native CLI (build/ncnn2int8, spawned), N repeats
// each, interleaved. Prints the times and the ratio WASM/native (target <= 2).
//   node tools/bench-wasm.mjs [--model DIR] [--kind vit] [--repeats 3]
// Default model: build-bench/bench-models/vit (~346 MB), generated with
// build/tools/ncnn_int8_make_model if absent. Needs `npm run build` and the
// native build (tools/setup.sh).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values: opts } = parseArgs({
  options: {
    model: { type: 'string' },
    kind: { type: 'string', default: 'vit' },
    repeats: { type: 'string', default: '3' },
  },
});
const kind = opts.kind;
const repeats = Number(opts.repeats);
const modelDir = path.resolve(opts.model ?? path.join(root, 'build-bench/bench-models', kind));
const nativeCli = path.join(root, 'build/ncnn2int8');
const generator = path.join(root, 'build/tools/ncnn_int8_make_model');

for (const [p, hint] of [
  [nativeCli, 'run tools/setup.sh'],
  [path.join(root, 'dist/ncnn_int8_wasm.wasm'), 'run npm run build'],
]) {
  if (!fs.existsSync(p)) {
    console.error(`bench-wasm: missing ${path.relative(root, p)} (${hint})`);
    process.exit(1);
  }
}
const files = ['model.param', 'model.bin', 'model.table'].map((f) => path.join(modelDir, f));
if (!files.every((f) => fs.existsSync(f))) {
  console.log(`generating the ${kind} model into ${path.relative(root, modelDir)} ...`);
  const r = spawnSync(generator, [kind, modelDir], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(1);
}
const [paramPath, binPath, tablePath] = files;
const binBytes = fs.statSync(binPath).size;

const out = path.join(root, 'build-bench/wasm-bench-out');
fs.mkdirSync(out, { recursive: true });
const o = (name) => path.join(out, name);

const { quantizeFile, version } = await import('../js/index.js');
let t0 = performance.now();
await version(); // instantiates the module
const instantiateMs = performance.now() - t0;

function runNative() {
  const t = performance.now();
  const r = spawnSync(nativeCli, [paramPath, binPath, o('native.param'), o('native.bin'), tablePath, '--quiet'], { encoding: 'utf8' });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`native CLI failed: ${r.stderr}`);
  return ms;
}
async function runWasm() {
  const t = performance.now();
  await quantizeFile({ paramPath, binPath, tablePath, outParamPath: o('wasm.param'), outBinPath: o('wasm.bin') });
  return performance.now() - t;
}

// Warm the page cache (and the JIT's compiled code) once, untimed.
runNative();
await runWasm();
const same = ['param', 'bin'].every((ext) => fs.readFileSync(o(`native.${ext}`)).equals(fs.readFileSync(o(`wasm.${ext}`))));

const native = [];
const wasm = [];
for (let i = 0; i < repeats; i++) {
  native.push(runNative());
  wasm.push(await runWasm());
}
fs.rmSync(out, { recursive: true, force: true });

const fmt = (ms) => `${(ms / 1000).toFixed(3)} s`;
const best = (xs) => Math.min(...xs);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mbs = (ms) => `${(binBytes / 1e6 / (ms / 1000)).toFixed(0)} MB/s`;
console.log(`model: ${path.relative(root, modelDir) || modelDir} (${(binBytes / 1e6).toFixed(1)} MB .bin), ${repeats} repeats each, outputs identical: ${same}`);
console.log(`wasm module instantiation (once): ${fmt(instantiateMs)}`);
console.log(`native CLI (spawned):       ${native.map(fmt).join(', ')}   best ${fmt(best(native))} (${mbs(best(native))}), median ${fmt(median(native))}`);
console.log(`WASM quantizeFile (node):   ${wasm.map(fmt).join(', ')}   best ${fmt(best(wasm))} (${mbs(best(wasm))}), median ${fmt(median(wasm))}`);
const ratioBest = best(wasm) / best(native);
const ratioMedian = median(wasm) / median(native);
console.log(`ratio WASM/native: best ${ratioBest.toFixed(2)}x, median ${ratioMedian.toFixed(2)}x (target <= 2x): ${ratioMedian <= 2 ? 'OK' : 'OVER TARGET'}`);
if (!same) {
  console.error('bench-wasm: the WASM and native outputs differ');
  process.exitCode = 1;
}
