include(GoogleTest)

# Helpers that keep each module's CMakeLists a few lines long (after Abseil's absl_cc_library).
#
#   koepel_cc_library(NAME tracking HDRS tracking.h SRCS kalman.cc DEPS koepel::model)
#     -> target koepel_tracking, alias koepel::tracking. Only HDRS is the public face; the
#        layering check (tools/check_layering.py) rejects includes of anything else.
#   koepel_cc_test(NAME kalman_test SRCS kalman_test.cc DEPS koepel::tracking [LABELS scenario])
#   koepel_cc_fuzz(NAME asterix_fuzz SRCS asterix_fuzz.cc CORPUS asterix_corpus DEPS ...)
#     -> a libFuzzer target under KOEPEL_FUZZ, and always a corpus-replay test (label fuzz-corpus).
#   koepel_cc_bench(NAME tracker_benchmark SRCS tracker_benchmark.cc DEPS ...)

set(KOEPEL_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
    -Wcast-align -Woverloaded-virtual -Wimplicit-fallthrough)
if(KOEPEL_WERROR)
  list(APPEND KOEPEL_WARNINGS -Werror)
endif()
set(KOEPEL_SANITIZER_FLAGS)
if(KOEPEL_FUZZ)
  # Coverage feedback must reach the parsers in the libraries, not only the fuzz entry point.
  set(KOEPEL_SANITIZER_FLAGS -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
elseif(KOEPEL_SANITIZE)
  set(KOEPEL_SANITIZER_FLAGS -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
endif()

function(_koepel_common target)
  target_compile_options(${target} PRIVATE ${KOEPEL_WARNINGS} ${KOEPEL_SANITIZER_FLAGS})
  target_link_options(${target} PRIVATE ${KOEPEL_SANITIZER_FLAGS})
endfunction()

function(koepel_cc_library)
  cmake_parse_arguments(K "" "NAME" "HDRS;SRCS;DEPS" ${ARGN})
  set(target koepel_${K_NAME})
  if(K_SRCS)
    add_library(${target} STATIC ${K_SRCS} ${K_HDRS})
    target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(${target} PUBLIC ${K_DEPS})
    _koepel_common(${target})
    target_link_options(${target} INTERFACE ${KOEPEL_SANITIZER_FLAGS})
  else()
    add_library(${target} INTERFACE)
    target_include_directories(${target} INTERFACE ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(${target} INTERFACE ${K_DEPS})
  endif()
  add_library(koepel::${K_NAME} ALIAS ${target})
endfunction()

function(koepel_cc_test)
  cmake_parse_arguments(K "" "NAME" "SRCS;DEPS;LABELS" ${ARGN})
  add_executable(${K_NAME} ${K_SRCS})
  target_link_libraries(${K_NAME} PRIVATE ${K_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  target_compile_definitions(${K_NAME} PRIVATE
    KOEPEL_SHARED_DATA="${KOEPEL_SHARED_DATA}" KOEPEL_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  _koepel_common(${K_NAME})
  set(labels unit)
  if(K_LABELS)
    set(labels ${K_LABELS})
  endif()
  gtest_discover_tests(${K_NAME} PROPERTIES LABELS "${labels}" DISCOVERY_TIMEOUT 60)
endfunction()

function(koepel_cc_fuzz)
  cmake_parse_arguments(K "" "NAME;CORPUS" "SRCS;DEPS" ${ARGN})
  # The corpus replays through a tiny driver under plain ctest, so CI needs no fuzzing engine.
  add_executable(${K_NAME}_replay ${K_SRCS} ${PROJECT_SOURCE_DIR}/test/fuzz_replay_main.cc)
  target_link_libraries(${K_NAME}_replay PRIVATE ${K_DEPS})
  _koepel_common(${K_NAME}_replay)
  add_test(NAME ${K_NAME}_corpus
           COMMAND ${K_NAME}_replay ${CMAKE_CURRENT_SOURCE_DIR}/${K_CORPUS})
  set_tests_properties(${K_NAME}_corpus PROPERTIES LABELS fuzz-corpus)
  if(KOEPEL_FUZZ)
    add_executable(${K_NAME} ${K_SRCS})
    target_link_libraries(${K_NAME} PRIVATE ${K_DEPS})
    target_compile_options(${K_NAME} PRIVATE -fsanitize=fuzzer,address,undefined)
    target_link_options(${K_NAME} PRIVATE -fsanitize=fuzzer,address,undefined)
    set_property(GLOBAL APPEND PROPERTY KOEPEL_FUZZERS "${K_NAME}=${CMAKE_CURRENT_SOURCE_DIR}/${K_CORPUS}")
  endif()
endfunction()

function(koepel_cc_bench)
  cmake_parse_arguments(K "" "NAME" "SRCS;DEPS" ${ARGN})
  if(NOT KOEPEL_BENCHMARKS)
    return()
  endif()
  add_executable(${K_NAME} ${K_SRCS})
  target_link_libraries(${K_NAME} PRIVATE ${K_DEPS} benchmark::benchmark)
  target_compile_definitions(${K_NAME} PRIVATE KOEPEL_SHARED_DATA="${KOEPEL_SHARED_DATA}")
  _koepel_common(${K_NAME})
  # Benchmarks are registered so they can be run through ctest, but only under the bench label.
  add_test(NAME ${K_NAME} COMMAND ${K_NAME} --benchmark_min_time=0.05)
  set_tests_properties(${K_NAME} PROPERTIES LABELS "bench;slow")
endfunction()
