// The page: collects the files, runs the quantizer in a module worker, shows
// progress and the result. Nothing is uploaded; the only requests are for
// this page's own scripts and, for "Try the sample", /dist/sample/*.
import { mergeFiles, resolveFiles, kindOf, baseOf, tableFit, outputNames } from './files.js';
import { formatBytes, formatInt, formatPercent, h } from './format.js';
import { renderSummary, renderWarnings, renderWorst, LayerTable } from './results.js';
import { LayerChart } from './layer-chart.js';
import { mountSaveTarget } from './save_target.js';
import { mountCalibration } from './calib.js';

const $ = (id) => document.getElementById(id);
const ui = {
  dropzone: $('dropzone'),
  input: $('file-input'),
  sample: $('sample-button'),
  fileList: $('file-list'),
  problems: $('file-problems'),
  tableNote: $('table-note'),
  tableNoteLead: $('table-note-lead'),
  quantize: $('quantize-button'),
  cancel: $('cancel-button'),
  clear: $('clear-button'),
  progressWrap: $('progress-wrap'),
  progress: $('progress'),
  progressBar: $('progress-bar'),
  progressLabel: $('progress-label'),
  status: $('status'),
  error: $('error'),
  results: $('results'),
  resultsHeading: $('results-heading'),
  warnings: $('warnings'),
  warningsList: $('warnings-list'),
  summary: $('summary'),
  dlParam: $('download-param'),
  dlBin: $('download-bin'),
  dlReport: $('download-report'),
  chart: $('chart'),
  worst: $('worst'),
  layers: $('layers'),
  version: $('tool-version'),
};

const state = {
  files: [],
  running: false,
  worker: null,
  runId: 0,
  urls: [],
  lastReport: null,
  notice: null, // {text, problem}: what the last drop did (or why it was refused)
  droppedTable: null, // name of a table the user removed, until another is added
  fit: null, // {param, table, result}: how the chosen table fits the .param
};

const layerTable = new LayerTable(ui.layers);
const layerChart = new LayerChart(ui.chart, (index) => layerTable.reveal(index));
const saveTarget = mountSaveTarget($('save-target'), {
  suggestedName: () => { const r = resolveFiles(state.files); return r.param ? outputNames(r.param.name).bin : 'model-int8.bin'; },
});
// The calibration section: a table made there is added as if dropped.
const calibration = mountCalibration({ addTable: (file) => addFiles([file]) });
document.body.dataset.state = 'idle';
document.body.dataset.runsEnded = '0'; // finished, failed or cancelled runs (tests wait on it)
function runEnded() {
  document.body.dataset.runsEnded = String(Number(document.body.dataset.runsEnded) + 1);
}

// ---- files ---------------------------------------------------------------

const KIND_LABEL = { param: 'structure', bin: 'weights', table: 'calibration table', other: 'not used' };

function addFiles(batch) {
  if (!batch.length) return;
  if (state.running) {
    refuseDuringRun(batch);
    return;
  }
  const merged = mergeFiles(state.files, batch);
  state.files = merged.files;
  state.notice = mergeNotice(merged, batch);
  if (batch.some((f) => kindOf(f.name) === 'table')) state.droppedTable = null;
  hideError();
  refresh();
}

// Says what an added batch replaced and what it kept (nothing goes silently).
function mergeNotice({ replaced, kept }, batch) {
  const parts = [];
  const newModel = batch.some((f) => kindOf(f.name) === 'param') && batch.some((f) => kindOf(f.name) === 'bin');
  if (replaced.length) parts.push(`${replaced.join(' and ')} replaced by the new ${newModel ? 'model' : 'table'}.`);
  const keptTables = kept.filter((n) => kindOf(n) === 'table');
  if (newModel && keptTables.length) {
    parts.push(`${keptTables.join(', ')} (added before) is kept for the new model and checked against its layer names.`);
  }
  return parts.length ? { text: parts.join(' '), problem: false } : null;
}

// Files dropped while quantizing are refused, and the page says so.
function refuseDuringRun(batch) {
  const names = batch.map((f) => f.name).join(', ');
  state.notice = { text: `Not added: ${names}. A model is being quantized; add files again when it ends, or Cancel it first.`, problem: true };
  refresh();
}

