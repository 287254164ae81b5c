// Which dropped files make up the model: pairs foo.param with foo.bin, picks
// the .table, and says plainly what is missing or does not belong.
// Pure functions over {name} objects (File or anything with a name), and
// the walk through the folders of a drop.

export function kindOf(name) {
  const m = /\.(param|bin|table)$/i.exec(name);
  return m ? m[1].toLowerCase() : 'other';
}

export function baseOf(name) {
  return name.replace(/\.(param|bin|table)$/i, '');
}

// Merges a newly dropped batch into the current list; nothing already there
// is lost silently. A batch with a .param and a .bin replaces the previous
// model files (.param and .bin) but keeps the rest, a table included; a batch
// with one .table replaces the previous table; other files are added (same
// name replaces). -> { files, replaced: [name], kept: [name] }
export function mergeFiles(current, batch) {
  const incoming = [...batch];
  const kinds = incoming.map((f) => kindOf(f.name));
  const newNames = new Set(incoming.map((f) => f.name));
  let drop = () => false;
  if (kinds.includes('param') && kinds.includes('bin')) {
    drop = (f) => kindOf(f.name) === 'param' || kindOf(f.name) === 'bin';
  } else if (kinds.filter((k) => k === 'table').length === 1) {
    drop = (f) => kindOf(f.name) === 'table';
  }
  const replaced = current.filter((f) => drop(f) && !newNames.has(f.name)).map((f) => f.name);
  const base = current.filter((f) => !drop(f));
  const byName = new Map(base.map((f) => [f.name, f]));
  for (const f of incoming) {
    byName.delete(f.name); // keep drop order: the new one goes last
    byName.set(f.name, f);
  }
  const kept = base.filter((f) => !newNames.has(f.name)).map((f) => f.name);
  return { files: [...byName.values()], replaced, kept };
}

// Layer names of a text .param ("7767517", counts, then "Type name ..." lines),
// or null when the text is not one.
export function paramLayerNames(text) {
  const lines = text.split(/\r?\n/);
  if (lines[0].trim() !== '7767517') return null;
  const names = new Set();
  for (const line of lines.slice(2)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length >= 2) names.add(fields[1]);
  }
  return names;
}

// Layer names a calibration table gives scales for: "name scale..." lines
// (input scales) and "name_param_N scale..." lines (weight scales).
export function tableLayerNames(text) {
  const names = new Set();
  for (const line of text.split(/\r?\n/)) {
    const key = line.trim().split(/\s+/)[0];
    if (key) names.add(key.replace(/_param_\d+$/, ''));
  }
  return names;
}

// How well a table fits a model: -> { matched, total, missing: [name] } or
// null when the .param cannot be read as text.
export function tableFit(paramText, tableText) {
  const layers = paramLayerNames(paramText);
  if (!layers) return null;
  const keys = [...tableLayerNames(tableText)];
  const missing = keys.filter((k) => !layers.has(k));
  return { matched: keys.length - missing.length, total: keys.length, missing };
}

