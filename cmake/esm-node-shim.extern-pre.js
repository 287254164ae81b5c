// --extern-pre-js for EXPORT_ES6 builds that must also run in Node (emscripten 3.1.6).
// The generated Node branch uses CommonJS globals (require, __dirname) that do not
// exist in an ES module. Define them at module scope, only when running in Node.
// Top-level await is fine in Node >= 14.8 and in module workers / <script type=module>.
var require, __dirname, __filename;
if (typeof process == 'object' && typeof process.versions == 'object' && typeof process.versions.node == 'string') {
  const { createRequire } = await import(/* webpackIgnore: true */ /* @vite-ignore */ 'module');
  require = createRequire(import.meta.url);
  __filename = require('url').fileURLToPath(import.meta.url);
  __dirname = require('path').dirname(__filename);
}