function removeFile(name) {
  state.files = state.files.filter((f) => f.name !== name);
  if (kindOf(name) === 'table' && !state.files.some((f) => kindOf(f.name) === 'table')) state.droppedTable = name;
  state.notice = null;
  refresh();
  (ui.fileList.querySelector('button') || ui.input).focus();
}

// Reads the .param and .table (both small text) to check the table names
// this model's layers; refreshes the view when the answer is in.
async function checkTableFit(r) {
  if (!r.param || !r.table) {
    state.fit = null;
    return;
  }
  if (state.fit && state.fit.param === r.param && state.fit.table === r.table) return;
  const fit = { param: r.param, table: r.table, result: undefined };
  state.fit = fit;
  const LIMIT = 64 << 20; // a .param or .table this big is not text worth checking
  try {
    fit.result = r.param.size > LIMIT || r.table.size > LIMIT ? null : tableFit(await r.param.text(), await r.table.text());
  } catch {
    fit.result = null;
  }
  if (state.fit === fit) refresh();
}

function tableFitMessage(r) {
  const fit = state.fit;
  if (!fit || fit.param !== r.param || fit.table !== r.table || !fit.result) return null;
  const { matched, total, missing } = fit.result;
  const t = r.table.name;
  const p = r.param.name;
  if (!total) return { text: `${t} has no scales in it: nothing will be quantized with it.`, problem: true };
  if (!missing.length) return { text: `${t} fits ${p}: all ${formatInt(total)} layers it has scales for are in the model.`, problem: false };
  const some = missing.slice(0, 3).join(', ') + (missing.length > 3 ? ', …' : '');
  if (!matched) {
    return {
      text: `${t} does not fit ${p}: none of the ${formatInt(total)} layers it has scales for (${some}) is in the model. ` +
        'It is probably the table of another model: remove it, or add the right one.',
      problem: true,
    };
  }
  return {
    text: `${t} partly fits ${p}: ${formatInt(missing.length)} of the ${formatInt(total)} layers it has scales for are not in the model (${some}); their scales are ignored.`,
    problem: true,
  };
}

function refresh() {
  const r = resolveFiles(state.files);
  ui.fileList.replaceChildren(
    ...state.files.map((f) => {
      const kind = kindOf(f.name);
      // Before the .param arrives, a .bin or .table waits for it.
      const waiting = !r.param && !r.ignored.has(f.name) && (kind === 'bin' || kind === 'table');
      const used = !waiting && (f === r.param || f === r.bin || f === r.table);
      let label = KIND_LABEL[kind];
      if (waiting) label += `, waiting for ${baseOf(f.name)}.param`;
      else if (!used && kind !== 'other') label += ', not used';
      return h(
        'li',
        { class: `file ${used ? 'used' : waiting ? 'waiting' : 'unused'} kind-${kind}` },
        h('span', { class: 'file-name' }, f.name),
        h('span', { class: 'file-kind' }, label),
        h('span', { class: 'file-size' }, formatBytes(f.size)),
        h('button', {
          type: 'button',
          class: 'link remove',
          'aria-label': `Remove ${f.name}`,
          disabled: state.running,
          onclick: () => removeFile(f.name),
        }, 'Remove'),
      );
    }),
  );
  const fit = tableFitMessage(r);
  const message = (m, id) => m && h('p', { class: m.problem ? 'problem' : 'note', id }, m.text);
  ui.problems.replaceChildren(
    ...[message(state.notice, 'drop-notice')].filter(Boolean),
    ...r.problems.map((p) => h('p', { class: 'problem' }, p)),
    ...r.notes.map((p) => h('p', { class: 'note' }, p)),
    ...[message(fit, 'table-fit')].filter(Boolean),
  );
  checkTableFit(r);
  calibration.setModel(r.param && r.bin ? r : null);
  const noTable = Boolean(r.param && r.bin && !r.table);
  ui.tableNote.hidden = !noTable;
  ui.tableNote.classList.toggle('loud', noTable && Boolean(state.droppedTable));
  ui.tableNoteLead.textContent = noTable && state.droppedTable ? `${state.droppedTable} was removed: this run will not use a table.` : '';
  ui.quantize.disabled = state.running || !r.ready;
  ui.clear.disabled = state.running || state.files.length === 0;
  if (!state.running) {
    if (r.ready) {
      const without = state.droppedTable ? ` WITHOUT a table (${state.droppedTable} was removed)` : ' without a table';
      setStatus(`Ready to quantize ${r.param.name} + ${r.bin.name}${r.table ? ` with ${r.table.name}` : without}.`);
    } else if (!state.files.length) {
      setStatus('Ready. Choose or drop a model.');
    } else if (r.missing.length) {
      setStatus(r.missing.join(' '));
    } else if (r.problems.length) {
      setStatus('Some files need sorting out before quantizing (see above).');
    }
  }
  return r;
}

