# The WebAssembly build (emcmake cmake -S . -B build-wasm): one universal ES
# module, ncnn_int8_wasm.mjs + ncnn_int8_wasm.wasm, that runs in Node, in a
# browser page and in a (module) worker. Embind API in src/wasm/bindings.cpp;
# the npm package (js/) wraps it. Everything emcc needs is set here.
# Beside it, ncnn_int8_calib_mt: ncnn2table alone, built with pthreads.

# Debian's emscripten runs its JS optimizer (acorn) with the system node,
# which finds Debian's node-acorn only through NODE_PATH: set it for the link
# steps so a plain `cmake --build build-wasm` works.
if(NOT DEFINED ENV{NODE_PATH} AND EXISTS "/usr/share/nodejs/acorn")
  set(CMAKE_CXX_LINKER_LAUNCHER "${CMAKE_COMMAND};-E;env;NODE_PATH=/usr/share/nodejs")
endif()

set(NCNN_INT8_WASM_LINK_OPTIONS
  -lembind
  -sMODULARIZE=1
  -sEXPORT_ES6=1
  -sENVIRONMENT=web,worker,node
  -sALLOW_MEMORY_GROWTH=1
  -sMAXIMUM_MEMORY=4GB
  -sINITIAL_MEMORY=32MB
  # A library, not a program: no process-wide handlers in Node (they would
  # also keep every instance and its memory alive).
  -sNODEJS_CATCH_EXIT=0
  -sNODEJS_CATCH_REJECTION=0
  -sFILESYSTEM=0
  # No eval/new Function in the JS glue: pages with a strict Content
  # Security Policy (script-src 'self' 'wasm-unsafe-eval') can load it.
  -sDYNAMIC_EXECUTION=0
  # Binaryen inlines a function with one caller whatever its size, which
  # made one 230 KB function of the model reader and the layer catalog, and
  # 20 KB ones of each binding's setup. V8 recompiles a function for speed
  # once its loops have run long enough, in 50-200 ms of a core for one that
  # big, taken from the work on a process's or a page's first runs: only
  # small functions are inlined into their one caller (clang has already
  # inlined what the hot loops need).
  -sBINARYEN_EXTRA_PASSES=--one-caller-inline-max-function-size=100
)

# Out of memory must become an error message, not an abort: the core and the
# bindings are built with native WebAssembly exceptions so std::bad_alloc can
# be caught at the binding boundary (zero cost on the non-throwing path).
set(NCNN_INT8_WASM_EH -fwasm-exceptions)
target_compile_options(ncnn_int8_core PRIVATE ${NCNN_INT8_WASM_EH})

set(NCNN_INT8_JS_DIR "${CMAKE_CURRENT_SOURCE_DIR}/cmake")
set(NCNN_INT8_EXTERN_PRE "${NCNN_INT8_JS_DIR}/esm-node-shim.extern-pre.js")
set(NCNN_INT8_PRE "${NCNN_INT8_JS_DIR}/node-wasm-file.pre.js")
set(NCNN_INT8_MEMORY_PRE "${NCNN_INT8_JS_DIR}/memory-object.pre.js")

add_executable(ncnn_int8_wasm src/wasm/bindings.cpp src/wasm/llm_bindings.cpp src/wasm/calib_bindings.cpp
  src/cli/cli_args.cpp src/cli/warning_summary.cpp src/cli/ncnn2table_args.cpp)
target_link_libraries(ncnn_int8_wasm PRIVATE ncnn_int8_core)
target_compile_options(ncnn_int8_wasm PRIVATE ${NCNN_INT8_WASM_EH})
set_target_properties(ncnn_int8_wasm PROPERTIES
  SUFFIX ".mjs"
  RUNTIME_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}")
target_link_options(ncnn_int8_wasm PRIVATE
  ${NCNN_INT8_WASM_EH}
  -sEXPORT_NAME=createNcnnInt8Module
  ${NCNN_INT8_WASM_LINK_OPTIONS}
  "SHELL:--extern-pre-js ${NCNN_INT8_EXTERN_PRE}"
  "SHELL:--pre-js ${NCNN_INT8_PRE}"
  "SHELL:--pre-js ${NCNN_INT8_MEMORY_PRE}"
)
set_property(TARGET ncnn_int8_wasm APPEND PROPERTY LINK_DEPENDS "${NCNN_INT8_EXTERN_PRE};${NCNN_INT8_PRE};${NCNN_INT8_MEMORY_PRE}")

