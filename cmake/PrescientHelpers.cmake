# Helpers that keep every target declared the same way: one library per module with
# its dependencies written next to it, tests beside the code, benches and fuzzers apart.

# prescient_library(NAME SRCS a.cc b.cc DEPS other_lib ...)
function(prescient_library name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SRCS})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
  target_compile_options(${name} PRIVATE ${PRESCIENT_WARNINGS})
endfunction()

# prescient_test(NAME SRCS a_test.cc DEPS lib ... [LABELS l1 l2])
function(prescient_test name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SRCS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gmock GTest::gtest_main)
  target_compile_options(${name} PRIVATE ${PRESCIENT_WARNINGS})
  target_compile_definitions(${name} PRIVATE
    PRESCIENT_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    PRESCIENT_BINARY_DIR="${PROJECT_BINARY_DIR}")
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES LABELS "unit;${ARG_LABELS}" TIMEOUT 600)
endfunction()

# prescient_bench(NAME SRCS a_bench.cc DEPS lib ...): Google Benchmark binary, smoke-run
# by ctest under the label "bench" with a tiny min time (numbers come from `make bench`).
function(prescient_bench name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SRCS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} benchmark::benchmark)
  target_compile_options(${name} PRIVATE ${PRESCIENT_WARNINGS})
  add_test(NAME ${name}_smoke COMMAND ${name} --benchmark_min_time=0.001)
  set_tests_properties(${name}_smoke PROPERTIES LABELS "bench" TIMEOUT 600)
endfunction()

# prescient_fuzzer(NAME SRCS a_fuzzer.cc DEPS lib ... CORPUS dir): under clang with
# PRESCIENT_FUZZ=ON a libFuzzer binary; otherwise a replay main that runs every file of the
# seed corpus through the target, registered as an ordinary test.
function(prescient_fuzzer name)
  cmake_parse_arguments(ARG "" "CORPUS" "SRCS;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SRCS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
  if(PRESCIENT_FUZZ)
    target_compile_options(${name} PRIVATE -fsanitize=fuzzer)
    target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  else()
    target_sources(${name} PRIVATE ${PROJECT_SOURCE_DIR}/fuzz/replay_main.cc)
    add_test(NAME ${name}_replay COMMAND ${name} ${ARG_CORPUS})
    set_tests_properties(${name}_replay PROPERTIES LABELS "unit;fuzz" TIMEOUT 600)
  endif()
endfunction()
