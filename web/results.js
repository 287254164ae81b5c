// Renders a report: the at-a-glance summary, grouped warnings, the worst
// layers, the per-layer chart and the sortable per-layer table.
import { formatBytes, formatInt, formatPercent, formatSqnr, hasSqnr, naturalCompare, SQNR_EXACT, h } from './format.js';

const ACTIONS = ['int8', 'fp16', 'unchanged', 'skipped'];

// Share of the weight bytes (as they were in fp32) that are now int8.
export function int8Share(layers) {
  let total = 0;
  let int8 = 0;
  for (const l of layers) {
    const b = Number(l.bytes_in) || 0;
    total += b;
    if (l.action === 'int8') int8 += b;
  }
  return { int8, total };
}

function median(values) {
  if (!values.length) return 0;
  const v = [...values].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

// SQNR bands for int8 weights: per-channel absmax int8 gives ~48 dB on
// well-behaved weights; much lower means the range is wasted on outliers.
export function sqnrBand(db) {
  if (!(db > 0)) return '';
  if (db >= 40) return 'good';
  if (db >= 30) return 'fair';
  return 'low';
}

function measuredLayers(layers) {
  return layers.filter((l) => hasSqnr(l) && Number(l.sqnr_db) < SQNR_EXACT);
}

// The few int8 layers with the lowest SQNR, each with a plain reason.
export function worstLayers(layers, count = 3) {
  const measured = measuredLayers(layers);
  const mid = median(measured.map((l) => Number(l.sqnr_db)));
  return [...measured]
    .sort((a, b) => a.sqnr_db - b.sqnr_db || a.index - b.index)
    .slice(0, count)
    .map((l) => {
      const below = mid - l.sqnr_db;
      const why = [];
      if (below >= 6) {
        why.push(
          `${below.toFixed(1)} dB below this model's median (${mid.toFixed(1)} dB): a few large weights probably set the range, so most weights get only a few of the 255 int8 steps`,
        );
      } else {
        why.push(`within ${Math.max(0, below).toFixed(1)} dB of the median: int8 rounding, nothing unusual`);
      }
      if (l.reason) why.push(l.reason);
      return { layer: l, why: why.join('; ') };
    });
}

export function renderSummary(dl, report, layers) {
  const t = report.totals || {};
  dl.replaceChildren();
  const row = (term, cls, ...desc) =>
    dl.append(h('div', { class: `summary-item ${cls}` }, h('dt', {}, term), h('dd', {}, ...desc)));
  row(
    'Weights (.bin)',
    'size',
    h('span', { class: 'before' }, formatBytes(t.bin_bytes_in)),
    ' → ',
    h('strong', { class: 'after', id: 'summary-bin-after' }, formatBytes(t.bin_bytes_out)),
    h('span', { class: 'ratio' }, ` (${formatPercent(t.bin_bytes_out, t.bin_bytes_in)} of the original)`),
  );
  const share = int8Share(layers);
  const withWeights = layers.filter((l) => Number(l.bytes_in) > 0);
  const int8WithWeights = withWeights.filter((l) => l.action === 'int8').length;
  row(
    'Now int8',
    'share',
    h('strong', { class: 'after', id: 'summary-int8-share' }, share.total ? formatPercent(share.int8, share.total) : '–'),
    h('span', { class: 'ratio' }, ` of the weights (${formatInt(int8WithWeights)} of ${formatInt(withWeights.length)} layers with weights)`),
  );
  const counts = ACTIONS.map((a) => h('span', { class: `badge action-${a}${Number(t[a]) ? '' : ' zero'}` }, `${formatInt(t[a])} ${a}`));
  row('Layers', 'counts', `${formatInt(t.layers)}: `, ...counts.flatMap((c, i) => (i ? [' ', c] : [c])));
  row('Structure (.param)', 'param', formatBytes(t.param_bytes_in), ' → ', formatBytes(t.param_bytes_out));
}

// Lowest-SQNR layers and the layers kept in float, with why.
export function renderWorst(box, layers, onPick) {
  box.replaceChildren();
  const worst = worstLayers(layers);
  const skipped = layers.filter((l) => l.action === 'skipped');
  box.hidden = worst.length === 0 && skipped.length === 0;
  const link = (l) =>
    h('a', { href: `#layer-row-${l.index}`, class: 'layer-link', onclick: (e) => { e.preventDefault(); onPick(l.index); } }, l.name);
  if (worst.length) {
    const measured = measuredLayers(layers);
    const mid = median(measured.map((l) => Number(l.sqnr_db)));
    box.append(
      h('h3', { id: 'worst-heading' }, worst.length === 1 ? 'Lowest SQNR' : `The ${worst.length} lowest SQNR`),
      h('p', { class: 'note' },
        `SQNR compares each layer's int8 weights with its fp32 ones (higher is better; 40 dB and more is good). ` +
          `Median over the ${formatInt(measured.length)} measured layers: ${mid.toFixed(1)} dB.`),
      h('ol', { class: 'worst-list', 'aria-labelledby': 'worst-heading' },
        ...worst.map(({ layer, why }) =>
          h('li', {},
            h('span', { class: `sqnr-value band-${sqnrBand(layer.sqnr_db)}` }, `${formatSqnr(layer.sqnr_db)} dB`),
            ' ', link(layer), h('span', { class: 'muted' }, ` (${layer.type})`),
            h('span', { class: 'why' }, why)))),
    );
  }
  if (skipped.length) {
    box.append(
      h('h3', {}, `${formatInt(skipped.length)} layer${skipped.length === 1 ? '' : 's'} kept in float`),
      h('ul', { class: 'worst-list' },
        ...skipped.slice(0, 5).map((l) => h('li', {}, link(l), h('span', { class: 'muted' }, ` (${l.type})`), h('span', { class: 'why' }, l.reason || '')))),
    );
    if (skipped.length > 5) box.append(h('p', { class: 'note' }, `and ${skipped.length - 5} more: sort the table by Action.`));
  }
}

// Warnings of one kind (same message) become one line with the count; the
// layers are one click away. `extra` are the page's own notes about the run.
export function groupWarnings(warnings) {
  const groups = new Map();
  for (const w of warnings) {
    const key = w.message || '';
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { message: key, items: [] }));
    g.items.push(w);
  }
  return [...groups.values()];
}

