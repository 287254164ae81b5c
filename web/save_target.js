// Where the int8 .bin goes while it is made, so a model larger than the tab
// can hold still works:
//  - 'opfs': written as it is made to a file in the origin private file
//    system (a sync access handle in the quantizing worker: on two cores
//    that was faster than handing the writes to a worker of their own), then
//    offered for download as that disk-backed File. The default where the
//    browser has it.
//  - 'file': the same, then copied into a file the user picked before the
//    run (File System Access; the picker needs a click, and a picked file
//    has no synchronous writer, hence the private file first).
//  - 'memory': gathered in Blobs; the fallback everywhere else. (Slower
//    than the private file even for a few MB: making a Blob of 4 MB in a
//    worker takes Chromium longer than writing it to the file.)
// mountSaveTarget() is the page side (the choice and the note saying which
// applies); openOutput() the worker side.

const OPFS_DIR = 'ncnn-int8-output';
// Outputs of runs whose tab has gone (or was cancelled) are removed after this.
const STALE_MS = 60 * 60 * 1000;
// What the in-memory path is said to take: the output (about a quarter of
// the fp32 input) is held whole, next to what the tab already uses.
export const MEMORY_PATH_LIMIT_BYTES = 2 * 1024 ** 3;

function opfsAvailable() {
  return typeof navigator === 'object' && typeof navigator.storage?.getDirectory === 'function' && typeof FileSystemFileHandle === 'function';
}

// ---- page side --------------------------------------------------------------

function gib(bytes) {
  return `${Math.round(bytes / 1024 ** 3)} GB`;
}

/**
 * Renders the output choice into `container` and returns
 * { outputSpec(): what to post to the worker (a picked file is used once) }.
 */
export function mountSaveTarget(container, { suggestedName = () => 'model-int8.bin' } = {}) {
  const doc = container.ownerDocument;
  const streaming = opfsAvailable();
  const canPick = streaming && typeof window.showSaveFilePicker === 'function';
  let picked = null;

  const note = doc.createElement('p');
  note.className = 'note save-note';
  const pick = doc.createElement('button');
  pick.type = 'button';
  pick.className = 'link';
  pick.id = 'save-pick-button';
  pick.textContent = 'Save the .bin straight to a file…';

  function describe() {
    if (picked) note.textContent = `The int8 .bin will be saved to ${picked.name} as it is made. `;
    else if (streaming) note.textContent = 'The int8 .bin is written to disk as it is made (browser storage), then offered for download: models of any size. ';
    else note.textContent = `This browser keeps the int8 .bin in memory: models up to about ${gib(MEMORY_PATH_LIMIT_BYTES)} of fp32 weights. `;
    if (canPick) note.append(pick);
    container.dataset.output = picked ? 'file' : streaming ? 'opfs' : 'memory';
  }
  pick.addEventListener('click', async () => {
    try {
      picked = await window.showSaveFilePicker({ suggestedName: suggestedName(), types: [{ description: 'ncnn weights', accept: { 'application/octet-stream': ['.bin'] } }] });
    } catch (err) {
      if (err?.name !== 'AbortError') note.textContent = `The file could not be chosen: ${err?.message ?? err}. `;
      return;
    }
    describe();
  });
  describe();
  container.replaceChildren(note);

  return {
    outputSpec() {
      if (picked) {
        const handle = picked;
        picked = null;
        describe();
        return { kind: 'file', handle };
      }
      return { kind: streaming ? 'opfs' : 'memory' };
    },
  };
}

// ---- worker side ------------------------------------------------------------

let previousOpfsName = null; // this worker's last output, removed at the next run

let dirHandle = null; // Promise of the output folder, kept

function outputDir() {
  if (!dirHandle) {
    const p = navigator.storage.getDirectory().then((root) => root.getDirectoryHandle(OPFS_DIR, { create: true }));
    dirHandle = p;
    p.catch(() => {
      if (dirHandle === p) dirHandle = null;
    });
  }
  return dirHandle;
}

/**
 * Worker side: opens the output folder in browser storage now, at worker
 * load: the first use of browser storage in a profile takes a few hundred
 * ms, which a run then does not wait for. A failure is met again at the run.
 */
export function prepareOutput() {
  if (!opfsAvailable()) return;
  outputDir().catch(() => {});
}

async function removeStale(dir, keep) {
  const now = Date.now();
  for await (const [name, handle] of dir.entries()) {
    if (handle.kind !== 'file' || keep.has(name)) continue;
    try {
      if (now - (await handle.getFile()).lastModified > STALE_MS) await dir.removeEntry(name);
    } catch {
      // In use by another tab (locked): leave it.
    }
  }
}