function setStatus(text) {
  if (ui.status.textContent !== text) ui.status.textContent = text;
}

// Drag and drop anywhere on the page; the zone lights up.
let dragDepth = 0;
window.addEventListener('dragenter', (e) => {
  if (!hasFiles(e)) return;
  e.preventDefault();
  dragDepth++;
  ui.dropzone.classList.add('dragging');
});
window.addEventListener('dragleave', () => {
  dragDepth = Math.max(0, dragDepth - 1);
  if (!dragDepth) ui.dropzone.classList.remove('dragging');
});
window.addEventListener('dragover', (e) => {
  if (!hasFiles(e)) return;
  e.preventDefault();
  e.dataTransfer.dropEffect = 'copy';
});
window.addEventListener('drop', (e) => {
  e.preventDefault(); // never navigate to a dropped file
  dragDepth = 0;
  ui.dropzone.classList.remove('dragging');
  addFiles([...(e.dataTransfer?.files || [])]);
});
function hasFiles(e) {
  return [...(e.dataTransfer?.types || [])].includes('Files');
}

ui.input.addEventListener('change', () => {
  addFiles([...ui.input.files]);
  ui.input.value = ''; // the same file can be chosen again
});

ui.clear.addEventListener('click', () => {
  state.files = [];
  state.notice = null;
  state.droppedTable = null;
  hideError();
  refresh();
  setStatus('Ready. Choose or drop a model.');
  ui.input.focus();
});

// ---- running -------------------------------------------------------------

function getWorker() {
  if (!state.worker) {
    // ?warmup=0 on the page's URL: no warm-up run at the worker's load (web/worker.js; the benchmark compares).
    const url = new URL('./worker.js', import.meta.url);
    if (new URLSearchParams(location.search).get('warmup') === '0') url.searchParams.set('warmup', '0');
    const w = new Worker(url, { type: 'module', name: 'ncnn-int8' });
    const loadedAt = performance.now();
    // When the quantizer is warm (tests and the benchmark wait for it): ms after the worker started.
    w.addEventListener('message', (e) => {
      if (e.data?.type !== 'warm') return;
      document.body.dataset.warm = String(Math.round(performance.now() - loadedAt));
      // How many warm-up runs ended, and a failed one's message (a failed
      // warm-up only makes the first run slower, so the page goes on).
      document.body.dataset.warmRuns = String(e.data.runs);
      if (e.data.error) document.body.dataset.warmError = e.data.error;
    });
    // Started ahead of a run: remember a load failure until one asks.
    w.onerror = (e) => {
      e.preventDefault();
      w.loadError = e.message || 'unknown error';
    };
    state.worker = w;
  }
  return state.worker;
}

function killWorker() {
  if (state.worker) {
    state.worker.terminate();
    state.worker = null;
  }
  getWorker(); // the next run finds a fresh one ready
}

function setRunning(running) {
  state.running = running;
  document.body.dataset.state = running ? 'running' : document.body.dataset.state === 'running' ? 'idle' : document.body.dataset.state;
  ui.cancel.disabled = !running;
  ui.sample.disabled = running;
  ui.input.disabled = running;
  ui.dropzone.classList.toggle('busy', running);
  ui.progressWrap.hidden = !running;
  refresh();
}

function setProgress(p) {
  let frac = 0;
  if (p.bytesTotal > 0) frac = p.bytesDone / p.bytesTotal;
  else if (p.layersTotal > 0) frac = p.layersDone / p.layersTotal;
  frac = Math.min(1, Math.max(0, frac || 0));
  const pct = Math.round(frac * 1000) / 10;
  const parts = [];
  if (p.bytesTotal > 0) parts.push(`${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)}`);
  if (p.layersTotal > 0) parts.push(`layer ${formatInt(p.layersDone)} of ${formatInt(p.layersTotal)}`);
  const text = `${pct.toFixed(pct < 10 ? 1 : 0)}%${parts.length ? ` · ${parts.join(' · ')}` : ''}`;
  ui.progress.setAttribute('aria-valuenow', String(pct));
  ui.progress.setAttribute('aria-valuetext', text);
  ui.progressBar.style.transform = `scaleX(${pct / 100})`;
  ui.progressLabel.textContent = text;
}

