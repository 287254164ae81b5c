// --pre-js (inside the module factory): the instance's WebAssembly.Memory,
// for callers that copy into it with memory.copy (js/memory_copy.js).
// wasmMemory is the factory's own variable, set at instantiation.
Module['wasmMemoryObject'] = function() { return wasmMemory; };
