// Calibration inputs and preprocessing, as pure functions: which dropped
// files are calibration inputs, the order they are read in, the presets,
// the ncnn2table option strings made from the fields, and what looks wrong
// in a preprocessed tensor.
import { naturalCompare } from './format.js';

export const IMAGE_EXTENSIONS = ['png', 'jpg', 'jpeg', 'bmp'];

// 'image', 'npy' or null (not a calibration input).
export function inputKind(name) {
  const m = /\.([a-z0-9]+)$/i.exec(name);
  const ext = m ? m[1].toLowerCase() : '';
  if (ext === 'npy') return 'npy';
  if (IMAGE_EXTENSIONS.includes(ext)) return 'image';
  return null;
}

// The name shown for an input: its path inside a dropped folder, else its name.
export function displayName(file) {
  return file.webkitRelativePath || file.relativePath || file.name;
}

// Adds a batch to a list: only images and .npy are kept (the rest is
// named back), a file already there (same shown name) is replaced, and the
// list stays in natural name order (img2 before img10), the order the
// samples are read in. Line k of every input's list is one sample.
// -> { files, skipped: [name] }
export function mergeInputs(current, batch) {
  const byName = new Map(current.map((f) => [displayName(f), f]));
  const skipped = [];
  for (const f of batch) {
    const name = displayName(f);
    if (!inputKind(name)) skipped.push(name);
    else byName.set(name, f);
  }
  const files = [...byName.values()].sort((a, b) => naturalCompare(displayName(a), displayName(b)) || (displayName(a) < displayName(b) ? -1 : 1));
  return { files, skipped };
}

// type=0 (images) or 1 (npy) for all lists, or a problem to show.
export function inputType(lists) {
  const kinds = new Set(lists.flat().map((f) => inputKind(displayName(f))));
  if (kinds.size === 0) return { type: null };
  if (kinds.size > 1) return { type: null, problem: 'Images and .npy files are mixed: calibrate on one kind (ncnn2table reads either images or .npy, not both).' };
  return { type: kinds.has('npy') ? 1 : 0 };
}

// Presets: the usual preprocessing of image models. mean and norm are
// ncnn's: value = (pixel - mean) * norm, per channel, in the model's pixel
// order.
export const PRESETS = [
  { id: 'imagenet', label: 'ImageNet RGB mean/std', mean: '123.675,116.28,103.53', norm: '0.01712475,0.017507,0.01742919', pixel: 'RGB' },
  { id: 'unit', label: '0..1 (RGB / 255)', mean: '0,0,0', norm: '0.003921569,0.003921569,0.003921569', pixel: 'RGB' },
  { id: 'signed', label: '-1..1 (RGB)', mean: '127.5,127.5,127.5', norm: '0.007843137,0.007843137,0.007843137', pixel: 'RGB' },
  { id: 'caffe', label: 'Caffe BGR mean', mean: '104,117,123', norm: '1,1,1', pixel: 'BGR' },
];

export const PIXEL_ORDERS = ['RGB', 'BGR', 'GRAY', 'RGBA', 'BGRA'];

export function presetById(id) {
  return PRESETS.find((p) => p.id === id) || null;
}

// The preset whose values the fields hold, or null (custom).
export function matchingPreset(fields) {
  return PRESETS.find((p) => sameNumbers(p.mean, fields.mean) && sameNumbers(p.norm, fields.norm) && p.pixel === fields.pixel) || null;
}

function sameNumbers(a, b) {
  const x = numbers(a);
  const y = numbers(b);
  return x !== null && y !== null && x.length === y.length && x.every((v, i) => v === y[i]);
}

// "1, 2,3" or "[1,2,3]" -> [1,2,3]; "" -> []; anything else -> null.
export function numbers(text) {
  const t = String(text ?? '').trim().replace(/^\[/, '').replace(/\]$/, '').trim();
  if (!t) return [];
  const parts = t.split(/\s*,\s*|\s+/);
  const out = parts.map((p) => (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(p) ? Number(p) : NaN));
  return out.every(Number.isFinite) ? out : null;
}

// One field as ncnn2table writes it: "[1,2,3]", the user's digits kept
// (ncnn2table parses them with its own decimal reader).
export function bracket(text) {
  const t = String(text ?? '').trim().replace(/^\[/, '').replace(/\]$/, '').trim();
  return `[${t.split(/\s*,\s*|\s+/).filter(Boolean).join(',')}]`;
}

