// A folder dropped on the calibration section: web/files.js's droppedFiles()
// walks the drop's entries (webkitGetAsEntry) as Chromium gives them:
// folders read in batches until an empty one, callbacks called later, a
// file that cannot be read. The entries here are stand-ins with the same
// interface; the Files are real (Node's File).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { droppedFiles } from '../../web/files.js';
import { displayName, inputKind, mergeInputs } from '../../web/calib-prep.js';

const later = (fn) => setTimeout(fn, 0);

function fileEntry(name, { fail = false } = {}) {
  return {
    isFile: true,
    isDirectory: false,
    name,
    reads: 0,
    file(resolve, reject) {
      this.reads++;
      later(() => (fail ? reject(new Error(`${name}: NotFoundError`)) : resolve(new File([`bytes of ${name}`], name))));
    },
  };
}

// A folder whose reader hands out `batch` entries per readEntries call, then [].
function dirEntry(name, children, { batch = 2, failAfter = Infinity } = {}) {
  const dir = {
    isFile: false,
    isDirectory: true,
    name,
    readCalls: 0,
    createReader() {
      let at = 0;
      return {
        readEntries(resolve, reject) {
          dir.readCalls++;
          later(() => {
            if (at >= failAfter) return reject(new Error('NotReadableError'));
            const part = children.slice(at, at + batch);
            at += part.length;
            resolve(part);
          });
        },
      };
    },
  };
  return dir;
}

const item = (entry) => ({ kind: 'file', webkitGetAsEntry: () => entry });
const keep = (name) => inputKind(name) !== null;
const paths = (files) => files.map(displayName);

test('a dropped folder: walked to the bottom, in batches, inputs only, paths kept', async () => {
  const notes = fileEntry('notes.txt');
  const sub = dirEntry('night', [fileEntry('img10.jpg'), fileEntry('readme.md'), fileEntry('img9.bmp')]);
  const top = dirEntry('photos', [fileEntry('img2.png'), fileEntry('img10.png'), notes, sub, fileEntry('IMG1.JPEG'), fileEntry('x.npy')], { batch: 2 });
  const loose = fileEntry('extra.txt');
  const dt = { items: [item(top), item(loose), { kind: 'string' }], files: [] };

  const { files, unreadable } = await droppedFiles(dt, keep);
  assert.deepEqual(unreadable, []);
  assert.deepEqual(paths(files), [
    'photos/img2.png', 'photos/img10.png', 'photos/night/img10.jpg', 'photos/night/img9.bmp', 'photos/IMG1.JPEG', 'photos/x.npy', 'extra.txt',
  ]);
  assert.ok(files.every((f) => f instanceof File));
  assert.equal(files[0].name, 'img2.png', 'the File keeps its own name; the path is relativePath');
  assert.equal(await files[0].text(), 'bytes of img2.png');
  // 6 entries in batches of 2: 3 full batches, then the empty one that ends it.
  assert.equal(top.readCalls, 4);
  assert.equal(sub.readCalls, 3); // 2, 1, then the empty batch
  assert.equal(notes.reads, 0, 'a file the folder does not keep is not even read');

  // Into the list: natural order by path; a file dropped on its own that is
  // not an input is named back, not silently lost.
  const merged = mergeInputs([], files);
  assert.deepEqual(paths(merged.files), [
    'photos/IMG1.JPEG', 'photos/img2.png', 'photos/img10.png', 'photos/night/img9.bmp', 'photos/night/img10.jpg', 'photos/x.npy',
  ]);
  assert.deepEqual(merged.skipped, ['extra.txt']);
});

test('files dropped on their own are all taken; a drop without entries uses its file list', async () => {
  const a = fileEntry('a.png');
  const b = fileEntry('b.txt');
  const r = await droppedFiles({ items: [item(a), item(b)] }, keep);
  assert.deepEqual(paths(r.files), ['a.png', 'b.txt']);
  assert.equal(r.files[0].relativePath, undefined);

  const plain = [new File(['1'], 'p.png'), new File(['2'], 'q.npy')];
  const noEntries = await droppedFiles({ items: plain.map(() => ({ kind: 'file' })), files: plain }, keep);
  assert.deepEqual(noEntries, { files: plain, unreadable: [] });
  const oneMissing = await droppedFiles({ items: [item(a), { kind: 'file', webkitGetAsEntry: () => null }], files: plain }, keep);
  assert.deepEqual(oneMissing.files, plain, 'an item without an entry: the plain list, nothing half-walked');
  assert.deepEqual(await droppedFiles(null, keep), { files: [], unreadable: [] });
  assert.deepEqual(await droppedFiles({ items: [], files: [] }, keep), { files: [], unreadable: [] });
});

test('an entry that cannot be read is named, and the rest of the drop is still taken', async () => {
  const broken = fileEntry('gone.png', { fail: true });
  const half = dirEntry('half', [fileEntry('h1.png'), fileEntry('h2.png'), fileEntry('h3.png')], { batch: 2, failAfter: 2 });
  const top = dirEntry('set', [fileEntry('ok1.png'), broken, half, fileEntry('ok2.npy')], { batch: 10 });
  const { files, unreadable } = await droppedFiles({ items: [item(top)] }, keep);
  assert.deepEqual(paths(files), ['set/ok1.png', 'set/half/h1.png', 'set/half/h2.png', 'set/ok2.npy']);
  assert.deepEqual(unreadable, ['set/gone.png', 'set/half/']);
});
