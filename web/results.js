// Renders a report: summary, warnings, the bytes-by-type chart and the
// sortable per-layer table.
import { formatBytes, formatInt, formatPercent, h, s } from './format.js';

const ACTIONS = ['int8', 'fp16', 'unchanged', 'skipped'];

export function renderSummary(dl, report) {
  const t = report.totals || {};
  dl.replaceChildren();
  const row = (term, ...desc) => dl.append(h('div', { class: 'summary-item' }, h('dt', {}, term), h('dd', {}, ...desc)));
  row(
    'Weights (.bin)',
    h('span', { class: 'before' }, formatBytes(t.bin_bytes_in)),
    ' → ',
    h('strong', { class: 'after', id: 'summary-bin-after' }, formatBytes(t.bin_bytes_out)),
    h('span', { class: 'ratio' }, ` (${formatPercent(t.bin_bytes_out, t.bin_bytes_in)} of the original)`),
  );
  row(
    'Structure (.param)',
    formatBytes(t.param_bytes_in),
    ' → ',
    formatBytes(t.param_bytes_out),
  );
  const counts = ACTIONS.map((a) => h('span', { class: `badge action-${a}${Number(t[a]) ? '' : ' zero'}` }, `${formatInt(t[a])} ${a}`));
  row('Layers', `${formatInt(t.layers)}: `, ...counts.flatMap((c, i) => (i ? [' ', c] : [c])));
  const meta = [report.tool_version && `version ${report.tool_version}`, report.simd_target && `SIMD ${report.simd_target}`]
    .filter(Boolean)
    .join(', ');
  if (meta) row('Quantizer', meta);
}

export function renderWarnings(box, list, warnings) {
  list.replaceChildren();
  const ws = Array.isArray(warnings) ? warnings : [];
  box.hidden = ws.length === 0;
  box.querySelector('h3').textContent = ws.length === 1 ? '1 warning' : `${ws.length} warnings`;
  const item = (w) => {
    const where = [w.where, w.layer && `layer ${w.layer}`].filter(Boolean).join(', ');
    return h('li', {}, where ? h('span', { class: 'where' }, `${where}: `) : null, w.message || '');
  };
  // The first few in full; the rest one click away, so the result stays in view.
  const SHOWN = 4;
  list.append(...ws.slice(0, SHOWN).map(item));
  box.querySelector('details')?.remove();
  if (ws.length > SHOWN) {
    const more = ws.length - SHOWN;
    box.append(
      h('details', { class: 'more-warnings' },
        h('summary', {}, `Show ${more} more warning${more === 1 ? '' : 's'}`),
        h('ul', {}, ...ws.slice(SHOWN).map(item))),
    );
  }
}

// ---- chart ---------------------------------------------------------------

export function bytesByType(layers) {
  const m = new Map();
  for (const l of layers) {
    const e = m.get(l.type) || { type: l.type, before: 0, after: 0, count: 0 };
    e.before += Number(l.bytes_in) || 0;
    e.after += Number(l.bytes_out) || 0;
    e.count++;
    m.set(l.type, e);
  }
  let rows = [...m.values()].filter((e) => e.before || e.after).sort((a, b) => b.before - a.before || b.after - a.after);
  const MAX = 10;
  if (rows.length > MAX) {
    const rest = rows.slice(MAX - 1);
    rows = rows.slice(0, MAX - 1);
    rows.push({
      type: `${rest.length} other types`,
      before: rest.reduce((a, e) => a + e.before, 0),
      after: rest.reduce((a, e) => a + e.after, 0),
      count: rest.reduce((a, e) => a + e.count, 0),
    });
  }
  return rows;
}

export function renderChart(container, layers) {
  const rows = bytesByType(layers);
  container.replaceChildren();
  if (!rows.length) {
    container.append(h('p', { class: 'note' }, 'This model has no weights.'));
    return;
  }
  const width = Math.max(280, Math.min(760, container.clientWidth || 640));
  const narrow = width < 480;
  const labelW = narrow ? 0 : 170;
  const valueW = 112;
  const barH = 12;
  const gap = 3;
  const groupH = (narrow ? 16 : 0) + barH * 2 + gap + 12;
  const legendH = 26;
  const height = legendH + rows.length * groupH;
  const max = Math.max(...rows.map((r) => Math.max(r.before, r.after)));
  const plotX = labelW;
  const plotW = width - labelW - valueW;
  const total = rows.reduce((a, r) => a + r.before, 0);
  const totalAfter = rows.reduce((a, r) => a + r.after, 0);

  const svg = s('svg', {
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-labelledby': 'chart-title chart-desc',
    class: 'chart-svg',
  });
  svg.append(s('title', { id: 'chart-title', text: 'Bytes of weights by layer type, before and after' }));
  svg.append(
    s('desc', {
      id: 'chart-desc',
      text: rows.map((r) => `${r.type}: ${formatBytes(r.before)} before, ${formatBytes(r.after)} after`).join('; ') +
        `. Total ${formatBytes(total)} before, ${formatBytes(totalAfter)} after.`,
    }),
  );
  // legend
  svg.append(
    s('rect', { x: plotX, y: 4, width: 12, height: 12, class: 'bar-before' }),
    s('text', { x: plotX + 17, y: 14, class: 'chart-legend', text: 'before' }),
    s('rect', { x: plotX + 80, y: 4, width: 12, height: 12, class: 'bar-after' }),
    s('text', { x: plotX + 97, y: 14, class: 'chart-legend', text: 'after' }),
  );
  rows.forEach((r, i) => {
    const y0 = legendH + i * groupH;
    const g = s('g', { class: 'chart-row' });
    let yb = y0;
    if (narrow) {
      g.append(s('text', { x: 0, y: y0 + 11, class: 'chart-label', text: `${r.type}` }));
      yb = y0 + 16;
    } else {
      g.append(s('text', { x: labelW - 8, y: y0 + barH + 3, 'text-anchor': 'end', class: 'chart-label', text: r.type }));
    }
    const wb = max ? Math.max(r.before ? 1 : 0, (plotW * r.before) / max) : 0;
    const wa = max ? Math.max(r.after ? 1 : 0, (plotW * r.after) / max) : 0;
    const before = s('rect', { x: plotX, y: yb, width: wb, height: barH, class: 'bar-before' });
    before.append(s('title', { text: `${r.type}: ${formatBytes(r.before)} before (${r.count} layers)` }));
    const after = s('rect', { x: plotX, y: yb + barH + gap, width: wa, height: barH, class: 'bar-after' });
    after.append(s('title', { text: `${r.type}: ${formatBytes(r.after)} after` }));
    g.append(
      before,
      after,
      s('text', { x: plotX + wb + 4, y: yb + barH - 2, class: 'chart-value', text: formatBytes(r.before) }),
      s('text', {
        x: plotX + wa + 4,
        y: yb + 2 * barH + gap - 2,
        class: 'chart-value',
        text: `${formatBytes(r.after)}${r.before ? ` (${formatPercent(r.after, r.before)})` : ''}`,
      }),
    );
    svg.append(g);
  });
  container.append(svg);
}

