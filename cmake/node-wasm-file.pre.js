// --pre-js (runs inside the module factory, before instantiation).
// emscripten 3.1.6 instantiates via WebAssembly.instantiateStreaming(fetch(wasmBinaryFile))
// whenever a global fetch exists. Node >= 18 has fetch, but it cannot load a plain path
// (non-ES6 builds) nor a file:// URL (EXPORT_ES6 builds use new URL(x, import.meta.url)).
// In Node, if the caller supplied neither wasmBinary nor instantiateWasm, read the .wasm
// next to the JS file synchronously instead. Browsers/workers are unaffected.
if (typeof process == 'object' && typeof process.versions == 'object' && typeof process.versions.node == 'string' &&
    !Module['wasmBinary'] && !Module['instantiateWasm']) {
  Module['instantiateWasm'] = function(imports, receiveInstance) {
    var f = wasmBinaryFile;
    var bytes = f.startsWith('file:') ? require('fs').readFileSync(new URL(f)) : readBinary(f);
    WebAssembly.instantiate(bytes, imports).then(
      function(r) { receiveInstance(r['instance'], r['module']); },
      function(e) { err('failed to instantiate wasm: ' + e); abort(e); });
    return {};
  };
}
