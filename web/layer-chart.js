// Per-layer chart in model order: weight bytes before and after (top) and
// the SQNR of the int8 weights (bottom), one column per layer with weights.
// Hover or focus it and use the arrow keys: the layer under the pointer or
// the selection is described in a readout above it; Enter shows it in the table.
import { formatBytes, formatInt, formatPercent, formatSqnr, hasSqnr, SQNR_EXACT, h, s } from './format.js';
import { sqnrBand } from './results.js';

const IDLE_TIP = 'Point at a column, or focus the chart and use the arrow keys, to see a layer.';
const SQNR_TOP = 60; // dB at the top of the SQNR panel; "exact" is drawn full

export function chartLayers(layers) {
  return layers.filter((l) => Number(l.bytes_in) > 0 || Number(l.bytes_out) > 0 || hasSqnr(l));
}

export function describeLayer(l) {
  const parts = [`#${l.index} ${l.name} (${l.type}, ${l.action})`];
  parts.push(`${formatBytes(l.bytes_in)} → ${formatBytes(l.bytes_out)}${Number(l.bytes_in) ? ` (${formatPercent(l.bytes_out, l.bytes_in)})` : ''}`);
  parts.push(hasSqnr(l) ? `SQNR ${formatSqnr(l.sqnr_db)}${Number(l.sqnr_db) >= SQNR_EXACT ? '' : ' dB'}` : 'no SQNR');
  return parts.join(' · ');
}

// Text alternative: what the chart shows, in a few sentences.
export function chartSummary(cols) {
  if (!cols.length) return 'No layer has weights.';
  const biggest = cols.reduce((a, b) => (Number(b.bytes_in) > Number(a.bytes_in) ? b : a));
  const total = cols.reduce((a, l) => a + (Number(l.bytes_in) || 0), 0);
  const measured = cols.filter((l) => hasSqnr(l) && Number(l.sqnr_db) < SQNR_EXACT);
  let text = `${formatInt(cols.length)} layers with weights, in model order. The largest is ${biggest.name} (${biggest.type}): ` +
    `${formatBytes(biggest.bytes_in)}, ${formatPercent(biggest.bytes_in, total)} of all weights.`;
  if (measured.length) {
    const lo = measured.reduce((a, b) => (b.sqnr_db < a.sqnr_db ? b : a));
    const hi = measured.reduce((a, b) => (b.sqnr_db > a.sqnr_db ? b : a));
    text += ` SQNR ranges from ${formatSqnr(lo.sqnr_db)} dB (${lo.name}) to ${formatSqnr(hi.sqnr_db)} dB (${hi.name}).`;
  }
  return `${text} The table below lists every layer.`;
}

export class LayerChart {
  // container: an empty element; onPick(index): show that layer elsewhere.
  constructor(container, onPick) {
    this.container = container;
    this.onPick = onPick;
    this.cols = [];
    this.current = -1;
    this.width = 0;
  }

  setLayers(layers) {
    this.cols = chartLayers(layers);
    this.current = -1;
    this.render();
  }

