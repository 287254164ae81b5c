// The page's LLM section: weight-only int4/int6/int8 quantization of a
// decoder's Gemm and MultiHeadAttention weights (ncnnllm2table +
// ncnnllm2int). Drop the .param and .bin (pnnx's foo.ncnn.param /
// foo.ncnn.bin too) and optionally an edited .llm.table; pick bits, block and
// method; see per layer bits, block, bytes and SQNR; download the model and
// the table. The work runs in its own module worker (llm-worker.js), one
// read of the .bin for table and model; the int8 .bin goes where the
// section's output choice says (save_target.js: written to disk as it is
// made where the browser allows it). Cancel sets a flag in shared memory
// that the core reads between windows of rows: the run stops, its outputs
// are removed and the same worker takes the next run. Without shared
// memory (a page that is not cross-origin isolated) the worker cannot hear
// Cancel until it is done, so it is ended.
import { mountSaveTarget } from './save_target.js';

const $ = (id) => document.getElementById(id);

const state = { files: { param: null, bin: null, table: null }, worker: null, urls: [], saveTarget: null, cancel: null, running: false };

function classify(file) {
  const n = file.name.toLowerCase();
  if (n.endsWith('.param')) return 'param';
  if (n.endsWith('.bin')) return 'bin';
  if (n.endsWith('.table')) return 'table';
  return null;
}

function baseName(name) {
  return name.replace(/\.(ncnn\.)?(param|bin)$/i, '');
}

function outName(suffix) {
  return `${baseName(state.files.param?.name ?? 'model')}-llm${state.files.param && /\.ncnn\.param$/i.test(state.files.param.name) ? '.ncnn' : ''}${suffix}`;
}

function formatBytes(n) {
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(2)} GiB`;
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(1)} KiB`;
  return `${n} B`;
}

function setStatus(text) {
  $('llm-status').textContent = text;
}

function showError(text) {
  const e = $('llm-error');
  e.textContent = text;
  e.hidden = !text;
}

function addFiles(list) {
  for (const f of list) {
    const kind = classify(f);
    if (kind) state.files[kind] = f;
  }
  const { param, bin, table } = state.files;
  const names = [param, bin, table].filter(Boolean).map((f) => f.name);
  $('llm-files').textContent = names.length ? names.join(' + ') : 'No files yet.';
  $('llm-run').disabled = !(param && bin);
  setStatus(param && bin ? `Ready: ${param.name} + ${bin.name}${table ? ` with ${table.name}` : ''}.` : 'Choose the decoder\u2019s .param and .bin.');
}

function revokeUrls() {
  for (const u of state.urls) URL.revokeObjectURL(u);
  state.urls = [];
}

function link(id, blob, name) {
  const a = $(id);
  const url = URL.createObjectURL(blob);
  state.urls.push(url);
  a.href = url;
  a.download = name;
}

function showResult(msg) {
  revokeUrls();
  link('llm-download-param', msg.param, outName('.param'));
  const bin = $('llm-download-bin');
  if (msg.bin) {
    link('llm-download-bin', msg.bin, outName('.bin'));
    bin.textContent = 'Download .bin';
  } else {
    bin.removeAttribute('href');
    bin.textContent = `Saved to ${msg.savedTo}`;
  }
  bin.dataset.stored = msg.stored ?? '';
  link('llm-download-table', msg.table, `${baseName(state.files.param.name)}.llm.table`);
  link('llm-download-report', new Blob([JSON.stringify(msg.report, null, 1)], { type: 'application/json' }), `${baseName(state.files.param.name)}.llm-report.json`);
  const body = $('llm-layers').querySelector('tbody');
  body.replaceChildren();
  let before = 0;
  let after = 0;
  for (const l of msg.report.layers) {
    const tr = document.createElement('tr');
    const cells = [l.name, l.type, l.action === 'quantized' ? `int${l.bits}` : l.action, l.block ?? '', l.method ?? '',
      formatBytes(l.bytes_in), formatBytes(l.bytes_out), typeof l.sqnr_db === 'number' ? l.sqnr_db.toFixed(1) : ''];
    for (const c of cells) {
      const td = document.createElement('td');
      td.textContent = String(c);
      tr.append(td);
    }
    if (typeof l.sqnr_db === 'number' && l.sqnr_db < 20) tr.className = 'llm-low';
    body.append(tr);
    before += l.bytes_in;
    after += l.bytes_out;
  }
  $('llm-summary').textContent = `${msg.report.layers.filter((l) => l.action === 'quantized').length} layers quantized: ` +
    `${formatBytes(before)} of weights became ${formatBytes(after)}; output .bin ${formatBytes(msg.report.bin_bytes_out)}. ` +
    'Rows with SQNR under 20 dB are marked: give them 8 bits in the table and drop it here again.';
  $('llm-results').dataset.timings = JSON.stringify(msg.timings ?? {}); // where the run's time went, for tools/bench-web-llm.mjs
  $('llm-results').hidden = false;
}