function memoryOutput() {
  const parts = [];
  return {
    // A Blob per piece: one copy, straight out of wasm memory.
    write: (chunk) => void parts.push(new Blob([chunk])),
    finish: async () => ({ file: new Blob(parts, { type: 'application/octet-stream' }), savedTo: null, stored: 'memory' }),
    discard: async () => void (parts.length = 0),
    rewind: () => void (parts.length = 0),
  };
}

// Writes in order through a synchronous access handle to `name` in `dir`
// (browser storage); finish() hands back the disk-backed File.
function accessHandleOutput(dir, name, handle, access) {
  let at = 0;
  let open = true;
  const close = () => {
    if (open) access.close();
    open = false;
  };
  return {
    write(chunk) {
      const n = access.write(chunk, { at });
      if (n !== chunk.length) throw new Error(`browser storage: wrote ${n} of ${chunk.length} bytes (is the disk full?)`);
      at += n;
    },
    // Synchronous (the core calls it from inside a run): the file starts again.
    rewind() {
      access.truncate(0);
      at = 0;
    },
    async finish() {
      // No flush(): that is a sync to the disk, and the file is only read
      // back (offered for download, or copied) by this browser.
      close();
      return { file: await handle.getFile(), savedTo: null, stored: 'opfs', handle, dir, name };
    },
    async discard() {
      close();
      await dir.removeEntry(name).catch(() => {});
    },
  };
}

async function opfsOutput() {
  let dir = await outputDir();
  const name = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}.bin`;
  let handle;
  try {
    handle = await dir.getFileHandle(name, { create: true });
  } catch {
    // The kept folder handle may be stale (site data cleared): open it again.
    dirHandle = null;
    dir = await outputDir();
    handle = await dir.getFileHandle(name, { create: true });
  }
  const out = accessHandleOutput(dir, name, handle, await handle.createSyncAccessHandle());
  // The previous output and stale ones are removed while the run goes, not
  // before it; finish() makes sure the previous one is gone.
  const previous = previousOpfsName;
  previousOpfsName = name;
  const removed = previous ? dir.removeEntry(previous).catch(() => {}) : Promise.resolve();
  void removed.then(() => removeStale(dir, new Set([name]))).catch(() => {});
  return {
    ...out,
    async finish() {
      await removed;
      return out.finish();
    },
  };
}

/**
 * Worker side: opens where the output goes. Returns {write(chunk), rewind()
 * (what was written is thrown away), finish() -> {file, savedTo, stored},
 * discard()}. Falls back to memory where the
 * browser has no synchronous file access.
 */
export async function openOutput(spec) {
  const kind = spec?.kind ?? 'memory';
  if (kind === 'memory') return memoryOutput();
  let opfs;
  try {
    opfs = await opfsOutput();
  } catch (err) {
    if (kind === 'file') throw new Error(`cannot write to ${spec.handle?.name ?? 'the chosen file'}: no browser storage to stage it in (${err?.message ?? err})`);
    return memoryOutput();
  }
  if (kind !== 'file') return opfs;
  return {
    write: opfs.write,
    rewind: opfs.rewind,
    discard: opfs.discard,
    async finish() {
      const staged = await opfs.finish();
      try {
        const writable = await spec.handle.createWritable();
        await staged.file.stream().pipeTo(writable); // closes it: the file appears whole
      } catch (err) {
        throw new Error(`${spec.handle.name}: cannot write the output: ${err?.message ?? err}`);
      } finally {
        await staged.dir.removeEntry(staged.name).catch(() => {});
        previousOpfsName = null;
      }
      return { file: null, savedTo: spec.handle.name, stored: 'file' };
    },
  };
}

// ---- worker side: a run's second output --------------------------------------

let previousSideName = null; // this worker's last side output, removed at the next one

/**
 * Worker side: a second output of a run (the LLM section's .llm.table,
 * which is then read back while the .bin is made), written to browser
 * storage where there is some, else gathered in memory. Same interface as
 * openOutput(); the previous run's side output is removed here, older ones
 * with the stale outputs.
 */
export async function openSideOutput() {
  if (!opfsAvailable()) return memoryOutput();
  let dir;
  let handle;
  let access;
  const name = `table-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}.txt`;
  try {
    dir = await outputDir();
    if (previousSideName) await dir.removeEntry(previousSideName).catch(() => {});
    previousSideName = null;
    handle = await dir.getFileHandle(name, { create: true });
    access = await handle.createSyncAccessHandle();
  } catch {
    return memoryOutput();
  }
  previousSideName = name;
  return accessHandleOutput(dir, name, handle, access);
}
