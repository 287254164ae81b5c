// Worker for tools/bench-web.mjs: the bare browser operations of the page's
// output, for `bytes` of output handed over in 4 MiB pieces as the core
// does: one Blob per piece (the in-memory path) against a file in the
// origin private file system (open, write, close and getFile), and the
// same writes into a file first sized to the output (truncate: the storage
// is then reserved once, not as the file grows). Each way `repeats` times,
// alternating; posts {memoryMs: [...], fileOpenMs: [...], fileWriteMs:
// [...], fileFinishMs: [...], sizedWriteMs: [...]}.
self.onmessage = async ({ data: { bytes, repeats } }) => {
  try {
    const piece = new Uint8Array(4 << 20);
    for (let i = 0; i < piece.length; i += 4096) piece[i] = i >> 12;
    const pieces = Math.max(1, Math.ceil(bytes / piece.length));
    const out = { memoryMs: [], fileOpenMs: [], fileWriteMs: [], fileFinishMs: [], sizedWriteMs: [] };
    const root = await navigator.storage.getDirectory();
    const dir = await root.getDirectoryHandle('bench-web-output', { create: true });
    for (let r = 0; r < repeats; r++) {
      let t = performance.now();
      const parts = [];
      for (let i = 0; i < pieces; i++) parts.push(new Blob([piece]));
      const blob = new Blob(parts);
      out.memoryMs.push(performance.now() - t);
      if (blob.size !== pieces * piece.length) throw new Error('the Blob has the wrong size');

      t = performance.now();
      const handle = await dir.getFileHandle(`out-${r}.bin`, { create: true });
      const access = await handle.createSyncAccessHandle();
      out.fileOpenMs.push(performance.now() - t);
      t = performance.now();
      let at = 0;
      for (let i = 0; i < pieces; i++) at += access.write(piece, { at });
      out.fileWriteMs.push(performance.now() - t);
      t = performance.now();
      access.close();
      const file = await handle.getFile();
      out.fileFinishMs.push(performance.now() - t);
      if (file.size !== at) throw new Error('the file has the wrong size');

      const sizedHandle = await dir.getFileHandle(`sized-${r}.bin`, { create: true });
      const sized = await sizedHandle.createSyncAccessHandle();
      t = performance.now();
      sized.truncate(pieces * piece.length);
      at = 0;
      for (let i = 0; i < pieces; i++) at += sized.write(piece, { at });
      out.sizedWriteMs.push(performance.now() - t);
      sized.close();
    }
    await root.removeEntry('bench-web-output', { recursive: true });
    self.postMessage(out);
  } catch (e) {
    self.postMessage({ error: String(e?.message ?? e) });
  }
};
