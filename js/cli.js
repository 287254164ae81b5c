#!/usr/bin/env node
// ncnn2int8 IN.param IN.bin OUT.param OUT.bin [TABLE] [--report FILE] [--quiet]
// The native CLI (src/cli/main.cpp) on the WebAssembly core. The usage text
// and the argument rules are the C++ ones (src/cli/cli_args.cpp, compiled
// into the module): same arguments, messages and exit codes (0 ok, 1 error,
// 2 usage).
import fs from 'node:fs';
import v8 from 'node:v8';
import { getModule } from './core.js';

// One short process: V8's optimizing tier for wasm costs more CPU than it
// saves in a run of seconds, and Node waits for its compile jobs at exit
// (mobilenet_ssd: 0.35 s of CPU with baseline code only against 0.92 s;
// ViT-B-like: 0.58 s against 1.04 s). Set before the module is compiled.
v8.setFlagsFromString('--liftoff-only');
import { AtomicFile, quantizeFiles } from './file.js';

function fail(message) {
  process.stderr.write(`ncnn2int8: error: ${message}\n`);
  return 1;
}

// A folder's real path, or null when it does not exist (as realpath(3)).
function realDir(dir) {
  try {
    return fs.realpathSync.native(dir);
  } catch {
    return null;
  }
}

async function main(argv) {
  const M = await getModule();
  const args = M.parseCliArgs(argv, realDir);
  if (args.action === 'help') {
    process.stdout.write(M.cliUsage());
    return 0;
  }
  if (args.action === 'version') {
    process.stdout.write(`ncnn2int8 (ncnn-int8) ${M.version()}\n`);
    return 0;
  }
  if (args.action === 'error') {
    if (args.exitCode !== 2) return fail(args.message);
    process.stderr.write(args.message);
    return 2;
  }

  let result;
  try {
    result = await quantizeFiles({
      paramPath: args.inParam,
      binPath: args.inBin,
      tablePath: args.table ?? undefined,
      outParamPath: args.outParam,
      outBinPath: args.outBin,
    });
  } catch (e) {
    return fail(e?.message ?? String(e));
  }
  if (args.reportPath) {
    let out;
    try {
      out = new AtomicFile(args.reportPath);
      out.write(Buffer.from(result.reportJson, 'utf8'));
      out.commit();
    } catch (e) {
      return fail(e?.message ?? String(e));
    } finally {
      out?.discard();
    }
  }
  process.stderr.write(args.quiet ? result.warningText : result.reportText);
  return 0;
}

process.exit(await main(process.argv.slice(2)));
