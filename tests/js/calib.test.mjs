// calibrate() / preprocess() / modelInputs() and `npx ncnn2table`: every case
// of ../shared/calibration (kl and aciq) byte for byte against the native
// ncnn2table on the same inputs and options, both WebAssembly builds and
// thread counts; cancel; bad inputs (rejections with the right code and a
// message naming the file or option), and the CLI's bad-input corpus
// (tests/bad_inputs/calib) through the npx entry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { calibrate, modelInputs, preprocess } from '../../js/index.js';
import { ROOT, bytesEqual, tempDir } from './_helpers.mjs';

const CALIB = fileURLToPath(new URL('../../../shared/calibration/', import.meta.url));
const haveCalib = fs.existsSync(path.join(CALIB, 'cases'));
if (!haveCalib && process.env.CI === 'true') throw new Error(`calibration corpus missing at ${CALIB} (CI=true)`);
const noCalib = haveCalib ? false : `calibration corpus not found at ${CALIB}`;
const NATIVE = path.join(ROOT, 'build/ncnn2table');
const haveNative = fs.existsSync(NATIVE);
if (!haveNative && process.env.CI === 'true') throw new Error(`${NATIVE} missing (CI=true): the native build comes first`);
const noNative = haveNative ? false : `native ncnn2table not built (${NATIVE})`;
const NPX = path.join(ROOT, 'js/ncnn2table-cli.js');
const BASE = path.join(ROOT, 'tests/bad_inputs/calib/base');

// A corpus case: its folder, lists (one per Input layer) and key=value args.
function corpusCases() {
  return fs
    .readdirSync(path.join(CALIB, 'cases'))
    .sort()
    .map((name) => {
      const dir = path.join(CALIB, 'cases', name);
      const args = fs.readFileSync(path.join(dir, 'args.txt'), 'utf8').trim().split(/\s+/);
      const listFiles = fs.existsSync(path.join(dir, 'list.txt')) ? ['list.txt'] : ['list_a.txt', 'list_b.txt'];
      const lists = listFiles.map((f) => fs.readFileSync(path.join(dir, f), 'utf8').split('\n').map((l) => l.trim()).filter(Boolean));
      return { name, dir, args, listFiles, lists };
    });
}

const withThread = (args, n) => args.filter((a) => !a.startsWith('thread=')).concat(`thread=${n}`);

// The native tool's table, run from the case folder as cmd.txt does (once
// per case and arguments: the npx test reuses the calibrate() test's).
const nativeTables = new Map();
function nativeTable(c, args, out) {
  const key = `${c.name} ${args.join(' ')}`;
  if (!nativeTables.has(key)) {
    const r = spawnSync(NATIVE, ['model.param', 'model.bin', c.listFiles.join(','), out, ...args], { cwd: c.dir, encoding: 'utf8' });
    assert.equal(r.status, 0, `native ncnn2table failed on ${c.name}: ${r.stderr}`);
    nativeTables.set(key, fs.readFileSync(out));
  }
  return nativeTables.get(key);
}

function modelOf(c) {
  return { param: fs.readFileSync(path.join(c.dir, 'model.param')), bin: fs.readFileSync(path.join(c.dir, 'model.bin')) };
}

test('calibrate() on the calibration corpus equals the native ncnn2table (kl, aciq)', { skip: noCalib || noNative }, async (t) => {
  const dir = tempDir(t);
  for (const c of corpusCases()) {
    for (const method of ['kl', 'aciq']) {
      await t.test(`${c.name} ${method}`, async () => {
        const args = withThread([...c.args, `method=${method}`], 2);
        const expected = nativeTable(c, args, path.join(dir, `${c.name}.${method}.table`));
        // kl: the inputs as paths (Node reads them); aciq: as Blobs (read asynchronously).
        const inputs = c.lists.map((list) =>
          list.map((p) => (method === 'kl' ? path.join(c.dir, p) : new Blob([fs.readFileSync(path.join(c.dir, p))]))),
        );
        let progressCalls = 0;
        const r = await calibrate({ ...modelOf(c), inputs, options: args, onProgress: () => void progressCalls++ });
        assert.ok(bytesEqual(r.table, expected), `${c.name} ${method}: the table differs from the native one`);
        assert.equal(r.tableText, expected.toString('utf8'));
        assert.equal(r.report.method, method);
        assert.equal(r.report.files, c.lists[0].length);
        assert.ok(progressCalls >= c.lists[0].length, 'progress was reported per input');
      });
    }
  }
});

