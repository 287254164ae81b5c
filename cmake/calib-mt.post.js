// --post-js of the threads build (ncnn_int8_calib_mt; runs inside the module
// factory). In Node, idle pthread workers must not keep the process alive:
// each is unref'd once it is set up (Emscripten adds its 'message' listener,
// which refs it, when it loads the module into the worker), and
// js/calibrate.js holds the event loop open while a run is going.
if (ENVIRONMENT_IS_NODE && !ENVIRONMENT_IS_PTHREAD) {
  var ncnnUnrefWorker = function (w) {
    if (w && typeof w.unref == 'function') w.unref();
  };
  var ncnnLoadWasmModuleToWorker = PThread.loadWasmModuleToWorker;
  PThread.loadWasmModuleToWorker = function (worker, onFinishedLoading) {
    var r = ncnnLoadWasmModuleToWorker.apply(this, arguments);
    ncnnUnrefWorker(worker);
    return r;
  };
  PThread.unusedWorkers.forEach(ncnnUnrefWorker);
}
