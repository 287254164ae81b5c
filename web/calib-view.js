// Drawing for the calibration section: a preprocessed tensor rendered back
// as an image (and per channel) with its value histogram, and the table's
// per-layer view (threshold against max, scale, share clipped) with a chart
// of activation ranges.
import { formatInt, naturalCompare, h, s } from './format.js';
import { fmt } from './calib-prep.js';

const HIST_BINS = 48;

// The size a tensor of w x height is shown at: `box` px on its long side,
// small tensors scaled up; very flat ones (audio, one-row arrays) stretched
// to stay visible.
function shownSize(w, height, box) {
  const wide = w >= height;
  return {
    width: `${wide ? box : Math.max(1, Math.round((box * w) / height))}px`,
    height: `${wide ? Math.max(24, Math.round((box * height) / w)) : box}px`,
  };
}

// Canvas of a tensor: values mapped linearly from [lo, hi] to 0..255.
// planes: which channel goes to R, G, B (one index: grey). Without data
// (a placeholder) the canvas is left blank at the size the image will have.
function tensorCanvas(t, planes, lo, hi, label, box = 112) {
  const { w, h: height, data } = t;
  const plane = w * height;
  const canvas = h('canvas', { width: w, height, class: 'tensor-image', role: 'img', 'aria-label': label });
  Object.assign(canvas.style, shownSize(w, height, box));
  if (!data) return canvas;
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(w, height);
  const k = hi > lo ? 255 / (hi - lo) : 0;
  const rgb = planes.length === 1 ? [planes[0], planes[0], planes[0]] : planes;
  for (let i = 0; i < plane; i++) {
    for (let j = 0; j < 3; j++) {
      const v = data[rgb[j] * plane + i];
      img.data[i * 4 + j] = Number.isFinite(v) ? (v - lo) * k : 255;
    }
    img.data[i * 4 + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
  return canvas;
}

// Which channels are red, green and blue for the model's pixel order.
function rgbPlanes(pixel) {
  if (pixel === 'BGR' || pixel === 'BGRA') return [2, 1, 0];
  return [0, 1, 2];
}

export function histogram(data, lo, hi, bins = HIST_BINS) {
  const counts = new Array(bins).fill(0);
  const k = hi > lo ? bins / (hi - lo) : 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!Number.isFinite(v)) continue;
    counts[Math.min(bins - 1, Math.max(0, Math.floor((v - lo) * k)))]++;
  }
  return counts;
}

// counts null: the empty frame of one (a preview being prepared).
function histogramSvg(counts, lo, hi, label) {
  const width = 240;
  const height = 70;
  const top = Math.max(1, ...(counts ?? []));
  const bw = width / (counts?.length ?? 1);
  let d = '';
  counts?.forEach((c, i) => {
    if (!c) return;
    const bh = Math.max(1, ((height - 14) * c) / top);
    d += `M${(i * bw).toFixed(2)} ${(height - 14 - bh).toFixed(2)}h${(bw * 0.9).toFixed(2)}v${bh.toFixed(2)}h${(-bw * 0.9).toFixed(2)}z`;
  });
  return s('svg', { viewBox: `0 0 ${width} ${height}`, width, height, class: 'tensor-hist', role: 'img', 'aria-label': label },
    s('path', { d, class: 'hist-bar' }),
    s('line', { x1: 0, x2: width, y1: height - 13.5, y2: height - 13.5, class: 'baseline' }),
    counts ? s('text', { x: 0, y: height - 2, text: fmt(lo) }) : null,
    counts ? s('text', { x: width, y: height - 2, 'text-anchor': 'end', text: fmt(hi) }) : null);
}

// The images of one preview: colour and each channel (3 or 4 channels), or
// the one plane (or the first of many).
function previewImages(name, t, lo, hi, pixel) {
  const images = [];
  if (t.c === 3 || t.c === 4) images.push(h('figure', {}, tensorCanvas(t, rgbPlanes(pixel), lo, hi, `${name} as the model sees it, in colour`, 160), h('figcaption', {}, 'colour')));
  if (t.c > 1 && t.c <= 4) {
    const names = pixel === 'GRAY' ? [] : (pixel || 'RGB').split('');
    for (let k = 0; k < t.c; k++) {
      images.push(h('figure', {}, tensorCanvas(t, [k], lo, hi, `${name}, channel ${k + 1}`), h('figcaption', {}, `channel ${k + 1}${names[k] ? ` (${names[k]})` : ''}`)));
    }
  }
  if (t.c === 1 || t.c > 4) {
    // One plane, or too many channels to show each: the first.
    images.push(h('figure', {}, tensorCanvas(t, [0], lo, hi, `${name}, channel 1 of ${t.c}`, 160), h('figcaption', {}, t.c > 1 ? `channel 1 of ${t.c}` : 'values')));
  }
  return images;
}