test('eq reports its search as one stage, in scales searched, up to its total', { skip: noCalib }, async () => {
  const c = corpusCases().find((x) => x.name === 'oww_hello_deepa');
  const inputs = c.lists.map((list) => list.map((p) => ({ name: p, bytes: fs.readFileSync(path.join(c.dir, p)) })));
  const seen = [];
  const r = await calibrate({ ...modelOf(c), inputs, options: withThread([...c.args, 'method=eq'], 1), onProgress: (p) => void seen.push(p) });
  const stages = [...new Set(seen.map((p) => p.stage))];
  assert.deepEqual(stages, ['absmax', 'histogram', 'eq']);
  const eq = seen.filter((p) => p.stage === 'eq');
  // A layer's weight scales, then its activation scale (weighed as all of them): twice the weight scales.
  const weightScales = r.tableText
    .split('\n')
    .filter((line) => /_param_0 /.test(line))
    .reduce((n, line) => n + line.trim().split(/\s+/).length - 1, 0);
  assert.ok(weightScales > 0);
  for (const p of eq) assert.equal(p.total, 2 * weightScales);
  for (let i = 1; i < eq.length; i++) assert.ok(eq[i].done >= eq[i - 1].done, `eq progress went back: ${eq[i - 1].done} then ${eq[i].done}`);
  assert.equal(eq.at(-1).done, eq.at(-1).total, 'the last report is the end of the search');
});

test('the table does not depend on the build or the thread count', { skip: noCalib || noNative }, async () => {
  // squeezenet_he: keep-aspect resize, so blob sizes differ per input (aciq's N).
  const c = corpusCases().find((x) => x.name === 'squeezenet_he');
  const inputs = c.lists.map((list) => list.map((p) => ({ name: p, bytes: fs.readFileSync(path.join(c.dir, p)) })));
  const tables = [];
  for (const [build, thread] of [['single', 1], ['threads', 1], ['threads', 2], ['threads', 3]]) {
    const r = await calibrate({ ...modelOf(c), inputs, options: withThread([...c.args, 'method=aciq'], thread), build });
    assert.equal(r.report.threads, thread, `${build} thread=${thread}`);
    tables.push(r.table);
  }
  for (const t of tables.slice(1)) assert.ok(bytesEqual(t, tables[0]));
});

test('options as an object equal the CLI strings', { skip: noCalib }, async () => {
  const c = corpusCases().find((x) => x.name === 'oww_alexa_rhasspy');
  const inputs = c.lists.map((list) => list.map((p) => path.join(c.dir, p)));
  const a = await calibrate({ ...modelOf(c), inputs, options: c.args });
  const b = await calibrate({ ...modelOf(c), inputs, options: { shape: [[96, 16], [96, 16]], type: 1, thread: 2, method: 'kl', precision: 'fixed' } });
  assert.ok(bytesEqual(a.table, b.table));
});

test('a scale too small for %f: a warning naming the layer, and precision full', { skip: noCalib }, async () => {
  const c = corpusCases().find((x) => x.name === 'oww_melspectrogram');
  const inputs = c.lists.map((list) => list.map((p) => path.join(c.dir, p)));
  const fixed = await calibrate({ ...modelOf(c), inputs, options: c.args });
  const w = fixed.warnings.find((x) => x.code === 'scale_prints_zero');
  assert.ok(w, JSON.stringify(fixed.warnings));
  assert.match(w.layer, /InnerProduct/);
  const full = await calibrate({ ...modelOf(c), inputs, options: { ...Object.fromEntries(c.args.map((a) => a.split('='))), precision: 'full' } });
  assert.equal(full.warnings.filter((x) => x.code === 'scale_prints_zero').length, 0);
  assert.ok(!full.tableText.includes(' 0.000000'));
});

// --- fixtures committed with the bad-input corpus: need no ../shared ---------

const baseModel = () => ({ param: fs.readFileSync(path.join(BASE, 'model.param')), bin: fs.readFileSync(path.join(BASE, 'model.bin')) });
const baseImages = () => fs.readFileSync(path.join(BASE, 'list.txt'), 'utf8').split('\n').filter(Boolean).map((p) => path.join(BASE, p));
const IMAGE_OPTIONS = { mean: [104, 117, 123], norm: [0.017, 0.017, 0.017], shape: [8, 6, 3], pixel: 'BGR', thread: 1 };

