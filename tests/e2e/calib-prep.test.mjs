// The calibration section's pure parts (web/calib-prep.js), in Node: the
// option strings handed to calibrate(), the reading order of the inputs,
// the warnings about what the model sees, and the progress estimate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  PRESETS, ProgressClock, buildOptions, expectedRange, fieldWarnings, inputKind, inputType, matchingPreset, mergeInputs, numbers,
  previewDims, tensorStats, tensorWarnings,
} from '../../web/calib-prep.js';

const file = (name, extra = {}) => ({ name, size: 1, ...extra });

test('option strings are the CLI\'s, the digits typed kept', () => {
  const { options } = buildOptions(
    [{ blob: 'data', mean: '123.675, 116.28,103.53', norm: '[0.01712475,0.017507,0.01742919]', shape: '224 224 3', pixel: 'RGB' }],
    { type: 0, method: 'kl', thread: 2 },
  );
  assert.deepEqual(options, {
    method: 'kl', type: 0, thread: 2, shape: '[224,224,3]',
    mean: '[123.675,116.28,103.53]', norm: '[0.01712475,0.017507,0.01742919]', pixel: 'RGB',
  });
  const two = buildOptions([{ blob: 'a', shape: '96,16' }, { blob: 'b', shape: '[96,16]' }], { type: 1, method: 'aciq', thread: 1 });
  assert.deepEqual(two.options, { method: 'aciq', type: 1, thread: 1, shape: '[96,16],[96,16]' });
});

test('the size a preview is laid out at before it is ready', () => {
  assert.deepEqual(previewDims({ shape: '224,224,3', pixel: 'RGB' }, 0), { w: 224, h: 224, c: 3 });
  assert.deepEqual(previewDims({ shape: '[96 64]', pixel: 'GRAY' }, 0), { w: 96, h: 64, c: 1 });
  assert.deepEqual(previewDims({ shape: '32,32', pixel: 'BGRA' }, 0), { w: 32, h: 32, c: 4 });
  // .npy: the shape the file must have, one channel unless a third number says.
  assert.deepEqual(previewDims({ shape: '[96,16]' }, 1), { w: 96, h: 16, c: 1 });
  assert.deepEqual(previewDims({ shape: '8,8,2' }, 1), { w: 8, h: 8, c: 2 });
  // Not known before reading: a size kept from the image (0), a bad field.
  assert.equal(previewDims({ shape: '0,224', pixel: 'RGB' }, 0), null);
  assert.equal(previewDims({ shape: '1,2,3,4' }, 1), null);
  assert.equal(previewDims({ shape: '224,x', pixel: 'RGB' }, 0), null);
  assert.equal(previewDims({ shape: '', pixel: 'RGB' }, 0), null);
});

test('bad fields are named with their input', () => {
  const r = buildOptions([{ blob: 'a', shape: '96' }, { blob: 'b', shape: '96,x', mean: '', norm: '1,1,1', pixel: 'RGB' }], { type: 0, method: 'kl', thread: 1 });
  assert.equal(r.options, undefined);
  assert.ok(r.problems.some((p) => /^Shape of input 1 \(a\): "96"/.test(p)), r.problems.join('|'));
  assert.ok(r.problems.some((p) => /^Shape of input 2 \(b\): "96,x"/.test(p)));
  assert.ok(r.problems.some((p) => /^Mean of input 2 \(b\)/.test(p)));
  assert.deepEqual(fieldWarnings({ norm: '1,0,1' }, 0).map((w) => w.code), ['norm-zero']);
  assert.deepEqual(fieldWarnings({ norm: '1,0,1' }, 1), [], 'npy has no norm');
  assert.equal(numbers('1,,2'), null);
});

test('inputs: images and npy only, natural name order, same name replaced, kinds not mixed', () => {
  const a = mergeInputs([], [file('img10.png'), file('img2.png'), file('notes.txt'), file('IMG1.JPG')]);
  assert.deepEqual(a.files.map((f) => f.name), ['IMG1.JPG', 'img2.png', 'img10.png']);
  assert.deepEqual(a.skipped, ['notes.txt']);
  const newer = file('img2.png', { size: 2 });
  const b = mergeInputs(a.files, [newer, file('d/x.bmp', { webkitRelativePath: 'd/x.bmp' })]);
  assert.equal(b.files.find((f) => f.name === 'img2.png'), newer);
  assert.equal(b.files.length, 4);
  assert.equal(inputKind('a.NPY'), 'npy');
  assert.equal(inputKind('a.gif'), null);
  assert.deepEqual(inputType([[file('a.npy')], [file('b.npy')]]), { type: 1 });
  assert.match(inputType([[file('a.npy'), file('b.png')]]).problem, /mixed/);
});