// One preview: the tensor as the model sees it, its histogram, numbers and
// warnings. t: { data, w, h, c, min, max, mean }, stats from tensorStats.
export function renderPreview(name, t, stats, warnings, pixel) {
  const lo = stats.min;
  const hi = stats.max;
  const counts = histogram(t.data, lo, hi);
  return h('div', { class: `preview${warnings.length ? ' has-warnings' : ''}` },
    h('p', { class: 'preview-name' }, name),
    h('div', { class: 'preview-images' }, ...previewImages(name, t, lo, hi, pixel)),
    histogramSvg(counts, lo, hi, `Histogram of the values of ${name}, ${fmt(lo)} to ${fmt(hi)}`),
    h('p', { class: 'preview-stats' }, `${t.w}×${t.h}×${t.c} · min ${fmt(stats.min)} · max ${fmt(stats.max)} · mean ${fmt(stats.mean)}`),
    warnings.length ? h('ul', { class: 'preview-warnings' }, ...warnings.map((w) => h('li', { 'data-code': w.code }, w.text))) : null);
}

// A preview being prepared, laid out as the rendered one will be when its
// size is known (dims: { w, h, c }, from the shape field), so that nothing
// below it moves when it lands (a click aimed at "Make the table" then
// still hits it); otherwise a box of a typical preview's size (CSS).
export function previewPlaceholder(name, dims, pixel) {
  if (!dims) {
    return h('div', { class: 'preview pending' }, h('p', { class: 'preview-name' }, name), h('p', { class: 'note' }, 'Preparing…'));
  }
  return h('div', { class: 'preview pending sized', 'aria-busy': 'true' },
    h('p', { class: 'preview-name' }, name),
    h('div', { class: 'preview-images' }, ...previewImages(name, dims, 0, 0, pixel)),
    histogramSvg(null, 0, 0, `Histogram of the values of ${name}, being prepared`),
    h('p', { class: 'preview-stats' }, 'Preparing…'));
}

// ---- the table made ------------------------------------------------------

// Report blobs -> rows with an index in model order.
export function tableRows(report) {
  const blobs = Array.isArray(report?.blobs) ? report.blobs : [];
  return blobs.map((b, i) => ({
    index: i + 1,
    layer: b.layer,
    blob: b.blob,
    absmax: Number(b.absmax) || 0,
    threshold: Number(b.threshold) || 0,
    ratio: Number(b.absmax) > 0 ? Number(b.threshold) / Number(b.absmax) : 0,
    scale: Number(b.scale) || 0,
    clipped: Number(b.clipped_share) || 0,
  }));
}

const COLUMNS = [
  { key: 'index', label: '#', numeric: true },
  { key: 'layer', label: 'Layer' },
  { key: 'blob', label: 'Input blob' },
  { key: 'absmax', label: 'Max |x|', numeric: true },
  { key: 'threshold', label: 'Threshold', numeric: true },
  { key: 'ratio', label: 'Threshold / max', numeric: true },
  { key: 'scale', label: 'Scale', numeric: true },
  { key: 'clipped', label: 'Clipped', numeric: true },
];

const pct = (v) => (v === 0 ? '0%' : v < 0.0001 ? '<0.01%' : `${(v * 100).toFixed(v < 0.01 ? 2 : 1)}%`);

export class CalibTable {
  constructor(table) {
    this.table = table;
    this.rows = [];
    this.sortKey = 'index';
    this.dir = 1;
    const tr = table.tHead.rows[0];
    this.headers = COLUMNS.map((c) => {
      const th = h('th', { scope: 'col', class: c.numeric ? 'num' : '', 'data-key': c.key },
        h('button', { type: 'button', class: 'sort', onclick: () => this.sortBy(c.key) }, c.label, h('span', { class: 'sort-icon', 'aria-hidden': 'true' })));
      return th;
    });
    tr.replaceChildren(...this.headers);
  }

