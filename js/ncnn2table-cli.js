#!/usr/bin/env node
// ncnn2table IN.param IN.bin LIST[,LIST...] OUT.table key=value...
// ncnn2table IN.param IN.bin OUT.table [key=value...]   (weight-only table)
// The native ncnn2table (src/cli/ncnn2table.cpp) on the WebAssembly core,
// with threads: the usage text, the argument rules and the lines it prints
// are the C++ ones (src/cli/ncnn2table_args.cpp, compiled into the module);
// lists are read from disk and their paths are relative to the current
// folder, as the native tool reads them. Exit status 0 ok, 1 error, 2 usage.
import { calibrate } from './calibrate.js';
import { getModule } from './core.js';
import { AtomicFile, BinFile, readWholeFile } from './file.js';

function fail(message) {
  process.stderr.write(`ncnn2table: error: ${message}\n`);
  return 1;
}

function writeAtomically(path, bytes) {
  const out = new AtomicFile(path);
  try {
    out.write(bytes);
    out.commit();
  } finally {
    out.discard();
  }
}

async function main(argv) {
  const M = await getModule();
  const args = M.ncnn2tableArgs(argv);
  if (args.action === 'help') {
    process.stdout.write(M.ncnn2tableUsage());
    return 0;
  }
  if (args.action === 'layers') {
    for (const t of M.calibLayerTypes()) process.stdout.write(`${t}\n`);
    return 0;
  }
  if (args.action === 'version') {
    process.stdout.write(`ncnn2table (ncnn-int8) ${M.version()}\n`);
    return 0;
  }
  if (args.action === 'error') {
    if (args.exitCode === 1) return fail(args.message);
    process.stderr.write(args.message);
    return args.exitCode;
  }
  // The key=value arguments, as the C++ rule split them (no '-' argument is left here).
  const options = argv.slice(argv.length >= 4 && !argv[3].includes('=') ? 4 : 3);

  let param, bin;
  const lists = [];
  const listNames = [];
  try {
    param = readWholeFile(args.paramPath);
    bin = new BinFile(args.binPath);
  } catch (e) {
    return fail(e?.message ?? String(e));
  }
  try {
    for (const list of M.calibSplitLists(args.listArg)) {
      let text;
      try {
        text = readWholeFile(list);
      } catch (e) {
        return fail(e?.message ?? String(e));
      }
      const r = M.calibParseList(new TextDecoder().decode(text), list);
      if (r.error !== null) return fail(r.error);
      listNames.push(list);
      lists.push(r.paths);
    }
    if (args.listArg !== '' && lists.length === 0) return fail(`no list file in '${args.listArg}'`);

    let result;
    try {
      result = await calibrate({
        param,
        bin: /** @type {any} */ (bin), // a source {size, read(offset, dst)}: read in place, never whole
        inputs: lists,
        options,
        names: { param: args.paramPath, bin: args.binPath },
        listNames,
        onProgress: ({ stage, done, total }) => {
          process.stderr.write(M.ncnn2tableProgressLine(stage, done, total));
        },
      });
    } catch (e) {
      return fail(e?.message ?? String(e));
    }
    process.stderr.write(result.summary);
    try {
      if (args.reportPath) writeAtomically(args.reportPath, Buffer.from(result.reportJson, 'utf8'));
      writeAtomically(args.tablePath, result.table);
    } catch (e) {
      return fail(e?.message ?? String(e));
    }
    process.stderr.write(`ncnn2table: wrote ${args.tablePath}\n`);
    return 0;
  } finally {
    bin.close();
  }
}

process.exit(await main(process.argv.slice(2)));
