// Shared by the calibration end-to-end tests: the public calibration cases
// (../shared/calibration), the native ncnn2table / ncnn2int8 on the same
// inputs and options, and driving the page's calibration section.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { root, tmpDir, download } from './helpers.mjs';

export const calibDir = path.resolve(root, '..', 'shared', 'calibration', 'cases');
export const nativeTable = path.join(root, 'build', 'ncnn2table');
export const nativeInt8 = path.join(root, 'build', 'ncnn2int8');

// Why these tests cannot run here, or null.
export function calibPrerequisite() {
  for (const f of [nativeTable, nativeInt8]) {
    if (!fs.existsSync(f)) return `${path.relative(root, f)} is missing: build the native tools first (tools/test.sh does)`;
  }
  return null;
}

// The folder of a calibration case, or null when the corpus is absent (an
// error under CI=true, where it must be there).
export function calibCase(name) {
  const dir = path.join(calibDir, name);
  if (fs.existsSync(path.join(dir, 'model.param'))) return dir;
  if (process.env.CI === 'true') throw new Error(`${dir} is missing (CI=true): the shared calibration corpus must be there`);
  return null;
}

// A case's arguments (args.txt) and lists: { lists: [[absolute path]],
// perInput: [{ mean, norm, shape, pixel }] as the page's fields take them, type }.
export function caseSetup(dir) {
  const args = Object.fromEntries(
    fs.readFileSync(path.join(dir, 'args.txt'), 'utf8').trim().split(/\s+/).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
  const listNames = String(JSON.parse(fs.readFileSync(path.join(dir, 'case.json'), 'utf8')).lists).split(',');
  const lists = listNames.map((l) => fs.readFileSync(path.join(dir, l), 'utf8')
    .split(/\r?\n/).map((x) => x.trim()).filter(Boolean).map((p) => path.join(dir, p)));
  const groups = (v) => (v ? v.match(/\[[^\]]*\]/g).map((g) => g.slice(1, -1)) : []);
  const pixels = args.pixel ? args.pixel.split(',') : [];
  const perInput = lists.map((_, i) => ({ mean: groups(args.mean)[i], norm: groups(args.norm)[i], shape: groups(args.shape)[i], pixel: pixels[i] }));
  return { args, lists, perInput, type: Number(args.type ?? 0) };
}

// The native ncnn2table on `lists` (absolute paths, in this order) with the
// case's options -> { status, table: Buffer|null, stderr }.
export function runNativeTable(dir, lists, { method, thread = 1, extra = [] } = {}) {
  const work = tmpDir('calib-native-');
  const listFiles = lists.map((l, i) => {
    const f = path.join(work, `list${i}.txt`);
    fs.writeFileSync(f, `${l.join('\n')}\n`);
    return f;
  });
  const { args } = caseSetup(dir);
  const kv = Object.entries(args).filter(([k]) => k !== 'thread' && k !== 'method').map(([k, v]) => `${k}=${v}`);
  const out = path.join(work, 'native.table');
  const r = spawnSync(nativeTable, [path.join(dir, 'model.param'), path.join(dir, 'model.bin'), listFiles.join(','), out, ...kv, `method=${method}`, `thread=${thread}`, ...extra], {
    cwd: dir, encoding: 'utf8', maxBuffer: 64 << 20,
  });
  return { status: r.status, stderr: r.stderr, table: r.status === 0 ? fs.readFileSync(out) : null, path: out, work };
}

