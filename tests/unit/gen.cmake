# Unit test of csperf-gen (client/gen/): runs the generator and reads back
# everything it writes with the formats readers. Included by
# tests/unit/CMakeLists.txt; needs the targets csperf-gen, csperf_formats,
# PkgConfig::JANSSON and PkgConfig::CMOCKA. The test counts working days with
# the generator's own calendar (client/gen/gen_calendar.c).
if(TARGET csperf-gen)
  get_filename_component(CSPERF_GEN_TEST_ROOT "${CMAKE_CURRENT_LIST_DIR}/../.." ABSOLUTE)
  add_executable(unit_gen
    ${CMAKE_CURRENT_LIST_DIR}/test_gen.c
    ${CSPERF_GEN_TEST_ROOT}/client/gen/gen_calendar.c)
  target_include_directories(unit_gen PRIVATE ${CSPERF_GEN_TEST_ROOT}/client/gen)
  target_link_libraries(unit_gen PRIVATE csperf_formats PkgConfig::JANSSON PkgConfig::CMOCKA)
  target_compile_definitions(unit_gen PRIVATE
    CSPERF_GEN_BINARY="$<TARGET_FILE:csperf-gen>"
    CSPERF_TEST_OUTPUT="${CMAKE_CURRENT_BINARY_DIR}")
  add_dependencies(unit_gen csperf-gen)
  add_test(NAME unit_gen COMMAND unit_gen)
  set_tests_properties(unit_gen PROPERTIES TIMEOUT 300 LABELS unit)
endif()
