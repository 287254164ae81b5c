// The calibration section: when a model has no table, the page offers to
// make one (ncnn2table in the tab). One list of inputs per model Input
// (images or .npy; files or folders), preprocessing presets and fields,
// "what the model sees" for the first inputs, the run in a worker with
// progress and Cancel, then the table shown, downloadable, and added to the
// model's files as if it had been dropped.
import { baseOf, droppedFiles } from './files.js';
import { formatBytes, formatInt, h } from './format.js';
import {
  PRESETS, PIXEL_ORDERS, ProgressClock, buildOptions, displayName, fieldWarnings, inputKind, inputType, previewDims,
  matchingPreset, mergeInputs, presetById, tensorStats, tensorWarnings,
} from './calib-prep.js';
import { CalibTable, RangeChart, previewPlaceholder, renderPreview, tableRows } from './calib-view.js';

const PREVIEW_COUNT = 3; // inputs per list shown as the model sees them
const $ = (id) => document.getElementById(id);

export function mountCalibration({ addTable }) {
  const ui = {
    section: $('calib'),
    heading: $('calib-heading'),
    offer: $('calib-offer'),
    model: $('calib-model'),
    inputs: $('calib-inputs'),
    method: $('calib-method'),
    threads: $('calib-threads'),
    threadsNote: $('calib-threads-note'),
    run: $('calib-run'),
    cancel: $('calib-cancel'),
    progressWrap: $('calib-progress-wrap'),
    progress: $('calib-progress'),
    progressBar: $('calib-progress-bar'),
    progressLabel: $('calib-progress-label'),
    status: $('calib-status'),
    error: $('calib-error'),
    results: $('calib-results'),
    resultsHeading: $('calib-results-heading'),
    summary: $('calib-summary'),
    dlTable: $('calib-download-table'),
    dlReport: $('calib-download-report'),
    quantize: $('calib-quantize'),
    warnings: $('calib-warnings'),
    warningsList: $('calib-warnings-list'),
    chart: $('calib-chart'),
    layers: $('calib-layers'),
  };
  const st = {
    model: null, // { param, bin }
    inputs: [], // [{ blob, layer, shapeHint }] from the .param
    inputsError: null,
    blocks: [], // per input: { files, fields, els }
    running: false,
    runId: 0,
    runWorker: null,
    helper: null, // worker for the model's inputs and the previews
    pending: new Map(),
    seq: 0,
    previewTimer: 0,
    previewRound: 0,
    urls: [],
    tableFile: null,
    modelId: 0, // which model the run worker holds
    rehearsed: new Set(), // model, method and input kind the run worker has rehearsed
    rehearseTimer: 0,
    runningViewTimer: 0, // shows a run's progress once it has taken RUNNING_VIEW_MS
    keys: new WeakMap(), // input File -> its key in the run worker's read-ahead cache
    nextKey: 0,
  };
  const table = new CalibTable(ui.layers);
  const chart = new RangeChart(ui.chart, (index) => table.reveal(index));
  document.body.dataset.calibState = 'idle';
  document.body.dataset.calibRunsStarted = '0';
  document.body.dataset.calibRunsEnded = '0';
  document.body.dataset.calibShown = '0';
  document.body.dataset.calibPreviews = '0'; // preview rounds finished (tests wait on it)
  document.body.dataset.calibPreviewPending = '0'; // '1' from a change until its preview round has finished

  // ---- threads: all cores where the page may share memory with workers ----
  const isolated = Boolean(globalThis.crossOriginIsolated);
  const cores = Math.max(1, Math.min(64, navigator.hardwareConcurrency || 1));
  ui.threads.value = String(isolated ? cores : 1);
  ui.threads.max = String(isolated ? 64 : 1);
  ui.threads.disabled = !isolated;
  ui.threadsNote.textContent = isolated
    ? `This machine has ${cores} cores.`
    : 'One thread: this page is not cross-origin isolated (the server must send the COOP and COEP headers for threads).';

  // ---- workers --------------------------------------------------------------
  function helper() {
    if (!st.helper) {
      st.helper = new Worker(new URL('./calib-worker.js', import.meta.url), { type: 'module', name: 'ncnn-int8-calib-helper' });
      st.helper.onmessage = (e) => {
        const p = st.pending.get(e.data.id);
        if (!p) return;
        st.pending.delete(e.data.id);
        if (e.data.type === 'error') p.reject(Object.assign(new Error(e.data.message), { code: e.data.code }));
        else p.resolve(e.data);
      };
      st.helper.onerror = (e) => {
        e.preventDefault();
        const err = new Error(`the calibration worker could not be loaded${e.message ? `: ${e.message}` : ''} (was \`npm run build\` run?)`);
        for (const p of st.pending.values()) p.reject(err);
        st.pending.clear();
        st.helper = null;
      };
    }
    return st.helper;
  }
  // The run worker is made ready before the click: started with its module
  // (and thread pool) as soon as a model is there, given the model and the
  // inputs as they are dropped, so it reads them ahead. After a Cancel or an
  // error it is replaced at once by a fresh one.
  function runWorker() {
    if (!st.runWorker) {
      st.runWorker = new Worker(new URL('./calib-worker.js', import.meta.url), { type: 'module', name: 'ncnn-int8-calib' });
      st.runWorker.postMessage({ type: 'warm' });
      if (st.model) st.runWorker.postMessage({ type: 'model', modelId: st.modelId, param: st.model.param, bin: st.model.bin });
      prefetch();
    }
    return st.runWorker;
  }

  function keyed(file) {
    let key = st.keys.get(file);
    if (key === undefined) st.keys.set(file, (key = ++st.nextKey));
    return { key, file };
  }

  function prefetch() {
    st.runWorker?.postMessage({ type: 'prefetch', lists: st.blocks.map((b) => b.files.map(keyed)) });
  }

  // Once the form could run: the run worker rehearses on the first samples
  // (see calib-worker.js), once per model, method and kind of input, so
  // that the click finds its code compiled.
  function scheduleRehearsal() {
    clearTimeout(st.rehearseTimer);
    st.rehearseTimer = setTimeout(() => {
      const cur = current();
      if (!cur.ready || st.running || !st.runWorker) return;
      const key = `${st.modelId}|${cur.options.method}|${cur.type}`;
      if (st.rehearsed.has(key)) return;
      st.rehearsed.add(key);
      st.runWorker.postMessage({
        type: 'rehearse', modelId: st.modelId, param: st.model.param, bin: st.model.bin,
        inputs: cur.lists.map((l) => l.slice(0, 32).map(keyed)), options: cur.options,
      });
    }, 500);
  }

  function ask(msg) {
    const id = ++st.seq;
    return new Promise((resolve, reject) => {
      st.pending.set(id, { resolve, reject });
      helper().postMessage({ ...msg, id });
    });
  }

  // ---- the model ------------------------------------------------------------
  ui.offer.addEventListener('click', () => {
    ui.section.hidden = false;
    ui.heading.focus();
    ui.section.scrollIntoView({ block: 'start' });
  });

  async function setModel(m) {
    const param = m?.param ?? null;
    const bin = m?.bin ?? null;
    if (st.model && st.model.param === param && st.model.bin === bin) return;
    const sameParam = st.model?.param === param;
    st.model = param && bin ? { param, bin } : null;
    if (st.model) {
      st.modelId++;
      if (st.runWorker) st.runWorker.postMessage({ type: 'model', modelId: st.modelId, param, bin });
      else if (!m.table) runWorker();
    }
    if (!st.model) {
      ui.model.textContent = 'Drop a model (.param and .bin) above first.';
      refresh();
      return;
    }
    if (sameParam) {
      refresh();
      return;
    }
    ui.model.textContent = `Reading the Input layers of ${param.name}…`;
    try {
      const r = await ask({ type: 'inputs', param });
      if (st.model?.param !== param) return;
      st.inputs = r.inputs;
      st.inputsError = r.inputs.length ? null : `${param.name} has no Input layer: there is nothing to feed.`;
    } catch (err) {
      if (st.model?.param !== param) return;
      st.inputs = [];
      st.inputsError = `${param.name}: ${err.message}`;
    }
    buildBlocks();
    refresh();
    schedulePreview();
    scheduleRehearsal();
  }

  function buildBlocks() {
    const old = st.blocks;
    const keep = old.length === st.inputs.length;
    st.blocks = st.inputs.map((inp, i) => {
      // The default shape is the Input layer's own w,h(,c).
      const [w, hh, c] = Array.isArray(inp.shapeHint) ? inp.shapeHint : [];
      const hint = w > 0 && hh > 0 ? (c > 0 ? `${w},${hh},${c}` : `${w},${hh}`) : '';
      const fields = keep ? { ...old[i].fields } : { ...pickPreset('imagenet'), shape: hint };
      return { input: inp, files: keep ? old[i].files : [], fields, els: null, notice: '' };
    });
    ui.inputs.replaceChildren(...st.blocks.map((b, i) => inputBlock(b, i)));
  }

  function pickPreset(id) {
    const p = presetById(id);
    return p ? { mean: p.mean, norm: p.norm, pixel: p.pixel } : {};
  }

  // ---- one block per model Input ------------------------------------------
  function inputBlock(block, i) {
    const inp = block.input;
    const n = st.blocks.length;
    const hint = Array.isArray(inp.shapeHint) && inp.shapeHint.some((v) => v > 0) ? ` · shape hint ${inp.shapeHint.join('×')}` : '';
    const fileInput = h('input', { type: 'file', id: `calib-files-${i}`, class: 'visually-hidden', multiple: true, accept: '.png,.jpg,.jpeg,.bmp,.npy' });
    const folderInput = h('input', { type: 'file', id: `calib-folder-${i}`, class: 'visually-hidden', webkitdirectory: true, multiple: true });
    const zone = h('div', { class: 'dropzone calib-drop' },
      h('p', { class: 'drop-hint' }, 'Drop images (PNG, JPEG, BMP) or .npy files here, or a folder of them.'),
      h('p', { class: 'drop-or' },
        fileInput, h('label', { for: fileInput.id, class: 'button secondary' }, 'Choose files…'),
        folderInput, h('label', { for: folderInput.id, class: 'button secondary' }, 'Choose a folder…'),
        h('button', { type: 'button', class: 'link', id: `calib-clear-${i}`, onclick: () => setFiles(i, [], '') }, 'Clear')));
    const count = h('p', { class: 'calib-count', id: `calib-count-${i}`, 'aria-live': 'polite' });
    const list = h('ul', { class: 'calib-list', id: `calib-list-${i}`, 'aria-label': `Inputs for ${inp.blob}` });
    const listBox = h('details', { class: 'calib-list-box' }, h('summary', {}, 'Show the list'), list);

    const presetSelect = h('select', { id: `calib-preset-${i}` },
      ...PRESETS.map((p) => h('option', { value: p.id }, p.label)), h('option', { value: 'custom' }, 'Custom'));
    const field = (key, label, hintText) => {
      const el = h('input', { type: 'text', id: `calib-${key}-${i}`, spellcheck: 'false', autocomplete: 'off', 'aria-describedby': `calib-${key}-${i}-hint` });
      return { el, wrap: h('label', { class: `calib-field field-${key}` }, label, el, h('span', { class: 'hint', id: `calib-${key}-${i}-hint` }, hintText)) };
    };
    const mean = field('mean', 'Mean', 'per channel, in pixel order');
    const norm = field('norm', 'Norm', '(x − mean) × norm');
    const shape = field('shape', 'Shape', 'w,h(,c); 0 keeps the size or aspect');
    const pixel = h('select', { id: `calib-pixel-${i}` }, ...PIXEL_ORDERS.map((p) => h('option', { value: p }, p)));
    const imageOnly = h('div', { class: 'calib-image-fields' },
      h('label', { class: 'calib-field' }, 'Preset', presetSelect), mean.wrap, norm.wrap,
      h('label', { class: 'calib-field' }, 'Pixel order', pixel));
    const notes = h('div', { class: 'calib-field-notes', id: `calib-notes-${i}`, 'aria-live': 'polite' });
    const previews = h('div', { class: 'calib-previews', id: `calib-previews-${i}` });
    block.els = { fileInput, folderInput, zone, count, list, listBox, presetSelect, mean: mean.el, norm: norm.el, shape: shape.el, pixel, imageOnly, notes, previews };
    writeFields(block);

    const onFiles = (input) => () => {
      addToList(i, [...input.files]);
      input.value = '';
    };
    fileInput.addEventListener('change', onFiles(fileInput));
    folderInput.addEventListener('change', onFiles(folderInput));
    // Drops here are this input's: the model's drop zone (the window) must not see them.
    let depth = 0; // enter/leave also fire for the zone's children
    for (const type of ['dragenter', 'dragover', 'dragleave']) {
      zone.addEventListener(type, (e) => {
        e.stopPropagation();
        e.preventDefault();
        if (type === 'dragover') e.dataTransfer.dropEffect = st.running ? 'none' : 'copy';
        if (type === 'dragenter') depth++;
        if (type === 'dragleave') depth = Math.max(0, depth - 1);
        zone.classList.toggle('dragging', depth > 0);
      });
    }
    zone.addEventListener('drop', async (e) => {
      e.stopPropagation();
      e.preventDefault();
      depth = 0;
      zone.classList.remove('dragging');
      if (st.running) return;
      // Inside a folder only images and .npy are taken; files dropped on
      // their own all go to the list, which names those it leaves out.
      const { files, unreadable } = await droppedFiles(e.dataTransfer, (name) => inputKind(name) !== null);
      addToList(i, files, unreadable);
    });
    presetSelect.addEventListener('change', () => {
      if (presetSelect.value !== 'custom') Object.assign(block.fields, pickPreset(presetSelect.value));
      writeFields(block);
      changed();
    });
    for (const [key, el] of [['mean', mean.el], ['norm', norm.el], ['shape', shape.el], ['pixel', pixel]]) {
      el.addEventListener(el.tagName === 'SELECT' ? 'change' : 'input', () => {
        block.fields[key] = el.value;
        presetSelect.value = matchingPreset(block.fields)?.id ?? 'custom';
        changed();
      });
    }
    return h('fieldset', { class: 'calib-input', 'data-index': String(i) },
      h('legend', {}, n > 1 ? `Input ${i + 1} of ${n}: ` : 'Input: ', h('code', {}, inp.blob), hint),
      zone, count, listBox, h('div', { class: 'calib-fields' }, imageOnly, shape.wrap), notes, previews);
  }

  function writeFields(block) {
    const { els, fields } = block;
    els.mean.value = fields.mean ?? '';
    els.norm.value = fields.norm ?? '';
    els.shape.value = fields.shape ?? '';
    els.pixel.value = fields.pixel ?? 'RGB';
    els.presetSelect.value = matchingPreset(fields)?.id ?? 'custom';
  }

  function changed() {
    prefetch();
    scheduleRehearsal();
    hideError();
    refresh();
    schedulePreview();
  }

  function addToList(i, batch, unreadable = []) {
    if (!batch.length && !unreadable.length) return;
    const block = st.blocks[i];
    const merged = mergeInputs(block.files, batch);
    const few = (names) => `${names.slice(0, 5).join(', ')}${names.length > 5 ? ` and ${names.length - 5} more` : ''}`;
    const notice = [
      merged.skipped.length ? `Not used (not an image or .npy): ${few(merged.skipped)}.` : '',
      unreadable.length ? `Could not be read from the drop: ${few(unreadable)}.` : '',
    ].filter(Boolean).join(' ');
    setFiles(i, merged.files, notice);
  }

  function setFiles(i, files, notice) {
    const block = st.blocks[i];
    if (!block || st.running) return;
    block.files = files;
    block.notice = notice;
    renderList(i);
    changed();
  }

  function renderList(i) {
    const block = st.blocks[i];
    const { list, count } = block.els;
    list.replaceChildren(...block.files.map((f, k) => h('li', { class: 'calib-file', 'data-name': displayName(f) },
      h('span', { class: 'num' }, String(k + 1)),
      h('span', { class: 'file-name' }, displayName(f)),
      h('span', { class: 'file-size' }, formatBytes(f.size)),
      h('button', { type: 'button', class: 'link remove', 'aria-label': `Remove ${displayName(f)}`, disabled: st.running, onclick: () => removeInput(displayName(f)) }, 'Remove'))));
    const total = block.files.reduce((a, f) => a + f.size, 0);
    count.replaceChildren(
      block.files.length ? `${formatInt(block.files.length)} input${block.files.length === 1 ? '' : 's'} (${formatBytes(total)}), read in this order.` : 'No inputs yet.',
      block.notice ? h('span', { class: 'problem-inline' }, ` ${block.notice}`) : '');
  }

  // Removes an input (by its shown name) from every list that has it.
  function removeInput(name) {
    st.blocks.forEach((b, i) => {
      if (b.files.some((f) => displayName(f) === name)) {
        b.files = b.files.filter((f) => displayName(f) !== name);
        b.notice = '';
        renderList(i);
      }
    });
    changed();
  }

  // ---- state of the form ----------------------------------------------------
  function current() {
    const lists = st.blocks.map((b) => b.files);
    const kind = inputType(lists);
    const type = kind.type ?? 0;
    const problems = [];
    if (kind.problem) problems.push(kind.problem);
    const counts = lists.map((l) => l.length);
    if (lists.length > 1 && counts.some((c) => c !== counts[0])) {
      problems.push(`Each input needs the same number of files (file k of every list is one sample): ${counts.join(' vs ')}.`);
    }
    const fields = st.blocks.map((b) => ({ blob: b.input.blob, ...b.fields }));
    const built = buildOptions(fields, { type, method: ui.method.value, thread: Number(ui.threads.value) || 1 });
    if (built.problems) problems.push(...built.problems);
    return { lists, type, problems, options: built.options ?? null, ready: Boolean(st.model && st.blocks.length && counts.every((c) => c > 0) && !problems.length) };
  }

  function refresh() {
    const cur = current();
    st.blocks.forEach((b) => {
      b.els.imageOnly.hidden = cur.type === 1;
      const notes = [...fieldWarnings(b.fields, cur.type)];
      // Drawn again only when they change (refresh runs on every click).
      const key = JSON.stringify(notes.map((n) => [n.code, n.text]));
      if (b.els.notes.dataset.key !== key) {
        b.els.notes.dataset.key = key;
        b.els.notes.replaceChildren(...notes.map((n) => h('p', { class: 'problem', 'data-code': n.code }, n.text)));
      }
    });
    if (st.model) {
      const names = st.inputs.map((x) => x.blob).join(', ');
      ui.model.textContent = st.inputsError ?? `Model ${st.model.param.name}: ${st.inputs.length === 1 ? `one Input (${names})` : `${st.inputs.length} Inputs (${names}), one list each`}.`;
    }
    ui.run.disabled = st.running || !cur.ready;
    ui.cancel.disabled = !st.running;
    ui.method.disabled = st.running;
    ui.threads.disabled = st.running || !isolated;
    for (const b of st.blocks) {
      for (const el of [b.els.fileInput, b.els.folderInput]) el.disabled = st.running;
      b.els.zone.classList.toggle('busy', st.running);
    }
    if (!st.running) {
      if (!st.model) setStatus('Drop a model above first.');
      else if (cur.problems.length) setStatus(cur.problems.join(' '));
      else if (!cur.ready) setStatus(st.blocks.length > 1 ? 'Add the inputs of every list.' : 'Add some inputs: a few dozen typical ones are enough.');
      else setStatus(`Ready to calibrate on ${formatInt(cur.lists[0].length)} sample${cur.lists[0].length === 1 ? '' : 's'} with ${ui.method.value}.`);
    }
    return cur;
  }

  function setStatus(text) {
    if (ui.status.textContent !== text) ui.status.textContent = text;
  }
  ui.method.addEventListener('change', () => {
    refresh();
    scheduleRehearsal();
  });
  ui.threads.addEventListener('input', () => refresh());

  // ---- what the model sees --------------------------------------------------
  // The previews sit above "Make the table", so while a round is under way
  // each list's previews keep at least the height they had, and placeholders
  // take a rendered preview's size at once: the button stays where a user
  // aimed (a click whose press and release fall on either side of a move is
  // no click at all).
  function schedulePreview() {
    document.body.dataset.calibPreviewPending = '1'; // until the round this change starts has finished
    let cur = null; // the form's state, worked out only for a list that shows nothing yet
    for (const b of st.blocks) {
      b.els.previews.style.minHeight = `${b.els.previews.getBoundingClientRect().height}px`;
      if (!b.els.previews.childElementCount) showPlaceholders(b, (cur ??= current()));
    }
    clearTimeout(st.previewTimer);
    st.previewTimer = setTimeout(preview, 250);
  }

  // The heading and one placeholder per input shown; the slots, in order.
  function showPlaceholders(b, cur) {
    const files = b.files.slice(0, PREVIEW_COUNT);
    if (!files.length || !cur.options || !st.model) {
      b.els.previews.replaceChildren();
      return [];
    }
    const dims = previewDims(b.fields, cur.type);
    const slots = files.map((f) => previewPlaceholder(displayName(f), dims, b.fields.pixel));
    b.els.previews.replaceChildren(h('p', { class: 'note' }, `What the model sees (the first ${files.length === 1 ? 'input' : `${files.length} inputs`}, preprocessed as the table run will):`), ...slots);
    return slots;
  }

  async function preview() {
    st.previewTimer = 0;
    const round = ++st.previewRound;
    const cur = current();
    const jobs = [];
    st.blocks.forEach((b, i) => {
      const slots = showPlaceholders(b, cur);
      slots.forEach((slot, k) => {
        const f = b.files[k];
        jobs.push(
          ask({ type: 'preview', param: st.model.param, input: f, inputIndex: i, options: cur.options }).then(
            ({ tensor }) => {
              if (round !== st.previewRound) return;
              const stats = tensorStats(tensor);
              const ctx = { type: cur.type, mean: b.fields.mean, norm: b.fields.norm, preset: matchingPreset(b.fields), channels: tensor.c };
              slot.replaceWith(renderPreview(displayName(f), tensor, stats, tensorWarnings(stats, ctx), b.fields.pixel));
            },
            (err) => {
              if (round !== st.previewRound) return;
              slot.replaceWith(h('div', { class: 'preview failed' }, h('p', { class: 'preview-name' }, displayName(f)), h('p', { class: 'problem' }, err.message)));
            },
          ),
        );
      });
    });
    await Promise.all(jobs);
    if (round !== st.previewRound) return;
    if (!st.previewTimer) {
      for (const b of st.blocks) b.els.previews.style.minHeight = '';
      document.body.dataset.calibPreviewPending = '0';
    }
    document.body.dataset.calibPreviews = String(Number(document.body.dataset.calibPreviews) + 1);
  }

  // ---- the run --------------------------------------------------------------
  function setRunning(on) {
    st.running = on;
    if (!on) {
      clearTimeout(st.runningViewTimer);
      ui.progressWrap.hidden = true;
    }
    // No input is removed during a run (the lists are not drawn again: a
    // list of hundreds of inputs costs the run's start and end).
    for (const b of st.blocks) for (const button of b.els.list.querySelectorAll('button.remove')) button.disabled = on;
    refresh();
  }

  function setProgress(fraction, text) {
    const pct = Math.round(fraction * 1000) / 10;
    ui.progress.setAttribute('aria-valuenow', String(pct));
    ui.progress.setAttribute('aria-valuetext', text);
    ui.progressBar.style.transform = `scaleX(${pct / 100})`;
    ui.progressLabel.textContent = text;
  }

  function ended(state) {
    document.body.dataset.calibState = state;
    document.body.dataset.calibRunsEnded = String(Number(document.body.dataset.calibRunsEnded) + 1);
  }

  // A run shows its progress, and takes the focus to Cancel, once it has
  // taken this long: a quick run goes from the click straight to its table,
  // without the page drawn twice meanwhile (on a few cores that drawing
  // takes time from the run itself).
  const RUNNING_VIEW_MS = 150;

  function start() {
    const cur = current();
    if (!cur.ready || st.running) return;
    const runId = ++st.runId;
    const method = cur.options.method;
    const model = st.model;
    const clock = new ProgressClock(method, performance.now());
    const started = performance.now();
    // The worker starts on it first; the page shows the run meanwhile.
    const w = runWorker();
    w.onmessage = (e) => {
      const m = e.data;
      if (m.id !== runId || runId !== st.runId) return;
      if (m.type === 'progress') {
        const p = clock.update(m, performance.now());
        setProgress(p.fraction, p.text);
      } else if (m.type === 'done') finish(runId, model, cur, m, performance.now() - started);
      else if (m.type === 'error') fail(runId, m.message, cur.lists);
    };
    w.onerror = (e) => {
      e.preventDefault();
      fail(runId, `The calibration worker could not be loaded${e.message ? `: ${e.message}` : ''}. (Was \`npm run build\` run?)`, cur.lists);
    };
    // Files, not their bytes: the worker has read ahead what fits its cache
    // and reads the rest one at a time.
    w.postMessage({ type: 'run', id: runId, modelId: st.modelId, param: model.param, bin: model.bin, inputs: cur.lists.map((l) => l.map(keyed)), options: cur.options });
    document.body.dataset.calibRunsStarted = String(Number(document.body.dataset.calibRunsStarted) + 1);
    document.body.dataset.calibState = 'running';
    setRunning(true); // the inputs and options are fixed at once
    setProgress(0, 'Loading the engine…');
    st.runningViewTimer = setTimeout(() => showRunning(runId, model, cur), RUNNING_VIEW_MS);
  }

  function showRunning(runId, model, cur) {
    if (runId !== st.runId || !st.running) return;
    hideError();
    hideResults();
    ui.progressWrap.hidden = false;
    ui.cancel.focus();
    setStatus(`Calibrating ${model.param.name} on ${formatInt(cur.lists[0].length)} samples (${cur.options.method}, ${cur.options.thread} thread${cur.options.thread === 1 ? '' : 's'})…`);
  }

  function stopWorker() {
    st.runWorker?.terminate(); // stops the work now, pthreads included
    st.runWorker = null;
    st.rehearsed.clear();
    if (st.model) {
      runWorker(); // the next run finds a fresh one ready
      scheduleRehearsal();
    }
  }

  function cancel() {
    if (!st.running) return;
    st.runId++;
    stopWorker();
    setRunning(false);
    hideResults();
    setStatus('Cancelled. Change the inputs or options, or make the table again.');
    ended('idle');
    ui.run.focus();
  }

  function fail(runId, message, lists) {
    if (runId !== st.runId) return;
    stopWorker();
    setRunning(false);
    hideResults(); // the last run's, when this one ended before showing its progress
    // An input named in the error can be removed from here.
    // (The worker knows a file by its name; the list shows its path in a folder.)
    const named = lists.flat().filter((f) => message.includes(displayName(f)) || message.includes(f.name));
    named.sort((a, b) => Number(message.includes(displayName(b))) - Number(message.includes(displayName(a))) || b.name.length - a.name.length);
    const culprit = named.length ? displayName(named[0]) : null;
    ui.error.replaceChildren(h('strong', {}, 'Error: '), h('span', { class: 'error-message' }, message),
      culprit ? h('p', {}, h('button', { type: 'button', class: 'secondary', id: 'calib-remove-culprit', onclick: () => { removeInput(culprit); hideError(); ui.run.focus(); } }, `Remove ${culprit} and try again`)) : '');
    ui.error.hidden = false;
    setStatus('Making the table failed: fix the inputs or options, then make it again.');
    ended('error');
    ui.error.focus();
  }

  function hideError() {
    ui.error.hidden = true;
    ui.error.replaceChildren();
  }

  function revokeUrls() {
    for (const u of st.urls) URL.revokeObjectURL(u);
    st.urls = [];
  }

  // The last run's results: hidden, their download links let go.
  function hideResults() {
    ui.results.hidden = true;
    revokeUrls();
  }

  function link(a, blob, name) {
    const url = URL.createObjectURL(blob);
    st.urls.push(url);
    a.href = url;
    a.download = name;
    a.textContent = `Download ${name} (${formatBytes(blob.size)})`;
  }

  function finish(runId, model, cur, m, ms) {
    if (runId !== st.runId) return;
    hideError();
    // The last run's links, when its results stayed shown, are let go after
    // this table is offered (each revoke waits on the browser's process).
    const stale = st.urls;
    st.urls = [];
    const base = baseOf(model.param.name);
    const tableFile = new File([m.table], `${base}.table`, { type: 'text/plain' });
    const report = m.report ?? {};
    link(ui.dlTable, tableFile, tableFile.name);
    ui.dlReport.hidden = true; // linked with the chart, below
    const rows = tableRows(report);
    const zero = rows.filter((r) => r.scale > 0 && r.scale < 5e-7);
    const unique = Array.isArray(m.warnings) && m.warnings.length ? m.warnings : Array.isArray(report.warnings) ? report.warnings : [];
    ui.warningsList.replaceChildren(...unique.map((w) => h('li', {}, w.layer ? h('span', { class: 'where' }, `${w.layer}: `) : '', w.message ?? String(w))));
    ui.warnings.hidden = unique.length === 0;
    ui.summary.textContent = `${formatInt(rows.length)} layers calibrated with ${cur.options.method} on ${formatInt(cur.lists[0].length)} samples in ${(ms / 1000).toFixed(1)} s` +
      `${zero.length ? `; ${zero.length} scale${zero.length === 1 ? '' : 's'} below 0.0000005 print as 0.000000 and break those layers in int8 (${zero.map((r) => r.layer).slice(0, 3).join(', ')})` : ''}. ` +
      `${tableFile.name} is now the model's table above: Quantize uses it.`;
    // The last run's chart and layers go before the results show: laid out
    // again, they would delay the table being offered.
    ui.chart.replaceChildren();
    ui.layers.tBodies[0]?.replaceChildren();
    ui.results.hidden = false;
    setRunning(false);
    st.tableFile = tableFile;
    addTable(tableFile); // as if the user had dropped it
    setStatus(`Done: ${tableFile.name} (${formatInt(rows.length)} layers). Quantize the model with it, or download it.`);
    ended('done');
    // Focus moves with the frame that shows the results: focusing now would
    // lay the page out once more, before the table is offered.
    requestAnimationFrame(() => {
      if (runId === st.runId) ui.resultsHeading.focus();
    });
    // The table is offered; the report, the chart and the per-layer table
    // follow, after the browser has shown that.
    const shown = document.body.dataset.calibRunsEnded;
    setTimeout(() => {
      for (const u of stale) URL.revokeObjectURL(u);
      if (runId !== st.runId) return;
      link(ui.dlReport, new Blob([`${JSON.stringify(report, null, 2)}\n`], { type: 'application/json' }), `${base}.calib-report.json`);
      ui.dlReport.hidden = false;
      chart.setRows(rows);
      table.setRows(rows);
      document.body.dataset.calibShown = shown; // the run whose chart and layers are drawn (tests wait on it)
    }, 0);
  }

  ui.run.addEventListener('click', start);
  ui.cancel.addEventListener('click', cancel);
  ui.quantize.addEventListener('click', () => {
    const q = $('quantize-button');
    q.scrollIntoView({ block: 'center' });
    if (!q.disabled) q.click();
    else q.focus();
  });
  ui.section.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && st.running) {
      e.stopPropagation();
      cancel();
    }
  });
  window.addEventListener('beforeunload', revokeUrls);
  refresh();
  return { setModel };
}