async function rejection(promise) {
  const err = await promise.then(
    () => null,
    (e) => e,
  );
  assert.ok(err instanceof Error, 'expected a rejection');
  return err;
}

test('modelInputs() lists the Input layers with their shape hints', async () => {
  const inputs = await modelInputs({ param: fs.readFileSync(path.join(BASE, 'model.param')) });
  assert.equal(inputs.length, 1);
  assert.equal(typeof inputs[0].blob, 'string');
  assert.equal(typeof inputs[0].layer, 'string');
  const err = await rejection(modelInputs({ param: 'not a param file', names: { param: 'bad.param' } }));
  assert.equal(err.code, 'input');
  assert.match(err.message, /bad\.param/);
});

test('modelInputs() on a two-input model', { skip: noCalib }, async () => {
  const c = corpusCases().find((x) => x.name === 'oww_alexa_rhasspy');
  const inputs = await modelInputs({ param: fs.readFileSync(path.join(c.dir, 'model.param')) });
  assert.equal(inputs.length, 2);
  assert.notEqual(inputs[0].blob, inputs[1].blob);
});

test('calibrate() on the committed fixtures: paths, bytes and both builds agree', async () => {
  const files = baseImages();
  const tables = [];
  for (const [build, inputs] of [
    ['single', [files]],
    ['threads', [files.map((f) => new Blob([fs.readFileSync(f)]))]],
    ['threads', [files.map((f) => fs.readFileSync(f))]],
  ]) {
    const r = await calibrate({ ...baseModel(), inputs, options: { ...IMAGE_OPTIONS, thread: 2 }, build });
    tables.push(r.table);
    assert.ok(r.report.blobs.length > 0);
  }
  assert.ok(bytesEqual(tables[0], tables[1]) && bytesEqual(tables[0], tables[2]));
});