  render() {
    const c = this.container;
    c.replaceChildren();
    const summary = chartSummary(this.cols);
    const desc = h('p', { id: 'layer-chart-desc', class: 'chart-desc' }, summary);
    if (!this.cols.length) {
      c.append(desc);
      return;
    }
    const width = Math.max(300, Math.min(1400, c.clientWidth || 700));
    this.width = width;
    const n = this.cols.length;
    const left = 64;
    const right = 8;
    const plotW = width - left - right;
    const colW = plotW / n;
    const barW = Math.max(1, Math.min(24, colW * (colW > 3 ? 0.8 : 1)));
    const bytesTop = 8;
    const bytesH = 120;
    const gapH = 22;
    const sqnrTop = bytesTop + bytesH + gapH;
    const sqnrH = 70;
    const height = sqnrTop + sqnrH + 6;
    const maxBytes = Math.max(1, ...this.cols.map((l) => Math.max(Number(l.bytes_in) || 0, Number(l.bytes_out) || 0)));
    this.geom = { left, colW, plotW };

    const svg = s('svg', { width, height, viewBox: `0 0 ${width} ${height}`, class: 'chart-svg', 'aria-hidden': 'true', focusable: 'false' });
    // axes and labels
    svg.append(
      s('text', { x: left - 6, y: bytesTop + 10, 'text-anchor': 'end', class: 'axis', text: formatBytes(maxBytes) }),
      s('text', { x: left - 6, y: bytesTop + bytesH, 'text-anchor': 'end', class: 'axis', text: 'bytes' }),
      s('line', { x1: left, x2: left + plotW, y1: bytesTop + bytesH + 0.5, y2: bytesTop + bytesH + 0.5, class: 'baseline' }),
      s('text', { x: left - 6, y: sqnrTop + 10, 'text-anchor': 'end', class: 'axis', text: `${SQNR_TOP} dB` }),
      s('text', { x: left - 6, y: sqnrTop + sqnrH, 'text-anchor': 'end', class: 'axis', text: 'SQNR' }),
      s('line', { x1: left, x2: left + plotW, y1: sqnrTop + sqnrH + 0.5, y2: sqnrTop + sqnrH + 0.5, class: 'baseline' }),
    );
    for (const db of [30, 40]) {
      const y = sqnrTop + sqnrH - (sqnrH * db) / SQNR_TOP + 0.5;
      svg.append(
        s('line', { x1: left, x2: left + plotW, y1: y, y2: y, class: 'gridline' }),
        s('text', { x: left - 6, y: y + 4, 'text-anchor': 'end', class: 'axis', text: String(db) }),
      );
    }
    // One path per series, whatever the layer count: a model with thousands
    // of layers stays a handful of elements.
    const paths = { before: '', after: '', good: '', fair: '', low: '' };
    const bar = (x, bottom, hgt) => `M${x.toFixed(2)} ${(bottom - hgt).toFixed(2)}h${barW.toFixed(2)}v${hgt.toFixed(2)}h${(-barW).toFixed(2)}z`;
    this.cols.forEach((l, i) => {
      const x = left + i * colW + (colW - barW) / 2;
      const hb = (bytesH * (Number(l.bytes_in) || 0)) / maxBytes;
      const ha = (bytesH * (Number(l.bytes_out) || 0)) / maxBytes;
      if (hb > 0) paths.before += bar(x, bytesTop + bytesH, Math.max(1, hb));
      if (ha > 0) paths.after += bar(x, bytesTop + bytesH, Math.max(1, ha));
      if (hasSqnr(l)) {
        const db = Math.min(SQNR_TOP, Number(l.sqnr_db));
        paths[sqnrBand(Number(l.sqnr_db))] += bar(x, sqnrTop + sqnrH, Math.max(1, (sqnrH * db) / SQNR_TOP));
      }
    });
    svg.append(
      s('path', { d: paths.before, class: 'bar-before' }),
      s('path', { d: paths.after, class: 'bar-after' }),
      ...['good', 'fair', 'low'].map((band) => s('path', { d: paths[band], class: `bar-sqnr band-${band}` })),
    );
    this.marker = s('rect', { x: 0, y: bytesTop - 4, width: Math.max(3, colW), height: height - bytesTop, class: 'chart-marker', visibility: 'hidden' });
    svg.append(this.marker);

    const legend = h('p', { class: 'chart-legend', 'aria-hidden': 'true' },
      h('span', { class: 'key key-before' }), 'fp32 bytes ',
      h('span', { class: 'key key-after' }), 'bytes now ',
      h('span', { class: 'key key-good' }), 'SQNR ≥ 40 dB ',
      h('span', { class: 'key key-fair' }), '30–40 ',
      h('span', { class: 'key key-low' }), '< 30');
    // The readout sits above the plot (covering no bar); the slider's
    // aria-valuetext says the same to assistive technology.
    this.tip = h('p', { class: 'chart-tip', id: 'layer-chart-tip', 'aria-hidden': 'true' }, IDLE_TIP);
    this.plot = h('div', {
      class: 'chart-plot',
      tabindex: '0',
      role: 'slider',
      'aria-label': 'Layers in model order (arrow keys move, Enter shows the layer in the table)',
      'aria-describedby': 'layer-chart-desc',
      'aria-valuemin': '1',
      'aria-valuemax': String(n),
      'aria-valuenow': '1',
      'aria-valuetext': 'No layer selected: press an arrow key',
    }, svg);
    this.plot.addEventListener('pointermove', (e) => this.hover(e));
    this.plot.addEventListener('pointerleave', () => { if (document.activeElement !== this.plot) this.select(-1); });
    // A mouse click shows the layer in the table; a tap only reads it out
    // (jumping away under a finger that is exploring the chart would lose it).
    this.plot.addEventListener('click', (e) => {
      const i = this.indexAt(e);
      if (i < 0) return;
      this.select(i);
      if (e.pointerType !== 'touch') this.onPick(this.cols[i].index);
    });
    this.plot.addEventListener('keydown', (e) => this.key(e));
    this.plot.addEventListener('focus', () => { if (this.current < 0) this.select(0); });
    this.plot.addEventListener('blur', () => this.select(-1));
    c.append(legend, this.tip, this.plot, desc);
    if (this.current >= 0) this.select(this.current); // a re-render keeps the selection
  }

  indexAt(e) {
    const svg = this.plot.querySelector('svg');
    const box = svg.getBoundingClientRect();
    const x = ((e.clientX - box.left) * this.width) / box.width;
    const i = Math.floor((x - this.geom.left) / this.geom.colW);
    return i >= 0 && i < this.cols.length ? i : -1;
  }

  hover(e) {
    const i = this.indexAt(e);
    if (i >= 0) this.select(i);
  }

  key(e) {
    const n = this.cols.length;
    let i = this.current < 0 ? 0 : this.current;
    const page = Math.max(1, Math.round(n / 10));
    switch (e.key) {
      case 'ArrowRight': case 'ArrowUp': i = Math.min(n - 1, i + 1); break;
      case 'ArrowLeft': case 'ArrowDown': i = Math.max(0, i - 1); break;
      case 'PageUp': i = Math.min(n - 1, i + page); break;
      case 'PageDown': i = Math.max(0, i - page); break;
      case 'Home': i = 0; break;
      case 'End': i = n - 1; break;
      case 'Enter': case ' ':
        if (this.current >= 0) this.onPick(this.cols[this.current].index);
        e.preventDefault();
        return;
      default: return;
    }
    e.preventDefault();
    this.select(i);
  }

  select(i) {
    this.current = i;
    if (i < 0) {
      this.marker.setAttribute('visibility', 'hidden');
      this.tip.textContent = IDLE_TIP;
      this.tip.classList.remove('active');
      return;
    }
    const l = this.cols[i];
    const { left, colW } = this.geom;
    this.marker.setAttribute('x', String(left + i * colW - Math.max(0, (3 - colW) / 2)));
    this.marker.setAttribute('visibility', 'visible');
    const text = describeLayer(l);
    this.plot.setAttribute('aria-valuenow', String(i + 1));
    this.plot.setAttribute('aria-valuetext', text);
    this.tip.textContent = text;
    this.tip.classList.add('active');
  }
}
