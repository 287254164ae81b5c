// --post-js of the threads build (ncnn_int8_calib_mt; runs inside the module
// factory). In Node, idle pthread workers must not keep the process alive:
// they are unref'd, and js/calibrate.js holds the event loop open while a
// run is going.
if (ENVIRONMENT_IS_NODE && !ENVIRONMENT_IS_PTHREAD) {
  var ncnnUnrefWorker = function (w) {
    if (w && typeof w.unref == 'function') w.unref();
  };
  PThread.unusedWorkers.forEach(ncnnUnrefWorker);
  var ncnnAllocateUnusedWorker = PThread.allocateUnusedWorker;
  PThread.allocateUnusedWorker = function () {
    ncnnAllocateUnusedWorker();
    ncnnUnrefWorker(PThread.unusedWorkers[PThread.unusedWorkers.length - 1]);
  };
}
