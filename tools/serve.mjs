#!/usr/bin/env node
// Dependency-free static server for the web page.
//   node tools/serve.mjs [--port 8080] [--host 127.0.0.1]
//                        [--mount /name/=DIR ...] [--no-isolation]
// Serves / -> web/index.html and /web/*, /js/*, /dist/* from the repository
// root, on the loopback interface only. No directory listings, no path
// traversal, no caching. --port 0 picks a free port; the URL is printed as
// "Serving http://HOST:PORT/". For tests: --mount serves DIR's files under
// /name/ (same rules, nothing outside DIR), --no-isolation leaves out the
// COOP/COEP headers (a page that is not cross-origin isolated).
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const served = ['web', 'js', 'dist'];

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.param': 'application/octet-stream',
  '.table': 'application/octet-stream',
  '.bin': 'application/octet-stream',
};

function usage(message) {
  if (message) process.stderr.write(`serve.mjs: ${message}\n`);
  process.stderr.write('usage: node tools/serve.mjs [--port 8080] [--host 127.0.0.1] [--mount /name/=DIR ...] [--no-isolation]\n');
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    options: {
      port: { type: 'string', short: 'p', default: '8080' },
      host: { type: 'string', default: '127.0.0.1' },
      mount: { type: 'string', multiple: true, default: [] },
      'no-isolation': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  }).values;
} catch (e) {
  usage(e.message);
}
if (parsed.help) usage();
if (!/^\d+$/.test(parsed.port) || Number(parsed.port) > 65535) usage(`bad port '${parsed.port}'`);
const port = Number(parsed.port);
let host = parsed.host;
if (!['127.0.0.1', 'localhost', '::1'].includes(host)) {
  usage(`refusing to bind '${host}': the page is served on the loopback interface only`);
}
if (host === 'localhost') host = '127.0.0.1';

// /name/ -> the real path of its folder
const mounts = new Map();
for (const m of parsed.mount) {
  const match = /^\/([A-Za-z0-9_-]+)\/=(.+)$/.exec(m);
  if (!match) usage(`bad --mount '${m}': give /name/=DIR`);
  if (['web', 'js', 'dist'].includes(match[1]) || mounts.has(match[1])) usage(`--mount /${match[1]}/ is already served`);
  let dir;
  try {
    dir = fs.realpathSync(match[2]);
  } catch {
    usage(`--mount /${match[1]}/: no folder ${match[2]}`);
  }
  if (!fs.statSync(dir).isDirectory()) usage(`--mount /${match[1]}/: ${match[2]} is not a folder`);
  mounts.set(match[1], dir);
}

const securityHeaders = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  ...(parsed['no-isolation'] ? {} : { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' }),
  'Cross-Origin-Resource-Policy': 'same-origin',
  // Nothing leaves the machine: scripts, workers, fetches only from here.
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; " +
    "connect-src 'self'; img-src 'self' data: blob:; style-src 'self'; object-src 'none'; " +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
};

function send(res, status, text) {
  const body = Buffer.from(`${status} ${text}\n`);
  res.writeHead(status, {
    ...securityHeaders,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': body.length,
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

// Maps a URL path to { file, base } (a file under one of the served
// folders, and the folder it must stay in), or null.
function resolvePath(urlPath) {
  if (urlPath === '/' || urlPath === '/index.html') return { file: path.join(root, 'web', 'index.html'), base: root };
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const parts = decoded.split('/');
  // parts[0] is '' (leading slash)
  if (parts[0] !== '' || !(served.includes(parts[1]) || mounts.has(parts[1]))) return null;
  if (parts.some((p, i) => i > 0 && (p === '' || p === '.' || p === '..'))) return null;
  if (mounts.has(parts[1])) {
    const base = mounts.get(parts[1]);
    const file = path.resolve(base, ...parts.slice(2));
    return file.startsWith(base + path.sep) ? { file, base } : null;
  }
  const base = path.join(root, parts[1]);
  const file = path.resolve(root, ...parts.slice(1));
  if (!file.startsWith(base + path.sep)) return null;
  return { file, base: root };
}

const server = http.createServer((req, res) => {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return send(res, 405, 'Method Not Allowed');
  }
  // Refuse traversal outright, also when percent-encoded, before the URL
  // parser normalizes it away.
  const rawPath = req.url.split('?')[0];
  if (/(^|\/)\.\.?(\/|$)/.test(rawPath) || /%2e|%2f|%5c|%00|\\/i.test(rawPath)) {
    return send(res, 403, 'Forbidden');
  }
  let urlPath;
  try {
    urlPath = new URL(req.url, 'http://localhost').pathname;
  } catch {
    return send(res, 400, 'Bad Request');
  }
  const resolved = resolvePath(urlPath);
  if (!resolved) return send(res, 404, 'Not Found');
  const { file, base } = resolved;
  fs.realpath(file, (err, real) => {
    // Symbolic links must stay inside the repository (or the mounted folder).
    if (err || !(real === base || real.startsWith(base + path.sep))) return send(res, 404, 'Not Found');
    fs.stat(real, (err2, st) => {
      if (err2 || !st.isFile()) return send(res, 404, 'Not Found'); // no directory listing
      const type = types[path.extname(real).toLowerCase()] || 'application/octet-stream';
      res.writeHead(200, { ...securityHeaders, 'Content-Type': type, 'Content-Length': st.size });
      if (req.method === 'HEAD') return res.end();
      const stream = fs.createReadStream(real);
      stream.on('error', () => res.destroy());
      stream.pipe(res);
    });
  });
});

server.on('error', (err) => {
  process.stderr.write(`serve.mjs: ${err.message}\n`);
  process.exit(1);
});

server.listen(port, host, () => {
  const addr = server.address();
  const shown = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  process.stdout.write(`Serving http://${shown}:${addr.port}/\n`);
});

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  server.close(() => process.exit(0));
  server.closeAllConnections?.();
  setTimeout(() => process.exit(0), 1000).unref();
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
