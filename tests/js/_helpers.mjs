// Shared by the tests in this folder (not a test itself: no ".test" in the name).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CONFORMANCE = fileURLToPath(new URL('../../../shared/conformance/', import.meta.url));
export const NATIVE_CLI = path.join(ROOT, 'build/ncnn2int8');
export const MAKE_MODEL = path.join(ROOT, 'build/tools/ncnn_int8_make_model');
export const JS_CLI = path.join(ROOT, 'js/cli.js');

export const haveConformance = fs.existsSync(path.join(CONFORMANCE, 'MANIFEST.tsv'));
// A skip reason outside CI; in CI (CI=true, which has ../shared) the tests
// run anyway and fail loudly on the missing corpus.
export const noConformance = haveConformance || process.env.CI === 'true' ? false : `conformance corpus not found at ${CONFORMANCE}`;
export const haveNative = fs.existsSync(NATIVE_CLI) && fs.existsSync(MAKE_MODEL);
export const noNative = haveNative ? false : 'native build missing (run tools/setup.sh): build/ncnn2int8, build/tools/ncnn_int8_make_model';

// Rows of a MANIFEST.tsv: {name, dir, table, expect}.
export function cases(manifestDir = CONFORMANCE) {
  if (!fs.existsSync(path.join(manifestDir, 'MANIFEST.tsv'))) throw new Error(`${path.join(manifestDir, 'MANIFEST.tsv')} is missing: the conformance corpus (../shared) is needed`);
  const lines = fs.readFileSync(path.join(manifestDir, 'MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1);
  return lines.map((line) => {
    const [name, table, expect] = line.split('\t');
    const dir = path.join(manifestDir, 'cases', name);
    return { name, dir, table: table === '-' ? null : path.join(dir, table), expect };
  });
}

export function tempDir(t) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ncnn-int8-test-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', cwd: ROOT });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function bytesEqual(a, b) {
  return Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;
}