function revokeUrls() {
  for (const u of state.urls) URL.revokeObjectURL(u);
  state.urls = [];
}

function start(resolved) {
  if (state.running) return;
  hideError();
  revokeUrls();
  ui.results.hidden = true;
  document.body.dataset.state = 'running';
  const runId = ++state.runId;
  const { param, bin, table } = resolved;
  const names = { param: param.name, bin: bin.name, table: table ? table.name : undefined };
  const run = { outputs: outputNames(param.name), droppedTable: table ? null : state.droppedTable };
  state.notice = null;
  setRunning(true);
  ui.cancel.focus(); // Quantize is now disabled: focus goes where the next action is
  setProgress({ bytesDone: 0, bytesTotal: 0, layersDone: 0, layersTotal: 0 });
  ui.progressLabel.textContent = 'Loading the quantizer…';
  setStatus(`Quantizing ${param.name}…`);

  let worker;
  try {
    worker = getWorker();
  } catch (err) {
    fail(runId, `The quantizer could not be started: ${err.message}`);
    return;
  }
  if (worker.loadError !== undefined) {
    const message = worker.loadError;
    fail(runId, `The quantizer could not be loaded: ${message}. (Was \`npm run build\` run?)`);
    return;
  }
  worker.onmessage = (e) => {
    if (runId !== state.runId) return; // a cancelled run
    const m = e.data;
    if (m.type === 'warm') return;
    if (m.type === 'progress') setProgress(m);
    else if (m.type === 'done') finish(runId, run, m, { param, bin });
    else if (m.type === 'error') fail(runId, m.message);
  };
  worker.onerror = (e) => {
    e.preventDefault();
    fail(runId, `The quantizer could not be loaded${e.message ? `: ${e.message}` : ''}. (Was \`npm run build\` run?)`);
  };
  worker.onmessageerror = () => fail(runId, 'The quantizer sent a message that could not be read.');
  // Files, not their bytes: the worker reads the .bin in slices.
  worker.postMessage({ type: 'run', param, bin, table, names, output: saveTarget.outputSpec() });
}

function cancel() {
  if (!state.running) return;
  state.runId++; // ignore anything the old worker still says
  killWorker(); // stops the work now; the next run makes a new worker
  document.body.dataset.state = 'idle';
  setRunning(false);
  setStatus('Cancelled. Ready to quantize again.');
  runEnded();
  ui.quantize.focus();
}

function fail(runId, message) {
  if (runId !== state.runId) return;
  killWorker(); // the module may be in a bad state after an error: start fresh next time
  document.body.dataset.state = 'error';
  setRunning(false);
  showError(message);
  setStatus('Quantizing failed. Fix the files and try again.');
  runEnded();
  ui.error.focus();
}

