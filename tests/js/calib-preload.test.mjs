// preloadCalibration() (js/calibrate.js), which the page's run worker calls
// before the click: it loads each build and runs its one-time set-up on a
// tiny model and .npy of its own, or on the given .param, whose errors it
// reports as calibrate() would; calibrate() after it is unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { calibrate } from '../../js/index.js';
import { preloadCalibration } from '../../js/calibrate.js';
import { ROOT } from './_helpers.mjs';

const BASE = path.join(ROOT, 'tests/bad_inputs/calib/base');
const OPTIONS = { mean: [104, 117, 123], norm: [0.017, 0.017, 0.017], shape: [8, 6, 3], pixel: 'BGR', thread: 2 };

test('preloadCalibration: both builds, its own tiny inputs or the given .param; errors as calibrate() gives them', async () => {
  const param = fs.readFileSync(path.join(BASE, 'model.param'));
  for (const build of ['single', 'threads']) {
    await preloadCalibration({ build });
    await preloadCalibration({ build, param });
    await assert.rejects(preloadCalibration({ build, param: 'not a param file' }), (e) => e.code === 'input' && /model\.param/.test(e.message), build);
  }
  const list = fs.readFileSync(path.join(BASE, 'list.txt'), 'utf8').split('\n').filter(Boolean).map((f) => path.join(BASE, f));
  const run = (build) => calibrate({ param, bin: fs.readFileSync(path.join(BASE, 'model.bin')), inputs: [list], options: OPTIONS, build });
  const [single, threads] = [await run('single'), await run('threads')];
  assert.equal(threads.tableText, single.tableText);
  assert.ok(single.tableText.length > 0);
});
