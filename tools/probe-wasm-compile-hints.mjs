#!/usr/bin/env node
// Whether this Chromium honours WebAssembly compilation hints, by default
// and with V8's flag for them. Prints one line per case and exits 0 either
// way (a diagnosis, not a test).
//
//   node tools/probe-wasm-compile-hints.mjs
//
// Why: the page's first calibration after load runs its WebAssembly in the
// browser's quick first form and recompiles the hot functions for speed
// during the run (README, "Making the table in the page"). A
// `metadata.code.compilation_priority` section can ask for a function to
// be compiled for speed before its first call; once a browser honours it
// without a flag, the build can mark the engine's and the search's hot
// functions and a first run no longer waits on the recompiling.
//
// How: a page (headless, --dump-dom) compiles a module of two identical
// functions, the first hinted (compilation and optimization priority 0),
// calls neither, and Chromium's V8 prints each function it compiles
// (--trace-wasm-compilation-times). The hint is honoured when the first
// function is compiled by the optimizing tier (TurboFan) although never
// called.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (!fs.existsSync(chromium)) {
  console.error(`probe-wasm-compile-hints: ${chromium} is missing (tools/setup.sh installs Debian's chromium)`);
  process.exit(1);
}

// The module is built in the page: (i32) -> i32 loops summing n .. 1.
const page = `<!doctype html><body><script>
const leb = (n) => { const o = []; do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; o.push(b); } while (n); return o; };
const str = (s) => [...leb(s.length), ...new TextEncoder().encode(s)];
const section = (id, body) => [id, ...leb(body.length), ...body];
const sum = [0x01, 0x01, 0x7f, 0x03, 0x40, 0x20, 0x01, 0x20, 0x00, 0x6a, 0x21, 0x01, 0x20, 0x00, 0x41, 0x01, 0x6b, 0x22, 0x00, 0x0d, 0x00, 0x0b, 0x20, 0x01, 0x0b];
// one entry: function 0, byte offset 0, 2 bytes of hint: compilation priority 0, optimization priority 0
const hint = [...str('metadata.code.compilation_priority'), 0x01, 0x00, 0x00, 0x02, 0x00, 0x00];
const bytes = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
  ...section(1, [0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f]),
  ...section(3, [0x02, 0x00, 0x00]),
  ...section(7, [0x02, ...str('f'), 0x00, 0x00, ...str('g'), 0x00, 0x01]),
  ...section(0, hint),
  ...section(10, [0x02, ...leb(sum.length), ...sum, ...leb(sum.length), ...sum])]);
WebAssembly.compile(bytes).then(
  () => setTimeout(() => { document.body.textContent = 'compiled'; }, 300),
  (e) => { document.body.textContent = 'failed: ' + e.message; });
</script></body>`;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'probe-wasm-hints-'));
try {
  const file = path.join(dir, 'probe.html');
  fs.writeFileSync(file, page);
  const cases = [
    ['by default', ''],
    ['with --js-flags=--wasm-compilation-hints', ' --wasm-compilation-hints'],
  ];
  for (const [label, flag] of cases) {
    const r = spawnSync(chromium, ['--headless', '--no-sandbox', '--disable-gpu', `--js-flags=--trace-wasm-compilation-times${flag}`, '--virtual-time-budget=3000', '--dump-dom', `file://${file}`], {
      encoding: 'utf8',
      timeout: 60000,
    });
    const out = r.stdout ?? '';
    if (!out.includes('compiled</body>')) {
      console.log(`${label}: the probe page did not compile its module (${(out.match(/failed: [^<]*/) ?? [r.error?.message ?? 'no output'])[0]})`);
      continue;
    }
    const optimized = /Compiled function \S+#0 using TurboFan/.test(out);
    console.log(`${label}: ${optimized ? 'honoured (the hinted function compiled for speed before any call)' : 'ignored (nothing compiled for speed before a call)'}`);
  }
  const version = spawnSync(chromium, ['--version'], { encoding: 'utf8' }).stdout?.trim();
  if (version) console.log(`(${version})`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