  setRows(rows) {
    this.rows = rows;
    this.sortKey = 'index';
    this.dir = 1;
    this.render();
  }

  sortBy(key) {
    if (this.sortKey === key) this.dir = -this.dir;
    else {
      this.sortKey = key;
      this.dir = key === 'index' || !COLUMNS.find((c) => c.key === key).numeric ? 1 : -1;
    }
    this.render();
  }

  reveal(index) {
    const row = this.table.querySelector(`#calib-row-${index}`);
    if (!row) return;
    for (const r of this.table.querySelectorAll('tr.picked')) r.classList.remove('picked');
    row.classList.add('picked');
    row.scrollIntoView({ block: 'center' });
    row.focus({ preventScroll: true });
  }

  render() {
    const col = COLUMNS.find((c) => c.key === this.sortKey);
    const sorted = [...this.rows].sort((a, b) => {
      const c = col.numeric ? a[col.key] - b[col.key] : naturalCompare(a[col.key], b[col.key]);
      return c * this.dir || a.index - b.index;
    });
    for (const th of this.headers) {
      const active = th.dataset.key === this.sortKey;
      if (active) th.setAttribute('aria-sort', this.dir > 0 ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
      th.querySelector('.sort-icon').textContent = active ? (this.dir > 0 ? '▲' : '▼') : '';
    }
    this.table.tBodies[0].replaceChildren(...sorted.map((r) => h('tr', { id: `calib-row-${r.index}`, tabindex: '-1', class: r.scale > 0 && r.scale < 5e-7 ? 'zero-scale' : '' },
      h('td', { class: 'num' }, String(r.index)),
      h('td', { class: 'name' }, r.layer),
      h('td', { class: 'name' }, r.blob),
      h('td', { class: 'num' }, fmt(r.absmax)),
      h('td', { class: 'num' }, fmt(r.threshold)),
      h('td', { class: 'num' }, r.absmax > 0 ? `${(r.ratio * 100).toFixed(1)}%` : '–'),
      h('td', { class: 'num' }, fmt(r.scale)),
      h('td', { class: 'num' }, pct(r.clipped)))));
  }
}

// Activation ranges in model order, on a log scale (they span decades):
// a bar up to each layer's max |x|, a tick at its threshold. Arrow keys or
// the pointer read a layer out; Enter shows it in the table.
export class RangeChart {
  constructor(container, onPick) {
    this.container = container;
    this.onPick = onPick;
    this.rows = [];
    this.current = -1;
  }

  setRows(rows) {
    this.rows = rows;
    this.current = -1;
    this.render();
  }

  describe(r) {
    return `#${r.index} ${r.layer}: max ${fmt(r.absmax)}, threshold ${fmt(r.threshold)} (${r.absmax > 0 ? (r.ratio * 100).toFixed(1) : '–'}% of max), scale ${fmt(r.scale)}, clipped ${pct(r.clipped)}`;
  }