// ---- table ---------------------------------------------------------------

const COLUMNS = [
  { key: 'index', label: '#', numeric: true },
  { key: 'type', label: 'Type' },
  { key: 'name', label: 'Name' },
  { key: 'action', label: 'Action' },
  { key: 'reason', label: 'Reason' },
  { key: 'bytes_in', label: 'Bytes before', numeric: true },
  { key: 'bytes_out', label: 'Bytes after', numeric: true },
  { key: 'sqnr_db', label: 'SQNR (dB)', numeric: true },
];

export class LayerTable {
  constructor(table) {
    this.table = table;
    this.rows = [];
    this.sortKey = 'index';
    this.sortDir = 'ascending';
    const tr = table.tHead.rows[0];
    tr.replaceChildren();
    this.headers = COLUMNS.map((c) => {
      const button = h(
        'button',
        { type: 'button', class: 'sort', 'data-key': c.key, onclick: () => this.sortBy(c.key) },
        c.label,
        h('span', { class: 'sort-icon', 'aria-hidden': 'true' }),
      );
      const th = h('th', { scope: 'col', class: c.numeric ? 'num' : null, 'data-key': c.key }, button);
      tr.append(th);
      return th;
    });
  }

  setLayers(layers) {
    this.rows = layers.map((l, i) => ({ ...l, index: i + 1 }));
    this.sortKey = 'index';
    this.sortDir = 'ascending';
    this.render();
  }

  sortBy(key) {
    if (this.sortKey === key) {
      this.sortDir = this.sortDir === 'ascending' ? 'descending' : 'ascending';
    } else {
      this.sortKey = key;
      const col = COLUMNS.find((c) => c.key === key);
      // bytes and SQNR: biggest first is the useful first click
      this.sortDir = col.numeric && key !== 'index' ? 'descending' : 'ascending';
    }
    this.render();
  }

  render() {
    const col = COLUMNS.find((c) => c.key === this.sortKey);
    const dir = this.sortDir === 'ascending' ? 1 : -1;
    const key = this.sortKey;
    const sorted = [...this.rows].sort((a, b) => {
      let c;
      if (col.numeric) c = (Number(a[key]) || 0) - (Number(b[key]) || 0);
      else if (key === 'action') c = ACTIONS.indexOf(a.action) - ACTIONS.indexOf(b.action);
      else c = String(a[key] ?? '').localeCompare(String(b[key] ?? ''));
      return c * dir || a.index - b.index;
    });
    for (const th of this.headers) {
      const active = th.dataset.key === key;
      if (active) th.setAttribute('aria-sort', this.sortDir);
      else th.removeAttribute('aria-sort');
      th.querySelector('.sort-icon').textContent = active ? (this.sortDir === 'ascending' ? '▲' : '▼') : '';
    }
    const body = this.table.tBodies[0];
    const frag = document.createDocumentFragment();
    for (const r of sorted) {
      let reason = r.reason || '';
      if (r.fused_into) reason += `${reason ? '; ' : ''}output requantized straight into ${r.fused_into}`;
      frag.append(
        h(
          'tr',
          {},
          h('td', { class: 'num' }, String(r.index)),
          h('td', {}, r.type),
          h('td', { class: 'name' }, r.name),
          h('td', {}, h('span', { class: `badge action-${r.action}` }, r.action)),
          h('td', { class: 'reason' }, reason),
          h('td', { class: 'num' }, formatInt(r.bytes_in)),
          h('td', { class: 'num' }, formatInt(r.bytes_out)),
          h('td', { class: 'num' }, r.sqnr_db ? Number(r.sqnr_db).toFixed(1) : ''),
        ),
      );
    }
    body.replaceChildren(frag);
  }
}