export function renderWarnings(box, list, warnings, extra = []) {
  list.replaceChildren();
  const ws = Array.isArray(warnings) ? warnings : [];
  const total = ws.length + extra.length;
  box.hidden = total === 0;
  const groups = groupWarnings(ws);
  const kinds = groups.length + extra.length;
  box.querySelector('h3').textContent =
    `${total === 1 ? '1 warning' : `${formatInt(total)} warnings`}${kinds < total ? ` of ${kinds} kind${kinds === 1 ? '' : 's'}` : ''}`;
  const where = (w) => [w.layer, w.where].filter(Boolean).join(', ');
  list.append(...extra.map((text) => h('li', { class: 'page-warning' }, text)));
  for (const g of groups) {
    if (g.items.length === 1) {
      const w = g.items[0];
      const place = [w.where, w.layer && `layer ${w.layer}`].filter(Boolean).join(', ');
      list.append(h('li', {}, place ? h('span', { class: 'where' }, `${place}: `) : null, g.message));
      continue;
    }
    list.append(
      h('li', { class: 'warning-group' },
        h('details', {},
          h('summary', {},
            h('span', { class: 'count' }, `${formatInt(g.items.length)}×`), ' ', g.message,
            h('span', { class: 'visually-hidden' }, ` (${g.items.length} layers: show them)`)),
          h('ul', { class: 'warning-places' }, ...g.items.map((w) => h('li', {}, where(w)))))),
    );
  }
}

// ---- table ---------------------------------------------------------------

// Layers without a value (no SQNR) sort last whichever way.
const COLUMNS = [
  { key: 'index', label: '#', numeric: true },
  { key: 'name', label: 'Name', natural: true },
  { key: 'type', label: 'Type', natural: true },
  { key: 'action', label: 'Action' },
  { key: 'bytes_in', label: 'Bytes before', numeric: true, first: 'descending' },
  { key: 'bytes_out', label: 'Bytes after', numeric: true, first: 'descending' },
  { key: 'sqnr_db', label: 'SQNR (dB)', numeric: true, first: 'ascending', blank: (r) => !hasSqnr(r) },
  { key: 'reason', label: 'Reason', natural: true },
];