  render() {
    const c = this.container;
    c.replaceChildren();
    const rows = this.rows;
    const positive = rows.filter((r) => r.absmax > 0);
    const summary = h('p', { class: 'chart-desc', id: 'calib-chart-desc' }, rows.length
      ? `${formatInt(rows.length)} calibrated layers, in model order. Max |x| ranges from ${fmt(Math.min(...rows.map((r) => r.absmax)))} to ${fmt(Math.max(...rows.map((r) => r.absmax)))}; the threshold keeps on average ${(100 * positive.reduce((a, r) => a + r.ratio, 0) / Math.max(1, positive.length)).toFixed(1)}% of the max.`
      : 'No layer was calibrated.');
    if (!positive.length) {
      c.append(summary);
      return;
    }
    const width = Math.max(300, Math.min(1400, c.clientWidth || 700));
    const left = 64;
    const plotW = width - left - 8;
    const top = 8;
    const plotH = 150;
    const height = top + plotH + 8;
    const n = rows.length;
    const colW = plotW / n;
    const barW = Math.max(1, Math.min(24, colW * (colW > 3 ? 0.8 : 1)));
    let lo = Math.log10(Math.min(...positive.map((r) => Math.min(r.absmax, r.threshold || r.absmax))));
    let hi = Math.log10(Math.max(...positive.map((r) => r.absmax)));
    lo = Math.floor(lo);
    hi = Math.max(lo + 1, Math.ceil(hi));
    const y = (v) => top + plotH - (plotH * (Math.log10(v) - lo)) / (hi - lo);
    let bars = '';
    let ticks = '';
    rows.forEach((r, i) => {
      if (!(r.absmax > 0)) return;
      const x = left + i * colW + (colW - barW) / 2;
      const yt = y(r.absmax);
      bars += `M${x.toFixed(2)} ${yt.toFixed(2)}h${barW.toFixed(2)}V${(top + plotH).toFixed(2)}h${(-barW).toFixed(2)}z`;
      if (r.threshold > 0) ticks += `M${(x - 1).toFixed(2)} ${y(r.threshold).toFixed(2)}h${(barW + 2).toFixed(2)}`;
    });
    this.geom = { left, colW };
    const svg = s('svg', { width, height, viewBox: `0 0 ${width} ${height}`, class: 'chart-svg', 'aria-hidden': 'true', focusable: 'false' });
    for (let e = lo; e <= hi; e++) {
      const yy = y(10 ** e) + 0.5;
      svg.append(s('line', { x1: left, x2: left + plotW, y1: yy, y2: yy, class: 'gridline' }), s('text', { x: left - 6, y: yy + 4, 'text-anchor': 'end', text: fmt(10 ** e) }));
    }
    svg.append(s('path', { d: bars, class: 'bar-range' }), s('path', { d: ticks, class: 'tick-threshold' }));
    this.marker = s('rect', { x: 0, y: top - 4, width: Math.max(3, colW), height: plotH + 8, class: 'chart-marker', visibility: 'hidden' });
    svg.append(this.marker);
    const legend = h('p', { class: 'chart-legend', 'aria-hidden': 'true' },
      h('span', { class: 'key key-range' }), 'max |x| (log scale) ', h('span', { class: 'key key-threshold' }), 'threshold (values above it are clipped)');
    this.tip = h('p', { class: 'chart-tip', 'aria-hidden': 'true' }, 'Point at a column, or focus the chart and use the arrow keys, to see a layer.');
    this.plot = h('div', {
      class: 'chart-plot', tabindex: '0', role: 'slider', id: 'calib-chart-plot',
      'aria-label': 'Calibrated layers in model order (arrow keys move, Enter shows the layer in the table)',
      'aria-describedby': 'calib-chart-desc', 'aria-valuemin': '1', 'aria-valuemax': String(n), 'aria-valuenow': '1',
      'aria-valuetext': 'No layer selected: press an arrow key',
    }, svg);
    const at = (e) => {
      const box = svg.getBoundingClientRect();
      const i = Math.floor((((e.clientX - box.left) * width) / box.width - left) / colW);
      return i >= 0 && i < n ? i : -1;
    };
    this.plot.addEventListener('pointermove', (e) => { const i = at(e); if (i >= 0) this.select(i); });
    this.plot.addEventListener('click', (e) => { const i = at(e); if (i >= 0) { this.select(i); this.onPick(rows[i].index); } });
    this.plot.addEventListener('focus', () => { if (this.current < 0) this.select(0); });
    this.plot.addEventListener('keydown', (e) => {
      let i = Math.max(0, this.current);
      if (e.key === 'ArrowRight' || e.key === 'ArrowUp') i = Math.min(n - 1, i + 1);
      else if (e.key === 'ArrowLeft' || e.key === 'ArrowDown') i = Math.max(0, i - 1);
      else if (e.key === 'Home') i = 0;
      else if (e.key === 'End') i = n - 1;
      else if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        if (this.current >= 0) this.onPick(rows[this.current].index);
        return;
      } else return;
      e.preventDefault();
      this.select(i);
    });
    c.append(legend, this.tip, this.plot, summary);
  }

  select(i) {
    this.current = i;
    const r = this.rows[i];
    this.marker.setAttribute('x', String(this.geom.left + i * this.geom.colW - Math.max(0, (3 - this.geom.colW) / 2)));
    this.marker.setAttribute('visibility', 'visible');
    const text = this.describe(r);
    this.tip.textContent = text;
    this.tip.classList.add('active');
    this.plot.setAttribute('aria-valuenow', String(i + 1));
    this.plot.setAttribute('aria-valuetext', text);
  }
}