// -> { param, bin, table, base, ready, missing: [text], problems: [text], notes: [text], ignored: Set(name) }
export function resolveFiles(files) {
  const params = files.filter((f) => kindOf(f.name) === 'param');
  const bins = files.filter((f) => kindOf(f.name) === 'bin');
  const tables = files.filter((f) => kindOf(f.name) === 'table');
  const others = files.filter((f) => kindOf(f.name) === 'other');
  const out = { param: null, bin: null, table: null, base: '', ready: false, missing: [], problems: [], notes: [], ignored: new Set() };

  for (const f of others) {
    out.problems.push(`${f.name} does not belong here: only .param, .bin and .table files are used. Remove it.`);
    out.ignored.add(f.name);
  }

  const list = (fs) => fs.map((f) => f.name).join(', ');

  if (params.length > 1) {
    const withBin = params.filter((p) => bins.some((b) => baseOf(b.name) === baseOf(p.name)));
    const without = params.filter((p) => !withBin.includes(p));
    if (withBin.length === 1) {
      // one complete model; the other .param files are strays
      out.param = withBin[0];
      for (const p of without) {
        out.problems.push(`${p.name} has no ${baseOf(p.name)}.bin and does not belong to ${out.param.name}. Remove it (one model at a time).`);
        out.ignored.add(p.name);
      }
    } else if (withBin.length > 1) {
      out.problems.push(`${withBin.length} models were given (${list(withBin)}). Quantize one model at a time: remove the others.`);
    } else {
      out.problems.push(`${params.length} .param files (${list(params)}) without their .bin. Keep one .param and drop its .bin.`);
    }
  } else if (params.length === 1) {
    out.param = params[0];
  }

  if (out.param) {
    const b = baseOf(out.param.name);
    const match = bins.find((f) => baseOf(f.name) === b);
    if (match) {
      out.bin = match;
    } else if (bins.length === 1) {
      // the only .bin: use it, but say so
      out.bin = bins[0];
      out.notes.push(`${out.bin.name} is used as the weights of ${out.param.name} (the names differ).`);
    } else if (bins.length === 0) {
      out.missing.push(`Drop ${b}.bin to go on.`);
    } else {
      out.problems.push(`${bins.length} .bin files (${list(bins)}) and none is named ${b}.bin. Keep only the weights of ${out.param.name}.`);
    }
    if (out.bin) {
      for (const f of bins) {
        if (f !== out.bin) {
          out.problems.push(`${f.name} does not belong to ${out.param.name}. Remove it.`);
          out.ignored.add(f.name);
        }
      }
    }
  } else if (params.length === 0) {
    if (bins.length === 1) out.missing.push(`Drop ${baseOf(bins[0].name)}.param to go on.`);
    else if (bins.length > 1) out.missing.push(`Drop the .param of one of ${list(bins)} to go on, and remove the other .bin files.`);
    else if (tables.length) out.missing.push(`Drop ${baseOf(tables[0].name)}.param and ${baseOf(tables[0].name)}.bin to go on.`);
    else out.missing.push('Drop a .param and its .bin (and optionally a .table) to go on.');
  }

  if (tables.length === 1) {
    out.table = tables[0];
  } else if (tables.length > 1) {
    const b = out.param ? baseOf(out.param.name) : null;
    const match = b !== null ? tables.find((t) => baseOf(t.name) === b) : null;
    if (match) {
      out.table = match;
      for (const t of tables) {
        if (t !== match) {
          out.problems.push(`${t.name}: only one table goes with a model, ${match.name} is used. Remove it.`);
          out.ignored.add(t.name);
        }
      }
    } else {
      out.problems.push(`${tables.length} .table files (${list(tables)}): a model takes one. Remove the others.`);
    }
  }

  if (out.param) out.base = baseOf(out.param.name);
  // Stray files (a .txt, an extra .param) are named but do not block a run;
  // ambiguity (which model? which table?) does.
  const blocking = out.problems.length - out.ignored.size;
  out.ready = Boolean(out.param && out.bin) && blocking === 0 && !(tables.length > 1 && !out.table);
  return out;
}

// Download names for a model's .param name. pnnx writes foo.ncnn.param and
// foo.ncnn.bin and its loaders look for that suffix, so those become
// foo-int8.ncnn.param/.bin; the report is not an ncnn file and is always
// <stem>-int8.report.json.
export function outputNames(paramName) {
  const base = baseOf(paramName);
  const pnnx = /\.ncnn$/i.exec(base);
  const stem = pnnx ? base.slice(0, pnnx.index) : base;
  const suffix = pnnx ? base.slice(pnnx.index) : '';
  return {
    param: `${stem}-int8${suffix}.param`,
    bin: `${stem}-int8${suffix}.bin`,
    report: `${stem}-int8.report.json`,
  };
}

// The files of a drop (a DataTransfer), dropped folders walked through
// webkitGetAsEntry: each file found in a folder gets its path in the drop
// as `relativePath` and is taken only when keep(name) says so; files
// dropped on their own are all taken. Where the browser gives no entries,
// the drop's plain file list. A folder gives its entries in batches
// (readEntries until an empty one). An entry that cannot be read is named
// in `unreadable` and the walk goes on.
// -> { files: [File], unreadable: [path] }
export async function droppedFiles(dataTransfer, keep = () => true) {
  const items = [...(dataTransfer?.items || [])].filter((it) => it.kind === 'file');
  const entries = items.map((it) => (typeof it.webkitGetAsEntry === 'function' ? it.webkitGetAsEntry() : null));
  if (!entries.length || entries.some((e) => !e)) return { files: [...(dataTransfer?.files || [])], unreadable: [] };
  const files = [];
  const unreadable = [];
  const walk = async (entry, prefix) => {
    const where = `${prefix}${entry.name}`;
    try {
      if (entry.isFile) {
        if (prefix && !keep(entry.name)) return;
        const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
        if (prefix) Object.defineProperty(file, 'relativePath', { value: where });
        files.push(file);
      } else if (entry.isDirectory) {
        const reader = entry.createReader();
        for (;;) {
          const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
          if (!batch.length) break;
          for (const e of batch) await walk(e, `${where}/`);
        }
      }
    } catch {
      unreadable.push(entry.isDirectory ? `${where}/` : where);
    }
  };
  for (const e of entries) await walk(e, '');
  return { files, unreadable };
}