function finishRun() {
  state.running = false;
  state.cancel = null;
  $('llm-run').disabled = !(state.files.param && state.files.bin);
  $('llm-cancel').disabled = true;
  document.body.dataset.llmRunsEnded = String(Number(document.body.dataset.llmRunsEnded || 0) + 1);
}

function startWorker() {
  if (!state.worker) state.worker = new Worker(new URL('./llm-worker.js', import.meta.url), { type: 'module', name: 'ncnn-int8-llm' });
  return state.worker;
}

function cancel() {
  if (!state.running) return;
  $('llm-cancel').disabled = true;
  if (state.cancel) {
    Atomics.store(state.cancel, 0, 1); // read by the run between windows of rows
    setStatus('Cancelling\u2026');
    return;
  }
  // No shared memory: the worker cannot hear a message until it is done, so
  // it is ended (its browser-storage output is swept at a later run).
  state.worker?.terminate();
  state.worker = null;
  setStatus('Stopped.');
  showError('Cancelled.');
  finishRun();
}

function run() {
  showError('');
  $('llm-results').hidden = true;
  $('llm-run').disabled = true;
  $('llm-cancel').disabled = false;
  state.running = true;
  state.cancel = globalThis.crossOriginIsolated && typeof SharedArrayBuffer === 'function' ? new Int32Array(new SharedArrayBuffer(4)) : null;
  const w = startWorker();
  const { table } = state.files;
  w.onmessage = (event) => {
    const msg = event.data;
    if (msg.workerRuns) document.body.dataset.llmWorkerRuns = String(msg.workerRuns); // runs this worker has taken (tests check reuse)
    if (msg.type === 'progress') {
      if (state.cancel && Atomics.load(state.cancel, 0)) return;
      const share = msg.bytesTotal > 0 ? ` (${Math.floor((100 * msg.bytesDone) / msg.bytesTotal)}%)` : '';
      setStatus(`${table ? 'Packing weights with the table' : 'Choosing block scales and packing weights'}: layer ${msg.layersDone} of ${msg.layersTotal}${share}\u2026`);
    } else if (msg.type === 'done') {
      setStatus('Done.');
      showResult(msg);
      finishRun();
    } else if (msg.type === 'error') {
      // Cancelled or failed, the worker has closed its read-ahead and
      // removed its outputs: the next run goes to the same worker.
      setStatus('Stopped.');
      showError(msg.message);
      finishRun();
    }
  };
  const { param, bin } = state.files;
  w.postMessage({
    type: 'run', param, bin, table, cancel: state.cancel,
    method: $('llm-method').value,
    bits: Number($('llm-bits').value),
    block: Number($('llm-block').value),
    names: { param: param.name, bin: bin.name, table: table?.name },
    output: state.saveTarget ? state.saveTarget.outputSpec() : { kind: 'memory' },
  });
  setStatus('Starting\u2026');
}

function init() {
  if (!$('llm')) return;
  const target = $('llm-save-target');
  if (target) {
    state.saveTarget = mountSaveTarget(target, { suggestedName: () => outName('.bin') });
    // The page's own output choice has this id too.
    const pick = target.querySelector('#save-pick-button');
    if (pick) pick.id = 'llm-save-pick-button';
  }
  $('llm-file-input').addEventListener('change', (e) => addFiles(e.target.files));
  const zone = $('llm-dropzone');
  zone.addEventListener('dragover', (e) => e.preventDefault());
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    addFiles(e.dataTransfer.files);
  });
  $('llm-run').addEventListener('click', run);
  $('llm-cancel').addEventListener('click', cancel);
  $('llm-clear').addEventListener('click', () => {
    state.files = { param: null, bin: null, table: null };
    addFiles([]);
  });
  document.body.dataset.llmRunsEnded = '0';
  startWorker(); // compiles the module and starts the reader now, not at the first run
}

init();