// Fields of every input -> the options calibrate() takes (the CLI's
// key=value strings), or { problems } naming the input and field.
// inputs: [{ blob, mean, norm, shape, pixel }], type 0|1.
export function buildOptions(inputs, { type, method, thread }) {
  const problems = [];
  const label = (i) => (inputs.length > 1 ? `input ${i + 1} (${inputs[i].blob})` : `input ${inputs[i].blob}`);
  inputs.forEach((inp, i) => {
    const shape = numbers(inp.shape);
    if (shape === null || shape.length < 2 || shape.length > 3 || !shape.every(Number.isInteger)) {
      problems.push(`Shape of ${label(i)}: "${inp.shape}" is not w,h or w,h,c (whole numbers).`);
    }
    if (type === 0) {
      for (const key of ['mean', 'norm']) {
        const v = numbers(inp[key]);
        if (v === null || v.length === 0) problems.push(`${key === 'mean' ? 'Mean' : 'Norm'} of ${label(i)}: "${inp[key]}" is not a list of numbers.`);
      }
    }
  });
  if (problems.length) return { problems };
  const options = { method, type, shape: inputs.map((x) => bracket(x.shape)).join(','), thread };
  if (type === 0) {
    options.mean = inputs.map((x) => bracket(x.mean)).join(',');
    options.norm = inputs.map((x) => bracket(x.norm)).join(',');
    options.pixel = inputs.map((x) => x.pixel).join(',');
  }
  return { options };
}

// The size of the tensor an input becomes ({ w, h, c }), for laying out its
// preview before it is ready: w,h from the shape field; c from the pixel
// order for an image, the shape's third number (or 1) for .npy, whose
// shape must match the field. null when the field does not say (0 keeps an
// image's size or aspect; a bad field).
export function previewDims(fields, type) {
  const shape = numbers(fields.shape);
  if (!shape || shape.length < 2 || shape.length > 3 || !shape.every((v) => Number.isInteger(v) && v > 0)) return null;
  if (type === 1) return { w: shape[0], h: shape[1], c: shape[2] ?? 1 };
  const c = fields.pixel === 'GRAY' ? 1 : fields.pixel === 'RGBA' || fields.pixel === 'BGRA' ? 4 : 3;
  return { w: shape[0], h: shape[1], c };
}

// Notes about the fields themselves, before anything runs.
export function fieldWarnings(inp, type) {
  const out = [];
  if (type !== 0) return out;
  const norm = numbers(inp.norm);
  if (norm && norm.some((v) => v === 0)) {
    out.push({ code: 'norm-zero', text: `norm has a 0 (channel ${norm.indexOf(0) + 1}): that channel would be all zeros. ncnn2table refuses it.` });
  }
  return out;
}

// What the values of an image input span for given mean/norm: pixels
// 0..255 per channel -> [lo, hi] over all channels.
export function expectedRange(mean, norm) {
  const m = numbers(mean);
  const n = numbers(norm);
  if (!m || !n || !m.length || !n.length) return null;
  let lo = Infinity;
  let hi = -Infinity;
  for (let c = 0; c < Math.max(m.length, n.length); c++) {
    const a = (0 - (m[c] ?? m[0])) * (n[c] ?? n[0]);
    const b = (255 - (m[c] ?? m[0])) * (n[c] ?? n[0]);
    lo = Math.min(lo, a, b);
    hi = Math.max(hi, a, b);
  }
  return [lo, hi];
}

// Statistics of a preprocessed tensor (c planes of w*h values).
export function tensorStats(t) {
  const { data, c } = t;
  const plane = data.length / Math.max(1, c);
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let nonFinite = 0;
  const zeroPlanes = [];
  for (let k = 0; k < c; k++) {
    let allZero = true;
    for (let i = k * plane; i < (k + 1) * plane; i++) {
      const v = data[i];
      if (!Number.isFinite(v)) {
        nonFinite++;
        continue;
      }
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
      if (v !== 0) allZero = false;
    }
    if (allZero) zeroPlanes.push(k);
  }
  let atEnds = 0;
  if (max > min) {
    for (let i = 0; i < data.length; i++) if (data[i] === min || data[i] === max) atEnds++;
  }
  const n = data.length - nonFinite;
  return { min: n ? min : 0, max: n ? max : 0, mean: n ? sum / n : 0, nonFinite, zeroPlanes, atEndsShare: data.length ? atEnds / data.length : 0, count: data.length };
}

