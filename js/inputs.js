// The inputs every API call takes: text files as bytes, and the .bin as a
// source {size, read(offset, dst) -> bytes copied into dst, close()}; and
// the chunks of an output gathered into one array.
import { blobSource, canReadBlobSync } from './blob_source.js';
import { asUint8Array, describe, isBlob } from './core.js';

export async function textBytes(v, what) {
  if (typeof v === 'string') return new TextEncoder().encode(v);
  const bytes = asUint8Array(v);
  if (bytes) return bytes;
  if (isBlob(v)) return new Uint8Array(await v.arrayBuffer());
  throw new TypeError(`${what} must be a string, Uint8Array, ArrayBuffer or Blob, not ${describe(v)}`);
}

// A Blob is read on demand where that can be done synchronously (a worker:
// blob_source.js); elsewhere it is read into memory first. An object that is
// already a source (the Node file route) is taken as it is.
export async function binSource(bin) {
  if (bin && typeof bin.read === 'function' && typeof bin.size === 'number') return bin;
  const bytes = asUint8Array(bin);
  if (bytes) return { size: bytes.length, read: copyFrom(bytes), close() {} };
  if (isBlob(bin)) {
    if (canReadBlobSync()) return await blobSource(bin);
    const all = new Uint8Array(await bin.arrayBuffer());
    return { size: all.length, read: copyFrom(all), close() {} };
  }
  throw new TypeError(`bin must be a Uint8Array, ArrayBuffer or Blob, not ${describe(bin)}`);
}

// An output's rewind for the core, or null where the core is to read every
// tag first: the .bin is indexed from its first tag only where far reads of
// it are slow (a Blob in a worker) and the output can start again: gathered
// by the call (`clear`), or the caller's `rewind` for its own `write`.
export function outputRewind(source, write, rewind, clear) {
  if (source.farReadsSlow !== true) return null;
  if (write) return typeof rewind === 'function' ? rewind : null;
  return clear;
}

function copyFrom(bytes) {
  return (offset, dst) => {
    const part = bytes.subarray(offset, offset + dst.length);
    dst.set(part);
    return part.length;
  };
}

// The output chunks of a run as one array (the only chunk itself when one).
export function concat(chunks, total) {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