// The native ncnn2int8 with a table -> { param, bin } Buffers.
export function runNativeInt8(dir, tablePath) {
  const work = tmpDir('calib-int8-');
  const r = spawnSync(nativeInt8, [path.join(dir, 'model.param'), path.join(dir, 'model.bin'), path.join(work, 'o.param'), path.join(work, 'o.bin'), tablePath, '--quiet'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ncnn2int8 failed (${r.status}): ${r.stderr}`);
  return { param: fs.readFileSync(path.join(work, 'o.param')), bin: fs.readFileSync(path.join(work, 'o.bin')) };
}

// Drops the model (no table) and opens the calibration section; resolves
// when the model's inputs are listed there.
export async function openCalibration(page, dir, modelFiles = null) {
  await page.setInputFiles('#file-input', modelFiles ?? [path.join(dir, 'model.param'), path.join(dir, 'model.bin')]);
  await page.waitForSelector('#calib-offer', { state: 'visible' });
  await page.click('#calib-offer');
  await page.waitForSelector('#calib-files-0', { state: 'attached' });
}

// Fills one input's fields as the case's args.txt gives them.
export async function fillFields(page, i, fields, type) {
  if (type === 0) {
    await page.fill(`#calib-mean-${i}`, fields.mean);
    await page.fill(`#calib-norm-${i}`, fields.norm);
    await page.selectOption(`#calib-pixel-${i}`, fields.pixel);
  }
  await page.fill(`#calib-shape-${i}`, fields.shape);
}

// The page's lists as shown (names in reading order).
export async function shownLists(page, count) {
  const out = [];
  for (let i = 0; i < count; i++) {
    out.push(await page.$$eval(`#calib-list-${i} li`, (lis) => lis.map((li) => li.dataset.name)));
  }
  return out;
}

// Where the calibration section stands: its state and status line (the
// last progress the page received), for a failure's message.
function calibPageState(page) {
  return page.evaluate(() => ({ state: document.body.dataset.calibState, status: document.querySelector('#calib-status')?.textContent }));
}

// Clicks "Make the table" once "what the model sees" has landed, and
// checks that the click started a run -> the count of runs ended before it.
// The previews land after each change of inputs or fields and move the
// button down: a click while they land can miss it (on a loaded machine the
// mouse-down and mouse-up fell on either side of the move, the run never
// started and the test waited for its end in vain). A click that starts no
// run fails at once, saying so.
export async function clickMakeTable(page, timeout = 300000) {
  await page.waitForFunction(() => document.body.dataset.calibPreviewPending === '0', null, { timeout });
  const { ended, started } = await page.evaluate(() => ({
    ended: Number(document.body.dataset.calibRunsEnded),
    started: Number(document.body.dataset.calibRunsStarted),
  }));
  await page.click('#calib-run');
  if (Number(await page.evaluate(() => document.body.dataset.calibRunsStarted)) === started) {
    throw new Error(`the click on "Make the table" started no run; the page showed ${JSON.stringify(await calibPageState(page))}`);
  }
  return ended;
}

// Clicks "Make the table" and waits until that run ended (and, when it made
// a table, until that is drawn) -> { state, error, status }.
export async function runCalibration(page, timeout = 300000) {
  const before = await clickMakeTable(page, timeout);
  try {
    await page.waitForFunction((n) => Number(document.body.dataset.calibRunsEnded) > n, before, { timeout });
  } catch (err) {
    // A run that never ends: say where it stood (the status line shows the
    // last progress the page received), so the failure can be told apart.
    const at = await calibPageState(page).catch(() => null);
    throw new Error(`the calibration run did not end within ${timeout} ms; the page showed ${JSON.stringify(at)}`, { cause: err });
  }
  // After a table, its chart and per-layer table are drawn next.
  await page.waitForFunction(() => document.body.dataset.calibState !== 'done' || document.body.dataset.calibShown === document.body.dataset.calibRunsEnded, null, { timeout });
  // ... and focus has moved to them, with the frame that shows them.
  await page.waitForFunction(() => document.body.dataset.calibState !== 'done' || document.activeElement?.id === 'calib-results-heading', null, { timeout });
  return page.evaluate(() => ({
    state: document.body.dataset.calibState,
    error: document.querySelector('#calib-error:not([hidden]) .error-message')?.textContent ?? null,
    status: document.querySelector('#calib-status').textContent,
  }));
}

// A whole case through the page: model dropped, inputs chosen, fields filled
// from args.txt, method and threads set, the table made.
// -> { end, order: [[absolute path]] in the page's reading order, table?: Buffer }
export async function calibrateCase(page, dir, { method = 'kl', threads, lists: chosen } = {}) {
  const setup = caseSetup(dir);
  const lists = chosen ?? setup.lists;
  await openCalibration(page, dir);
  for (let i = 0; i < lists.length; i++) {
    await page.setInputFiles(`#calib-files-${i}`, lists[i]);
    await fillFields(page, i, setup.perInput[i], setup.type);
  }
  await page.selectOption('#calib-method', method);
  if (threads !== undefined) await page.fill('#calib-threads', String(threads));
  await page.waitForSelector('#calib-run:not([disabled])');
  const shown = await shownLists(page, lists.length);
  const byName = new Map(lists.flat().map((p) => [path.basename(p), p]));
  const order = shown.map((names) => names.map((n) => byName.get(n)));
  const end = await runCalibration(page);
  const result = { end, order };
  if (end.state === 'done') result.table = (await download(page, '#calib-download-table')).bytes;
  return result;
}

// ---- small images made here ---------------------------------------------

function crc32(buf) {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

// An 8-bit RGB PNG from a pixel function (x, y) -> [r, g, b].
export function makePng(w, h, pixel) {
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    raw[y * (w * 3 + 1)] = 0;
    for (let x = 0; x < w; x++) raw.set(pixel(x, y), y * (w * 3 + 1) + 1 + x * 3);
  }
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
