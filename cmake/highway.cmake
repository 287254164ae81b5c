# Google Highway from Debian's libhwy-dev. Natively: the hwy library, with
# dynamic dispatch over every target Highway compiles. WASM: header-only,
# static dispatch to WASM SIMD128 (emcc does not see /usr/include, so a
# folder holding only a link to hwy/ is put on its include path).
add_library(ncnn_int8_highway INTERFACE)
if(EMSCRIPTEN)
  set(HWY_INCLUDE_SHIM ${CMAKE_BINARY_DIR}/hwy-include)
  file(MAKE_DIRECTORY ${HWY_INCLUDE_SHIM})
  if(NOT EXISTS ${HWY_INCLUDE_SHIM}/hwy)
    file(CREATE_LINK /usr/include/hwy ${HWY_INCLUDE_SHIM}/hwy SYMBOLIC)
  endif()
  target_include_directories(ncnn_int8_highway SYSTEM INTERFACE ${HWY_INCLUDE_SHIM})
  target_compile_definitions(ncnn_int8_highway INTERFACE NCNN_INT8_STATIC_DISPATCH)
  target_compile_options(ncnn_int8_highway INTERFACE -msimd128)
else()
  find_package(hwy CONFIG QUIET)
  if(TARGET hwy::hwy)
    target_link_libraries(ncnn_int8_highway INTERFACE hwy::hwy)
  else()
    find_library(HWY_LIBRARY hwy REQUIRED)
    target_link_libraries(ncnn_int8_highway INTERFACE ${HWY_LIBRARY})
  endif()
endif()
