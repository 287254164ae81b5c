// Node only: files in, files out, as the native CLI does (same checks, same
// messages, outputs written to OUT.partial-XXXXXX and renamed at the end).
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { getSystemErrorMap } from 'node:util';
import { checkProgress, describe, runCore } from './core.js';

// "No such file or directory", as strerror() words it.
function strerror(e) {
  const map = getSystemErrorMap();
  const entry = typeof e?.errno === 'number' ? map.get(e.errno) : undefined;
  const text = entry ? entry[1] : e?.message ?? String(e);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export class FileError extends Error {}

function osError(p, what, e) {
  return new FileError(`${p}: ${what}: ${strerror(e)}`, { cause: e });
}

// A regular file only: a directory or a device is refused up front. Returns
// its size.
export function checkRegularFile(p) {
  let st;
  try {
    st = fs.statSync(p);
  } catch (e) {
    throw osError(p, 'cannot open', e);
  }
  if (st.isDirectory()) throw new FileError(`${p}: is a directory, not a file`);
  if (!st.isFile()) throw new FileError(`${p}: is not a regular file`);
  return st.size;
}

export function readWholeFile(p) {
  checkRegularFile(p);
  try {
    return fs.readFileSync(p);
  } catch (e) {
    throw osError(p, 'cannot open', e);
  }
}

export class BinFile {
  constructor(p) {
    this.path = p;
    this.size = checkRegularFile(p);
    try {
      this.fd = fs.openSync(p, 'r');
    } catch (e) {
      throw osError(p, 'cannot open', e);
    }
  }
  // Straight into `dst` (wasm memory): no buffer in between.
  read(offset, dst) {
    let done = 0;
    try {
      while (done < dst.length) {
        const n = fs.readSync(this.fd, dst, done, dst.length - done, offset + done);
        if (n === 0) break;
        done += n;
      }
    } catch (e) {
      throw osError(this.path, 'read failed', e);
    }
    return done;
  }
  close() {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}

// Writes to PATH.partial-XXXXXX next to PATH; commit() renames it over PATH,
// discard() removes it.
export class AtomicFile {
  constructor(p) {
    this.path = p;
    let st = null;
    try {
      st = fs.statSync(p);
    } catch {}
    if (st && st.isDirectory()) throw new FileError(`${p}: is a directory; cannot write the output there`);
    for (let attempt = 0; ; attempt++) {
      const temp = `${p}.partial-${randomBytes(6).toString('base64url').slice(0, 6)}`;
      try {
        this.fd = fs.openSync(temp, 'wx', 0o666);
        this.temp = temp;
        break;
      } catch (e) {
        if (e?.code === 'EEXIST' && attempt < 100) continue;
        throw osError(p, 'cannot create output', e);
      }
    }
  }
  write(bytes) {
    try {
      let done = 0;
      while (done < bytes.length) done += fs.writeSync(this.fd, bytes, done, bytes.length - done);
    } catch (e) {
      throw osError(this.path, 'write failed', e);
    }
  }
  commit() {
    try {
      fs.closeSync(this.fd);
    } catch (e) {
      this.fd = undefined;
      throw osError(this.path, 'write failed', e);
    }
    this.fd = undefined;
    try {
      fs.renameSync(this.temp, this.path);
    } catch (e) {
      throw osError(this.path, 'cannot move output into place', e);
    }
    this.temp = undefined;
  }
  discard() {
    if (this.fd !== undefined) {
      try {
        fs.closeSync(this.fd);
      } catch {}
      this.fd = undefined;
    }
    if (this.temp !== undefined) {
      try {
        fs.unlinkSync(this.temp);
      } catch {}
      this.temp = undefined;
    }
  }
}

function checkPath(v, key, required = true) {
  if (v === undefined || v === null) {
    if (required) throw new TypeError(`${key} is required (a file path)`);
    return undefined;
  }
  if (typeof v === 'string' && v !== '') return v;
  if (v instanceof URL && v.protocol === 'file:') return fileURLToPath(v);
  throw new TypeError(`${key} must be a file path (string or file: URL), not ${describe(v)}`);
}

/**
 * quantizeFiles({paramPath, binPath, tablePath?, outParamPath, outBinPath,
 * onProgress?}) -> {report, reportJson, reportText, warningText}. The error checks and
 * their order are the native CLI's.
 */
export async function quantizeFiles(options) {
  if (options === null || typeof options !== 'object')
    throw new TypeError(`quantizeFile() takes an object {paramPath, binPath, tablePath?, outParamPath, outBinPath, onProgress?}, not ${describe(options)}`);
  const paramPath = checkPath(options.paramPath, 'paramPath');
  const binPath = checkPath(options.binPath, 'binPath');
  const tablePath = checkPath(options.tablePath, 'tablePath', false);
  const outParamPath = checkPath(options.outParamPath, 'outParamPath');
  const outBinPath = checkPath(options.outBinPath, 'outBinPath');
  const onProgress = checkProgress(options.onProgress);
  if (binPath === 'null') throw new Error("IN.bin 'null' (random weights) is not supported: give the model's weights");
  if (outParamPath === outBinPath) throw new Error(`OUT.param and OUT.bin are the same file: ${outParamPath}`);
  if (path.resolve(outParamPath) === path.resolve(outBinPath)) throw new Error(`OUT.param and OUT.bin are the same file: ${outParamPath}`);

  const paramText = readWholeFile(paramPath);
  const tableText = tablePath !== undefined ? readWholeFile(tablePath) : null;
  const bin = new BinFile(binPath);
  let paramOut, binOut;
  try {
    paramOut = new AtomicFile(outParamPath);
    binOut = new AtomicFile(outBinPath);
    const r = await runCore({
      param: paramText,
      table: tableText,
      binSize: bin.size,
      readBin: (offset, dst) => bin.read(offset, dst),
      writeBin: (chunk) => binOut.write(chunk),
      onProgress,
      names: { param: paramPath, bin: binPath, table: tablePath ?? 'model.table' },
    });
    paramOut.write(r.param);
    binOut.commit(); // the order of the native sinks: .bin, then .param
    paramOut.commit();
    return { report: JSON.parse(r.report), reportJson: r.report, reportText: r.reportText, warningText: r.warningText };
  } finally {
    bin.close();
    paramOut?.discard();
    binOut?.discard();
  }
}