test('calibrate() matches the native CLI on the committed fixtures', { skip: noNative }, async (t) => {
  const dir = tempDir(t);
  for (const method of ['kl', 'aciq']) {
    const out = path.join(dir, `${method}.table`);
    const r = spawnSync(NATIVE, ['model.param', 'model.bin', 'list.txt', out, 'mean=[104,117,123]', 'norm=[0.017,0.017,0.017]', 'shape=[8,6,3]', 'pixel=BGR', `method=${method}`], {
      cwd: BASE,
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    const js = await calibrate({ ...baseModel(), inputs: [baseImages()], options: { ...IMAGE_OPTIONS, method } });
    assert.ok(bytesEqual(js.table, fs.readFileSync(out)), method);
  }
});

test('method=eq: the same table as the native CLI, or the same refusal', { skip: noNative }, async (t) => {
  const dir = tempDir(t);
  const out = path.join(dir, 'eq.table');
  const r = spawnSync(NATIVE, ['model.param', 'model.bin', 'list.txt', out, 'mean=[104,117,123]', 'norm=[0.017,0.017,0.017]', 'shape=[8,6,3]', 'pixel=BGR', 'method=eq'], {
    cwd: BASE,
    encoding: 'utf8',
  });
  const js = calibrate({ ...baseModel(), inputs: [baseImages()], options: { ...IMAGE_OPTIONS, method: 'eq' } });
  if (r.status === 0) {
    assert.ok(bytesEqual((await js).table, fs.readFileSync(out)));
  } else {
    const err = await rejection(js);
    assert.equal(`ncnn2table: error: ${err.message}\n`, r.stderr);
  }
});

test('cancel: an AbortSignal or onProgress returning false rejects with code cancelled', async () => {
  const files = baseImages();
  const many = [Array.from({ length: 40 }, (_, i) => files[i % files.length])];
  for (const build of ['threads', 'single']) {
    const ac = new AbortController();
    const err = await rejection(
      calibrate({ ...baseModel(), inputs: many, options: { ...IMAGE_OPTIONS, thread: 2 }, build, signal: ac.signal, onProgress: () => ac.abort() }),
    );
    assert.equal(err.code, 'cancelled', `${build}: ${err.message}`);
    const err2 = await rejection(calibrate({ ...baseModel(), inputs: many, options: IMAGE_OPTIONS, build, onProgress: () => false }));
    assert.equal(err2.code, 'cancelled', `${build}: ${err2.message}`);
  }
  const ac = new AbortController();
  ac.abort();
  const err = await rejection(calibrate({ ...baseModel(), inputs: many, options: IMAGE_OPTIONS, signal: ac.signal }));
  assert.equal(err.code, 'cancelled');
  // the module is still usable
  const r = await calibrate({ ...baseModel(), inputs: [files], options: IMAGE_OPTIONS });
  assert.ok(r.table.length > 0);
});

test('bad inputs reject with the code and a message naming the file or option', async () => {
  const files = baseImages();
  const png = fs.readFileSync(files[0]);
  const npy = fs.readFileSync(path.join(BASE, 'a.npy'));
  const cases = [
    ['corrupt image', [[{ name: 'garbage.png', bytes: new TextEncoder().encode('not an image at all') }]], IMAGE_OPTIONS, 'input', /garbage\.png/],
    ['truncated image', [[{ name: 'cut.png', bytes: png.subarray(0, 60) }]], IMAGE_OPTIONS, 'input', /cut\.png/],
    ['missing file', [[path.join(BASE, 'no-such.png')]], IMAGE_OPTIONS, 'io', /no-such\.png.*cannot open/],
    ['wrong npy', [[{ name: 'bad.npy', bytes: npy.subarray(0, 20) }]], { shape: [4, 3], type: 1 }, 'input', /bad\.npy/],
    ['png given as npy', [[{ name: 'img.npy', bytes: png }]], { shape: [4, 3], type: 1 }, 'input', /img\.npy/],
    ['unknown option', [files], { ...IMAGE_OPTIONS, methd: 'kl' }, 'input', /unknown option 'methd'/],
    ['bad method', [files], { ...IMAGE_OPTIONS, method: 'foo' }, 'input', /option method/],
    ['norm 0', [files], { ...IMAGE_OPTIONS, norm: [1, 0, 1] }, 'input', /option norm/],
    ['mean too short', [files], { ...IMAGE_OPTIONS, mean: [1, 2] }, 'input', /option mean/],
    ['two lists, one input', [files, files], IMAGE_OPTIONS, 'input', /1 Input layer but 2 lists/],
    ['shape count', [files], { ...IMAGE_OPTIONS, shape: [[8, 6, 3], [8, 6, 3]] }, 'input', /option shape/],
  ];
  for (const build of ['threads', 'single']) {
    for (const [what, inputs, options, code, message] of cases) {
      const err = await rejection(calibrate({ ...baseModel(), inputs, options, build }));
      assert.equal(err.code, code, `${build} ${what}: ${err.code} ${err.message}`);
      assert.match(err.message, message, `${build} ${what}`);
    }
  }
  await assert.rejects(calibrate({ ...baseModel(), inputs: [[42]], options: IMAGE_OPTIONS }), TypeError);
  await assert.rejects(calibrate({ ...baseModel(), inputs: 'x', options: IMAGE_OPTIONS }), TypeError);
  await assert.rejects(calibrate({ ...baseModel(), inputs: [files], options: { mean: {} } }), TypeError);
});

test('preprocess() gives the tensor calibration feeds the model', async () => {
  const file = baseImages()[0];
  const a = await preprocess({ input: file, options: { mean: [0, 0, 0], norm: [1, 1, 1], shape: [8, 6, 3], pixel: 'BGR' } });
  assert.deepEqual([a.w, a.h, a.c, a.dims], [8, 6, 3, 3]);
  assert.equal(a.data.length, 8 * 6 * 3);
  assert.equal(a.min, Math.min(...a.data));
  assert.equal(a.max, Math.max(...a.data));
  assert.ok(a.min >= 0 && a.max <= 255);
  // mean and norm: (x - mean) * norm
  const b = await preprocess({ input: fs.readFileSync(file), options: { mean: [10, 20, 30], norm: [2, 2, 2], shape: [8, 6, 3], pixel: 'BGR' } });
  for (let q = 0; q < 3; q++)
    for (let i = 0; i < 48; i++) assert.equal(b.data[q * 48 + i], Math.fround((a.data[q * 48 + i] - [10, 20, 30][q]) * 2));
  // RGB swaps the planes of BGR
  const rgb = await preprocess({ input: file, options: { mean: [0, 0, 0], norm: [1, 1, 1], shape: [8, 6, 3], pixel: 'RGB' } });
  assert.deepEqual(rgb.data.subarray(0, 48), a.data.subarray(96, 144));
  // npy: the array as it is
  const npyBytes = fs.readFileSync(path.join(BASE, 'a.npy'));
  const headerLen = npyBytes.readUInt16LE(8);
  const values = new Float32Array(npyBytes.buffer.slice(npyBytes.byteOffset + 10 + headerLen, npyBytes.byteOffset + npyBytes.length));
  const header = npyBytes.subarray(10, 10 + headerLen).toString('latin1');
  const shape = header.match(/\(([^)]*)\)/)[1].split(',').map((s) => s.trim()).filter(Boolean).map(Number).reverse();
  const n = await preprocess({ input: { name: 'a.npy', bytes: npyBytes }, options: { shape, type: 1 } });
  assert.deepEqual(Array.from(n.data), Array.from(values));
  // errors name the option or the file; a model checks the input count
  assert.equal((await rejection(preprocess({ input: file, options: { mean: [0, 0, 0], norm: [0, 1, 1], shape: [8, 6, 3], pixel: 'BGR' } }))).code, 'input');
  assert.match((await rejection(preprocess({ input: { name: 'junk.png', bytes: new Uint8Array(10) }, options: IMAGE_OPTIONS }))).message, /junk\.png/);
  const param = fs.readFileSync(path.join(BASE, 'model.param'));
  assert.match((await rejection(preprocess({ input: file, inputIndex: 1, options: IMAGE_OPTIONS, param }))).message, /inputIndex 1/);
});

// --- npx ncnn2table ----------------------------------------------------------

function npx(args, cwd = ROOT) {
  const r = spawnSync(process.execPath, [NPX, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('npx ncnn2table: usage, version, exit codes, same messages as the native CLI', { skip: noNative }, (t) => {
  const dir = tempDir(t);
  for (const args of [[], ['--help'], ['--version'], ['--layers'], ['-x'], ['a', 'b'], ['m.param', 'm.bin', 'o.table=x']]) {
    const native = spawnSync(NATIVE, args, { cwd: dir, encoding: 'utf8' });
    const js = npx(args, dir);
    assert.equal(js.code, native.status, `${args.join(' ')}: ${js.stderr}`);
    assert.equal(js.stdout, native.stdout, args.join(' '));
    assert.equal(js.stderr, native.stderr, args.join(' '));
  }
  const missing = npx([path.join(dir, 'none.param'), 'x.bin', 'l.txt', path.join(dir, 'o.table'), 'mean=[1]']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^ncnn2table: error: .*none\.param: cannot open/);
  assert.ok(!fs.existsSync(path.join(dir, 'o.table')));
});

test('npx ncnn2table: the bad-input corpus behaves as the native CLI', () => {
  // The argument and input handling is the C++ the native CLI runs (the
  // whole corpus runs there under ctest and ASan); through npx one case of
  // each kind checks the Node side: reading lists and files, exit codes,
  // messages and that no output is left. CPU time of a Node process is not
  // what the runner measures here, hence the generous limit.
  const kinds = [
    'base-images', 'base-npy', 'base-weight-only', 'image-corrupt-zlib', 'image-missing', 'image-is-directory',
    'npy-truncated', 'list-missing', 'lists-too-many', 'option-unknown', 'option-norm-zero',
    'output-folder-missing', 'usage-too-few', 'shape-does-not-fit-weights',
  ];
  for (const only of kinds) {
    const r = spawnSync('bash', [path.join(ROOT, 'tests/bad_inputs/calib/run_calib_bad_inputs.sh'), '--cli', NPX, '--seconds', '600', '--only', only, path.join(ROOT, 'tests/bad_inputs/calib/cases')], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, `${only}: ${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /: 1 passed, 0 failed/, `${only}: the runner did not run exactly this case`);
  }
});

test('npx ncnn2table on the corpus equals the native table and report lines', { skip: noCalib || noNative }, async (t) => {
  const dir = tempDir(t);
  for (const c of corpusCases()) {
    await t.test(c.name, () => {
      const args = withThread([...c.args, 'method=kl'], 2);
      const expected = nativeTable(c, args, path.join(dir, `${c.name}.native.table`));
      const out = path.join(dir, `${c.name}.npx.table`);
      const report = path.join(dir, `${c.name}.json`);
      const r = npx(['model.param', 'model.bin', c.listFiles.join(','), out, ...args, `report=${report}`], c.dir);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(bytesEqual(fs.readFileSync(out), expected), `${c.name}: the table differs`);
      assert.ok(r.stderr.endsWith(`ncnn2table: wrote ${out}\n`));
      assert.equal(JSON.parse(fs.readFileSync(report, 'utf8')).tool, 'ncnn2table');
    });
  }
});
