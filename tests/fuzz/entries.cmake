# The fuzz targets' entry functions (fuzz_entries.h), compiled once for the
# fuzz targets, the seed maker and the regression replay.
if(NOT TARGET ncnn_int8_fuzz_entries)
  add_library(ncnn_int8_fuzz_entries STATIC
    ${CMAKE_CURRENT_LIST_DIR}/fuzz_entries.cpp
    ${CMAKE_CURRENT_LIST_DIR}/fuzz_llm.cpp
    ${CMAKE_SOURCE_DIR}/src/cli/ncnn2table_args.cpp)
  target_link_libraries(ncnn_int8_fuzz_entries PUBLIC ncnn_int8_core)
  target_compile_options(ncnn_int8_fuzz_entries PRIVATE ${NCNN_INT8_FUZZ_COVERAGE})
  target_include_directories(ncnn_int8_fuzz_entries PUBLIC ${CMAKE_CURRENT_LIST_DIR})
endif()