function finish(runId, run, m, inputs) {
  if (runId !== state.runId) return;
  const report = m.report || {};
  state.lastReport = report;
  const paramBlob = new Blob([m.param], { type: 'application/octet-stream' });
  // The .bin: a disk-backed File or a Blob from the worker, or null when it was saved to a picked file.
  const binBlob = m.bin;
  const reportBlob = new Blob([JSON.stringify(report, null, 2) + '\n'], { type: 'application/json' });
  const link = (a, blob, name, label) => {
    const url = URL.createObjectURL(blob);
    state.urls.push(url);
    a.href = url;
    a.download = name;
    a.textContent = `${label} ${name} (${formatBytes(blob.size)})`;
  };
  const out = run.outputs;
  link(ui.dlParam, paramBlob, out.param, 'Download');
  if (binBlob) link(ui.dlBin, binBlob, out.bin, 'Download');
  else {
    ui.dlBin.removeAttribute('href');
    ui.dlBin.textContent = `Saved to ${m.savedTo}`;
  }
  ui.dlBin.dataset.stored = m.stored;
  ui.dlBin.dataset.timings = JSON.stringify(m.timings ?? {}); // where the run's time went (tools/bench-web.mjs)
  link(ui.dlReport, reportBlob, out.report, 'Download');

  if (!report.totals) {
    report.totals = {
      bin_bytes_in: inputs.bin.size,
      bin_bytes_out: binBlob?.size ?? 0,
      param_bytes_in: inputs.param.size,
      param_bytes_out: paramBlob.size,
    };
  }
  const layers = (Array.isArray(report.layers) ? report.layers : []).map((l, i) => ({ ...l, index: i + 1 }));
  const pageWarnings = run.droppedTable
    ? [`Quantized without a table: ${run.droppedTable} was removed before this run, so only layers that need no table were quantized.`]
    : [];
  // The downloads are offered first (in this frame); the per-layer report,
  // which takes longer to lay out than the rest of the page's work, is
  // rendered once that frame is on screen.
  renderWarnings(ui.warnings, ui.warningsList, report.warnings, pageWarnings);
  renderSummary(ui.summary, report, layers);
  ui.worst.hidden = true; // the previous run's details are cleared until these are in
  layerChart.setLayers([]);
  layerTable.setLayers([]);
  ui.version.textContent = [report.tool_version, report.simd_target && `(SIMD ${report.simd_target})`].filter(Boolean).join(' ');
  ui.results.hidden = false;
  document.body.dataset.state = 'done';
  setRunning(false);
  const t = report.totals;
  const nw = (Array.isArray(report.warnings) ? report.warnings.length : 0) + pageWarnings.length;
  setStatus(
    `Done: ${out.bin} is ${formatBytes(t.bin_bytes_out)} (${formatPercent(t.bin_bytes_out, t.bin_bytes_in)} of ${formatBytes(t.bin_bytes_in)})` +
      (nw ? `, ${nw} warning${nw === 1 ? '' : 's'}.` : '.'),
  );
  ui.dlParam.focus(); // the result's first action
  afterPaint(() => {
    if (runId === state.runId) {
      renderWorst(ui.worst, layers, (index) => layerTable.reveal(index));
      layerChart.setLayers(layers); // after unhiding (it sizes itself to the container), before the table's layout
      layerTable.setLayers(layers);
    }
    runEnded(); // the run's page is complete (tests wait on this)
  });
}

// Runs `fn` after the next frame has been painted.
function afterPaint(fn) {
  requestAnimationFrame(() => setTimeout(fn, 0));
}

function showError(message) {
  ui.error.replaceChildren(h('strong', {}, 'Error: '), h('span', { class: 'error-message' }, message));
  ui.error.hidden = false;
}

function hideError() {
  ui.error.hidden = true;
  ui.error.replaceChildren();
}

ui.quantize.addEventListener('click', () => {
  const r = refresh();
  if (r.ready) start(r);
});
ui.cancel.addEventListener('click', cancel);
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && state.running) cancel();
});

// ---- sample --------------------------------------------------------------

ui.sample.addEventListener('click', async () => {
  if (state.running) return;
  hideError();
  ui.sample.disabled = true;
  setStatus('Fetching the sample model…');
  try {
    const names = ['model.param', 'model.bin', 'model.table'];
    const files = await Promise.all(
      names.map(async (name) => {
        const res = await fetch(`/dist/sample/${name}`, { cache: 'no-store' });
        if (!res.ok) throw new Error(`/dist/sample/${name}: ${res.status} ${res.statusText} (run \`npm run build\` to make the sample)`);
        return new File([await res.blob()], name, { type: 'application/octet-stream' });
      }),
    );
    state.files = files;
    state.notice = null;
    state.droppedTable = null;
    ui.sample.disabled = false;
    const r = refresh();
    if (r.ready) start(r);
  } catch (err) {
    ui.sample.disabled = false;
    document.body.dataset.state = 'error';
    showError(`The sample could not be loaded: ${err.message}`);
    setStatus('The sample could not be loaded.');
    runEnded();
    ui.error.focus();
  }
});

// Re-fit the chart to the window.
let lastWidth = 0;
new ResizeObserver(() => {
  const w = ui.chart.clientWidth;
  if (!ui.results.hidden && state.lastReport && Math.abs(w - lastWidth) > 8) {
    lastWidth = w;
    layerChart.render();
  }
}).observe(ui.chart);

window.addEventListener('beforeunload', revokeUrls);
refresh();
getWorker(); // start the worker, and its WebAssembly compile, at page load
document.body.dataset.app = 'ready'; // web/boot.js says so when this never runs