// Warnings about what the model sees: all zeros, non-finite values,
// saturation, a range far from what the chosen preprocessing expects.
// ctx: { type, mean, norm, preset } (preset: the matching one or null).
export function tensorWarnings(stats, ctx) {
  const out = [];
  if (stats.nonFinite) out.push({ code: 'non-finite', text: `${stats.nonFinite} values are NaN or infinite.` });
  if (stats.count && stats.zeroPlanes.length === Math.max(1, ctx.channels || 1) && stats.max === 0 && stats.min === 0) {
    out.push({ code: 'all-zero', text: 'Every value is 0: the model sees nothing (a black image with mean 0, norm 0, or an empty array?).' });
  } else if (stats.zeroPlanes.length) {
    out.push({ code: 'zero-channel', text: `Channel ${stats.zeroPlanes.map((k) => k + 1).join(', ')} is all zeros (norm 0 for it?).` });
  } else if (stats.min === stats.max && stats.count > 1) {
    out.push({ code: 'constant', text: `Every value is ${fmt(stats.min)}: the input is flat.` });
  }
  if (stats.max > stats.min && stats.count >= 64 && stats.atEndsShare >= 0.25) { // (a handful of values proves nothing)
    out.push({ code: 'saturated', text: `${Math.round(stats.atEndsShare * 100)}% of the values sit at the ends of the range (${fmt(stats.min)} or ${fmt(stats.max)}): saturated (an over- or under-exposed image, or values clipped before saving).` });
  }
  if (ctx.type === 0) {
    const want = expectedRange(ctx.mean, ctx.norm);
    const span = stats.max - stats.min;
    if (want && ctx.preset && span > 0 && span < 0.1 * (want[1] - want[0])) {
      out.push({ code: 'narrow', text: `The values span ${fmt(stats.min)}..${fmt(stats.max)}, under a tenth of the ${fmt(want[0])}..${fmt(want[1])} that ${ctx.preset.label} gives: a very dark or flat image?` });
    }
    if (!ctx.preset) {
      const widest = Math.max(...PRESETS.map((p) => Math.max(...expectedRange(p.mean, p.norm).map(Math.abs))));
      const far = Math.max(Math.abs(stats.min), Math.abs(stats.max));
      if (far > 1.5 * widest) {
        out.push({ code: 'range', text: `Values reach ${fmt(far)}, far beyond what any preset gives (at most ${fmt(widest)}): is norm missing (1/255 = 0.003921569)?` });
      } else if (far > 0 && far < 0.02) {
        out.push({ code: 'range', text: `Values stay within ±${fmt(far)}, far below what any preset gives: is norm applied twice?` });
      }
    }
  } else if (Math.max(Math.abs(stats.min), Math.abs(stats.max)) > 1e4) {
    const far = Math.max(Math.abs(stats.min), Math.abs(stats.max));
    out.push({ code: 'range', text: `Values reach ${fmt(far)}: layers fed this directly get an int8 scale near 127/${fmt(far)}, which the table may print as 0.000000. Scale the data down if the model allows it.` });
  }
  return out;
}

export function fmt(v) {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}

// Overall progress of a run from the core's per-stage progress: kl reads
// every input twice (absmax, then histograms), aciq once, eq runs kl
// first and then its search (the stage 'eq', counted in scales searched).
export const PASSES = { kl: 2, aciq: 1, eq: 3 };

export class ProgressClock {
  constructor(method, now) {
    this.expected = PASSES[method] || 1;
    this.passes = []; // { stage, start }: a pass starts at the previous one's last report
    this.last = now;
  }

  // p: { stage, done, total, name } -> { fraction, text }
  update(p, now) {
    if (!this.passes.some((x) => x.stage === p.stage)) this.passes.push({ stage: p.stage, start: this.last });
    this.last = now;
    const index = this.passes.findIndex((x) => x.stage === p.stage);
    const passes = Math.max(this.expected, this.passes.length);
    const within = p.total > 0 ? Math.min(1, p.done / p.total) : 0;
    const fraction = Math.min(1, (index + within) / passes);
    // Time left: the rest of this pass at its own pace, and each pass still
    // to come as long as this one. Passes differ (eq's search can take
    // minutes after a kl of a second), so the pace is the current pass's,
    // not the run's.
    const passElapsed = now - this.passes[index].start;
    let left = '';
    if (within > 0.02 && passElapsed > 500) {
      const passMs = passElapsed / within;
      const seconds = Math.max(0, (passMs * (1 - within) + passMs * (passes - index - 1)) / 1000);
      left = ` · about ${seconds < 60 ? `${Math.ceil(seconds)} s` : `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`} left`;
    }
    const pass = passes > 1 ? `pass ${index + 1} of ${passes} (${p.stage}) · ` : '';
    let what = p.stage;
    if (p.total > 0 && p.stage === 'eq') what = `${p.done} of ${p.total} scales searched`;
    else if (p.total > 0) what = p.done >= p.total ? `${p.total} of ${p.total} inputs` : `input ${p.done + 1} of ${p.total}${p.name ? ` (${p.name})` : ''}`;
    return { fraction, text: `${Math.round(fraction * 100)}% · ${pass}${what}${left}` };
  }
}
