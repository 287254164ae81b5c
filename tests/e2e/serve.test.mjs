// tools/serve.mjs: what it serves, with which types, and what it refuses.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import fs from 'node:fs';
import { root, startServer, tmpDir } from './helpers.mjs';

let server;
before(async () => {
  server = await startServer();
});
after(async () => {
  const code = await server?.stop();
  assert.equal(code, 0, 'exits cleanly on SIGTERM');
});

// Raw GET (no URL normalization by the client).
function get(p, method = 'GET') {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: p, method }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode, type: res.headers['content-type'], headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('serves the page, scripts, wasm and sample with the right types', async () => {
  const cases = [
    ['/', 'text/html'],
    ['/web/index.html', 'text/html'],
    ['/web/app.js', 'text/javascript'],
    ['/web/style.css', 'text/css'],
    ['/js/index.js', 'text/javascript'],
    ['/dist/ncnn_int8_wasm.mjs', 'text/javascript'],
    ['/dist/ncnn_int8_wasm.wasm', 'application/wasm'],
    ['/dist/sample/model.param', 'application/octet-stream'],
    ['/dist/sample/model.bin', 'application/octet-stream'],
    ['/dist/sample/model.table', 'application/octet-stream'],
  ];
  for (const [p, type] of cases) {
    const r = await get(p);
    assert.equal(r.status, 200, p);
    assert.ok(r.type.startsWith(type), `${p}: ${r.type}`);
    assert.equal(r.headers['cache-control'], 'no-store', p);
  }
  assert.equal((await get('/web/app.js', 'HEAD')).status, 200);
});

test('refuses listings, traversal, other folders and methods', async () => {
  for (const p of ['/web/', '/web', '/dist/', '/dist/sample/', '/js']) assert.equal((await get(p)).status, 404, p);
  for (const p of ['/README.md', '/src/ncnn_int8.h', '/package.json', '/tools/serve.mjs', '/.git/config']) {
    assert.equal((await get(p)).status, 404, p);
  }
  for (const p of ['/web/../README.md', '/web/%2e%2e/README.md', '/web/..%2fREADME.md', '/dist/%2e%2e%2f%2e%2e%2fetc/passwd', '/web/..\\README.md']) {
    assert.equal((await get(p)).status, 403, p);
  }
  assert.equal((await get('/web/app.js', 'POST')).status, 405);
});

test('binds the loopback interface only', () => {
  const r = spawnSync(process.execPath, [path.join(root, 'tools', 'serve.mjs'), '--host', '0.0.0.0'], { encoding: 'utf8', timeout: 5000 });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /loopback/);
});

test('--mount serves a folder beside the page, nothing outside it; --no-isolation drops COOP/COEP', async () => {
  const work = tmpDir('serve-mount-');
  const folder = path.join(work, 'pages');
  fs.mkdirSync(path.join(folder, 'sub'), { recursive: true });
  fs.writeFileSync(path.join(folder, 'index.html'), '<!doctype html>');
  fs.writeFileSync(path.join(folder, 'sub', 'a.mjs'), 'export {};');
  fs.writeFileSync(path.join(work, 'secret.txt'), 'outside');
  fs.symlinkSync(path.join(work, 'secret.txt'), path.join(folder, 'link.txt'));
  const mounted = await startServer({ mounts: { '/t/': folder }, isolated: false });
  try {
    const { port } = new URL(mounted.url);
    const at = (p) => new Promise((resolve, reject) => {
      http.get({ host: '127.0.0.1', port, path: p }, (res) => {
        res.resume();
        res.on('end', () => resolve(res));
      }).on('error', reject);
    });
    const page = await at('/t/index.html');
    assert.equal(page.statusCode, 200);
    assert.equal(page.headers['cross-origin-opener-policy'], undefined);
    assert.equal(page.headers['cross-origin-embedder-policy'], undefined);
    assert.match(page.headers['content-security-policy'], /script-src 'self'/);
    assert.equal((await at('/t/sub/a.mjs')).statusCode, 200);
    assert.equal((await at('/web/app.js')).statusCode, 200, 'the page is still served');
    for (const p of ['/t/', '/t/sub', '/t/link.txt', '/t/secret.txt', '/t/nope.html']) assert.equal((await at(p)).statusCode, 404, p);
    assert.equal((await at('/t/%2e%2e/secret.txt')).statusCode, 403);
  } finally {
    await mounted.stop();
  }
  assert.equal((await get('/')).headers['cross-origin-opener-policy'], 'same-origin', 'isolated by default');
  for (const bad of [['--mount', 'nope'], ['--mount', '/web/=' + folder], ['--mount', '/x/=' + path.join(work, 'missing')]]) {
    const r = spawnSync(process.execPath, [path.join(root, 'tools', 'serve.mjs'), '--port', '0', ...bad], { encoding: 'utf8', timeout: 5000 });
    assert.equal(r.status, 2, bad.join(' '));
    assert.match(r.stderr, /--mount/);
  }
});