// Rows shown before "Show all": a table of tens of thousands of rows takes
// seconds to lay out, and the sorted top is what one looks at.
export const ROW_LIMIT = 1000;

export class LayerTable {
  constructor(table) {
    this.table = table;
    this.rows = [];
    this.showAll = false;
    this.more = h('button', { type: 'button', class: 'secondary show-all', hidden: true, onclick: () => this.expand() });
    table.closest('.table-scroll')?.after(this.more);
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
      const th = h('th', { scope: 'col', class: `col-${c.key.replace('_', '-')}${c.numeric ? ' num' : ''}`, 'data-key': c.key }, button);
      tr.append(th);
      return th;
    });
  }

  setLayers(layers) {
    this.rows = layers;
    this.showAll = layers.length <= ROW_LIMIT;
    this.sortKey = 'index';
    this.sortDir = 'ascending';
    this.render();
  }

  sortBy(key) {
    if (this.sortKey === key) {
      this.sortDir = this.sortDir === 'ascending' ? 'descending' : 'ascending';
    } else {
      this.sortKey = key;
      this.sortDir = COLUMNS.find((c) => c.key === key).first || 'ascending';
    }
    this.render();
  }

  expand() {
    this.showAll = true;
    this.render();
    this.table.tBodies[0].rows[ROW_LIMIT]?.focus();
  }

  // The row of layer `index` (1-based), highlighted and in view.
  reveal(index) {
    if (!this.table.querySelector(`#layer-row-${index}`) && !this.showAll) {
      this.showAll = true;
      this.render();
    }
    const row = this.table.querySelector(`#layer-row-${index}`);
    if (!row) return;
    for (const r of this.table.querySelectorAll('tr.picked')) r.classList.remove('picked');
    row.classList.add('picked');
    row.scrollIntoView({ block: 'center' });
    row.focus({ preventScroll: true });
  }

  render() {
    const col = COLUMNS.find((c) => c.key === this.sortKey);
    const dir = this.sortDir === 'ascending' ? 1 : -1;
    const key = this.sortKey;
    const sorted = [...this.rows].sort((a, b) => {
      if (col.blank) {
        const ba = col.blank(a);
        const bb = col.blank(b);
        if (ba !== bb) return ba ? 1 : -1; // blanks last in both directions
        if (ba) return a.index - b.index;
      }
      let c;
      if (col.numeric) c = (Number(a[key]) || 0) - (Number(b[key]) || 0);
      else if (key === 'action') c = ACTIONS.indexOf(a.action) - ACTIONS.indexOf(b.action);
      else c = naturalCompare(a[key], b[key]);
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
    const shown = this.showAll ? sorted : sorted.slice(0, ROW_LIMIT);
    this.more.hidden = shown.length === sorted.length;
    this.more.textContent = `Show all ${formatInt(sorted.length)} layers (${formatInt(ROW_LIMIT)} shown)`;
    for (const r of shown) {
      let reason = r.reason || '';
      if (r.fused_into) reason += `${reason ? '; ' : ''}output requantized straight into ${r.fused_into}`;
      frag.append(
        h(
          'tr',
          { id: `layer-row-${r.index}`, tabindex: '-1' },
          h('td', { class: 'num' }, String(r.index)),
          h('td', { class: 'name' }, r.name),
          h('td', { class: 'type' }, r.type),
          h('td', {}, h('span', { class: `badge action-${r.action}` }, r.action)),
          h('td', { class: 'num' }, formatInt(r.bytes_in)),
          h('td', { class: 'num' }, formatInt(r.bytes_out)),
          h('td', { class: `num sqnr band-${sqnrBand(Number(r.sqnr_db))}` }, formatSqnr(r.sqnr_db)),
          h('td', { class: 'reason' }, reason),
        ),
      );
    }
    body.replaceChildren(frag);
  }
}