# ncnn2table with threads (Emscripten pthreads over SharedArrayBuffer), used
# where SharedArrayBuffer exists (Node; a page when crossOriginIsolated).
# Every object of a pthread build needs -pthread, so the parts calibration
# uses (core, model, kernels, engine, calib) are compiled a second time;
# the quantizer and the LLM tools are left out to keep this build short.
get_target_property(NCNN_INT8_CORE_SOURCES ncnn_int8_core SOURCES)
list(FILTER NCNN_INT8_CORE_SOURCES INCLUDE REGEX "^src/(core|model|engine|calib)/|^src/kernels/(kernels|engine_kernels|winograd_kernels)\\.cpp$")
add_library(ncnn_int8_calib_core_mt STATIC ${NCNN_INT8_CORE_SOURCES})
target_include_directories(ncnn_int8_calib_core_mt PUBLIC src "${CMAKE_BINARY_DIR}/generated")
target_include_directories(ncnn_int8_calib_core_mt SYSTEM PRIVATE ${STB_INCLUDE_SHIM})
target_link_libraries(ncnn_int8_calib_core_mt PUBLIC ncnn_int8_highway)
target_compile_options(ncnn_int8_calib_core_mt PRIVATE ${NCNN_INT8_WASM_EH} -pthread)
set_target_properties(ncnn_int8_calib_core_mt PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 16) # as the core

add_executable(ncnn_int8_calib_mt src/wasm/calib_bindings.cpp src/cli/ncnn2table_args.cpp)
target_link_libraries(ncnn_int8_calib_mt PRIVATE ncnn_int8_calib_core_mt)
target_compile_options(ncnn_int8_calib_mt PRIVATE ${NCNN_INT8_WASM_EH} -pthread)
set_target_properties(ncnn_int8_calib_mt PROPERTIES
  SUFFIX ".mjs"
  RUNTIME_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}")
set(NCNN_INT8_MT_POST "${NCNN_INT8_JS_DIR}/calib-mt.post.js")
target_link_options(ncnn_int8_calib_mt PRIVATE
  ${NCNN_INT8_WASM_EH}
  -pthread
  -sEXPORT_NAME=createNcnnInt8CalibModule
  # Workers started with the instance (the caller sets pthreadPoolSize to
  # the thread count it will ask for); more are made on demand, which
  # works because the calibration runs on a thread of its own and the JS
  # thread stays free.
  "-sPTHREAD_POOL_SIZE=Module.pthreadPoolSize|0"
  -sPTHREAD_POOL_SIZE_STRICT=0
  ${NCNN_INT8_WASM_LINK_OPTIONS}
  "SHELL:--extern-pre-js ${NCNN_INT8_EXTERN_PRE}"
  "SHELL:--pre-js ${NCNN_INT8_PRE}"
  "SHELL:--pre-js ${NCNN_INT8_MEMORY_PRE}"
  "SHELL:--post-js ${NCNN_INT8_MT_POST}"
)
set_property(TARGET ncnn_int8_calib_mt APPEND PROPERTY LINK_DEPENDS "${NCNN_INT8_EXTERN_PRE};${NCNN_INT8_PRE};${NCNN_INT8_MEMORY_PRE};${NCNN_INT8_MT_POST}")

# Code that runs once per call (reading the model, building the engine,
# options, weight scales, the table's text) is compiled for size here. V8
# recompiles a WebAssembly function for speed once its loops have run long
# enough, and its optimizing compiler takes 50-200 ms of a core for one of
# these functions at -O3 (everything they call inlined): on a page's first
# runs those compiles take the cores the calibration's threads run on.
set(NCNN_INT8_WASM_SETUP_SOURCES
  src/model/bin_reader.cpp src/model/model.cpp src/model/param_reader.cpp src/model/param_text.cpp src/model/shape_expr.cpp
  src/engine/engine.cpp src/engine/layer.cpp src/engine/layer_registry.cpp
  src/calib/calib_options.cpp src/calib/calibrate.cpp src/calib/engine_runner.cpp src/calib/list_file.cpp src/calib/npy_reader.cpp
  src/calib/table_writer.cpp src/calib/weight_scales.cpp)
set_source_files_properties(${NCNN_INT8_WASM_SETUP_SOURCES} PROPERTIES COMPILE_OPTIONS -Os)
