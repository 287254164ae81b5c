#!/usr/bin/env node
// ncnn2int8 IN.param IN.bin OUT.param OUT.bin [TABLE] [--report FILE] [--quiet]
// The native CLI (src/cli/main.cpp) on the WebAssembly core: same arguments,
// messages and exit codes (0 ok, 1 error, 2 usage).
import { AtomicFile, quantizeFiles } from './file.js';
import { version } from './index.js';

const USAGE =
  'usage: ncnn2int8 IN.param IN.bin OUT.param OUT.bin [TABLE] [--report FILE.json] [--quiet]\n' +
  '\n' +
  'Turns an fp32/fp16 ncnn model into an int8 one, byte for byte as ncnn\'s\n' +
  'ncnn2int8 does. TABLE is the calibration table from ncnn2table; without it\n' +
  'only Gemm and SDPA layers are quantized (models with Embed,\n' +
  'MultiHeadAttention, RNN, LSTM or GRU need a table).\n' +
  '\n' +
  '  --report FILE  write the run\'s report (per layer: action, bytes) as JSON\n' +
  '  --quiet        print only warnings and errors\n' +
  '  --help         this text\n' +
  '  --version      print the version\n';

function fail(message) {
  process.stderr.write(`ncnn2int8: error: ${message}\n`);
  return 1;
}

async function main(argv) {
  const positional = [];
  let reportPath = '';
  let quiet = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(USAGE);
      return 0;
    }
    if (arg === '--version') {
      process.stdout.write(`ncnn2int8 (ncnn-int8) ${await version()}\n`);
      return 0;
    }
    if (arg === '--quiet') {
      quiet = true;
    } else if (arg === '--report') {
      if (i + 1 >= argv.length) return fail('--report needs a file name');
      reportPath = argv[++i];
    } else if (arg.length > 2 && arg.startsWith('--')) {
      return fail(`unknown option ${arg}\n${USAGE}`);
    } else {
      positional.push(arg);
    }
  }
  if (positional.length !== 4 && positional.length !== 5) {
    process.stderr.write(USAGE);
    return 2;
  }
  const [paramPath, binPath, outParamPath, outBinPath, tablePath] = positional;
  if (binPath === 'null') return fail("IN.bin 'null' (random weights) is not supported: give the model's weights");
  if (outParamPath === outBinPath) return fail(`OUT.param and OUT.bin are the same file: ${outParamPath}`);

  let result;
  try {
    result = await quantizeFiles({ paramPath, binPath, tablePath, outParamPath, outBinPath });
  } catch (e) {
    return fail(e?.message ?? String(e));
  }
  if (reportPath) {
    let out;
    try {
      out = new AtomicFile(reportPath);
      out.write(Buffer.from(result.reportJson, 'utf8'));
      out.commit();
    } catch (e) {
      return fail(e?.message ?? String(e));
    } finally {
      out?.discard();
    }
  }
  if (quiet) {
    for (const w of result.report.warnings) process.stderr.write(`warning: ${w.where}: ${w.layer ? w.layer + ': ' : ''}${w.message}\n`);
  } else {
    process.stderr.write(result.reportText);
  }
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