test('presets: recognised from their values; expected ranges', () => {
  for (const p of PRESETS) assert.equal(matchingPreset({ mean: p.mean, norm: `[${p.norm}]`, pixel: p.pixel })?.id, p.id);
  assert.equal(matchingPreset({ mean: '104,117,123', norm: '1,1,1', pixel: 'RGB' }), null, 'pixel order is part of a preset');
  const [lo, hi] = expectedRange('123.675,116.28,103.53', '0.01712475,0.017507,0.01742919');
  assert.ok(Math.abs(lo + 2.1179) < 1e-3 && Math.abs(hi - 2.64) < 1e-2, `${lo}..${hi}`);
});

test('warnings about what the model sees', () => {
  const codes = (data, c, ctx) => tensorWarnings(tensorStats({ data: Float32Array.from(data), c }), { channels: c, ...ctx }).map((w) => w.code);
  const imagenet = { type: 0, ...PRESETS[0], preset: PRESETS[0] };
  assert.deepEqual(codes([0, 0, 0, 0], 1, imagenet), ['all-zero']);
  assert.deepEqual(codes([0.5, -1, 0.2, 0.3, 0, 0, 0, 0, 1, 2, 1.5, 0.7], 3, imagenet), ['zero-channel']);
  const clipped = Array.from({ length: 64 }, (_, i) => (i < 20 ? -2 : i < 40 ? 2.5 : (i - 40) / 10));
  assert.deepEqual(codes(clipped, 1, imagenet), ['saturated']);
  assert.deepEqual(codes(clipped.slice(18, 30), 1, imagenet), [], 'too few values to say');
  assert.deepEqual(codes([-2, -1, 0, 0.5, 1, 2.5, 1.5, -0.5], 1, imagenet), []);
  assert.deepEqual(codes([0.01, 0.02, 0.03, 0.015, 0.025, 0.012, 0.018, 0.022], 1, imagenet), ['narrow']);
  const custom = { type: 0, mean: '0,0,0', norm: '1,1,1', preset: null };
  assert.deepEqual(codes([0, 12, 250, 100, 30, 60, 90, 120], 1, custom), ['range']);
  assert.deepEqual(codes([1e-4, 2e-4, -1e-4, 3e-4], 1, custom), ['range']);
  assert.deepEqual(codes([NaN, 1, 2, 3], 1, custom), ['non-finite']);
  assert.deepEqual(codes([32000, -1000, 5, 7], 1, { type: 1 }), ['range'], 'npy at int16 scale');
  assert.deepEqual(codes([0.3, -1, 5, 7], 1, { type: 1 }), []);
});

test('progress: passes per method, the input under way, time left', () => {
  const clock = new ProgressClock('kl', 0);
  const a = clock.update({ stage: 'absmax', done: 5, total: 10, name: 'x.png' }, 1000);
  assert.equal(a.fraction, 0.25);
  assert.match(a.text, /^25% · pass 1 of 2 \(absmax\) · input 6 of 10 \(x\.png\) · about 3 s left$/);
  const b = clock.update({ stage: 'histogram', done: 10, total: 10, name: 'y.png' }, 4000);
  assert.equal(b.fraction, 1);
  assert.match(b.text, /pass 2 of 2 \(histogram\) · 10 of 10 inputs/);
  const c = new ProgressClock('aciq', 0).update({ stage: 'absmax', done: 1, total: 4, name: '' }, 100);
  assert.match(c.text, /^25% · input 2 of 4$/, 'one pass: no pass count, no estimate this early');
});

test("progress: eq's search is its own pass, its time left from its own pace", () => {
  const clock = new ProgressClock('eq', 0);
  clock.update({ stage: 'absmax', done: 10, total: 10, name: 'a.npy' }, 500);
  clock.update({ stage: 'histogram', done: 10, total: 10, name: 'a.npy' }, 1000);
  const early = clock.update({ stage: 'eq', done: 10, total: 1000, name: '' }, 3000);
  assert.match(early.text, /^67% · pass 3 of 3 \(eq\) · 10 of 1000 scales searched$/, 'no estimate this early');
  // A tenth of the search in 10 s since kl ended: 90 s left, not the 5 s the whole run's pace would say.
  const mid = clock.update({ stage: 'eq', done: 100, total: 1000, name: '' }, 11000);
  assert.ok(Math.abs(mid.fraction - 0.7) < 1e-9);
  assert.match(mid.text, /^70% · pass 3 of 3 \(eq\) · 100 of 1000 scales searched · about 1 min 30 s left$/);
  const end = clock.update({ stage: 'eq', done: 1000, total: 1000, name: '' }, 101000);
  assert.match(end.text, /^100% · pass 3 of 3 \(eq\) · 1000 of 1000 scales searched/);
});
