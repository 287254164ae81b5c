// ncnnllm2table / ncnnllm2int on the WebAssembly core (`npx ncnnllm2table`,
// `npx ncnnllm2int`): the native drop-ins' arguments, messages and exit codes
// (0 ok, 255 refused), outputs written to temporary files renamed at the end.
import fs from 'node:fs';
import { AtomicFile, BinFile, readWholeFile } from './file.js';
import { llmQuantize, llmTable } from './llm.js';

// ncnnllm2table's calibration options (awq / gptq): accepted, then refused with the method.
const CALIBRATION_KEYS = ['type', 'shape', 'awq_steps', 'awq_samples', 'awq_max_scale', 'awq_inner', 'gptq_samples', 'gptq_damp'];

const USAGE = {
  ncnnllm2table:
    'usage: ncnnllm2table IN.param IN.bin OUT.llm.table [key=value...] [--report FILE.json] [--quiet]\n' +
    '  method=minmax/mseclip  (awq/gptq need calibration data: not supported yet)\n' +
    '  bits=4/6/8             default 6\n' +
    '  block=32/64/128        default 64\n',
  ncnnllm2int:
    'usage: ncnnllm2int IN.param IN.bin OUT.param OUT.bin [key=value...] [--report FILE.json] [--quiet]\n' +
    '       ncnnllm2int IN.param IN.bin OUT.param OUT.bin IN.llm.table [--report FILE.json] [--quiet]\n' +
    '  method=minmax/mseclip  default minmax (direct form)\n' +
    '  bits=4/6/8             default 6\n' +
    '  block=32/64/128        default 64\n',
};
const EXIT_FAILURE = 255;

function parseArgs(argv) {
  const a = { positional: [], keys: [], report: '', quiet: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') a.help = true;
    else if (arg === '--quiet') a.quiet = true;
    else if (arg === '--report') {
      if (i + 1 >= argv.length) throw new Error('--report needs a file name');
      a.report = argv[++i];
    } else if (arg.startsWith('-')) throw new Error(`unknown option ${arg}`);
    else if (arg.includes('=')) {
      const eq = arg.indexOf('=');
      a.keys.push([arg.slice(0, eq), arg.slice(eq + 1)]);
    } else if (a.keys.length) throw new Error(`unrecognized arg ${arg}`);
    else a.positional.push(arg);
  }
  return a;
}


// The reference's integer parses: atoi for ncnnllm2table, strict for ncnnllm2int.
function integer(tool, key, v) {
  if (tool === 'ncnnllm2table') return Number.parseInt(v, 10) || 0;
  if (!/^\s*[+-]?\d+$/.test(v)) throw new Error(`malformed ${key}=${v}`);
  return Number.parseInt(v, 10);
}

async function run(tool, argv) {
  const a = parseArgs(argv);
  if (a.help) {
    process.stdout.write(USAGE[tool]);
    return 0;
  }
  const opts = { method: 'minmax', bits: 6, block: 64 };
  for (const [k, v] of a.keys) {
    if (k === 'method') opts.method = v;
    else if (k === 'bits' || k === 'block') opts[k] = integer(tool, k, v);
    else if (k === 'thread') integer(tool, k, v); // one thread in WebAssembly
    else if (!(tool === 'ncnnllm2table' && CALIBRATION_KEYS.includes(k))) throw new Error(`unrecognized arg ${k}`);
  }
  const p = a.positional;
  if (tool === 'ncnnllm2table' && p.length === 4)
    throw new Error(`calibration list ${p[2]}: method=awq/gptq need calibration data, which is not supported yet; use method=minmax or mseclip`);
  const want = tool === 'ncnnllm2table' ? [3] : [4, 5];
  if (!want.includes(p.length)) {
    process.stderr.write(USAGE[tool]);
    return EXIT_FAILURE;
  }
  if (p[1] === 'null') throw new Error("IN.bin 'null' (random weights) is not supported: give the model's weights");
  const param = readWholeFile(p[0]);
  const bin = new BinFile(p[1]);
  const names = { param: p[0], bin: p[1] };
  let report;
  const outputs = [];
  const closers = [bin];
  try {
    if (tool === 'ncnnllm2table') {
      const out = new AtomicFile(p[2]);
      outputs.push(out);
      report = (await llmTable({ param, bin, ...opts, names, measureError: !!a.report, writeTable: (c) => out.write(c) })).report;
      out.commit();
    } else {
      if (p[2] === p[3]) throw new Error(`OUT.param and OUT.bin are the same file: ${p[2]}`);
      // Read as a stream: a large model's table is hundreds of MB.
      const table = p.length === 5 ? new BinFile(p[4]) : null;
      if (table) {
        names.table = p[4];
        closers.push(table);
      }
      const outBin = new AtomicFile(p[3]);
      outputs.push(outBin);
      const r = await llmQuantize({
        param, bin, table, ...opts, names, measureError: !!a.report,
        readFile: (path) => fs.readFileSync(path),
        writeBin: (c) => outBin.write(c),
      });
      const outParam = new AtomicFile(p[2]);
      outputs.push(outParam);
      outParam.write(r.paramBytes);
      outBin.commit();
      outParam.commit();
      report = r.report;
    }
  } finally {
    for (const o of outputs) o.discard();
    for (const c of closers) c.close();
  }
  if (!a.quiet) for (const line of report.log) process.stderr.write(`${line}\n`);
  if (a.report) {
    const out = new AtomicFile(a.report);
    try {
      out.write(Buffer.from(JSON.stringify(report, null, 1) + '\n', 'utf8'));
      out.commit();
    } finally {
      out.discard();
    }
  }
  return 0;
}

export async function main(tool, argv) {
  try {
    return await run(tool, argv);
  } catch (e) {
    process.stderr.write(`${tool}: error: ${e?.message ?? e}\n`);
    return EXIT_FAILURE;
  }
}
