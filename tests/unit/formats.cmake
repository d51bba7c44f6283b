# Unit tests of the record model (common/) and the file readers and writers
# (client/formats/). Included by tests/unit/CMakeLists.txt; needs the targets
# csperf_formats and PkgConfig::CMOCKA.
#
# Paths are taken from this file's place in the repository, so that the tests
# also build inside a project other than the repository's own. The shared
# test data (../shared/data, outside the repository) may be absent: the tests
# that need them then skip, saying why.
get_filename_component(CSPERF_FORMATS_TEST_ROOT "${CMAKE_CURRENT_LIST_DIR}/../.." ABSOLUTE)

foreach(formats_test dates schema ssda903 cin_xml csperf_csv)
  add_executable(unit_${formats_test} ${CMAKE_CURRENT_LIST_DIR}/test_${formats_test}.c)
  target_link_libraries(unit_${formats_test} PRIVATE csperf_formats PkgConfig::CMOCKA)
  target_compile_definitions(unit_${formats_test} PRIVATE
    CSPERF_SHARED_DATA="${CSPERF_FORMATS_TEST_ROOT}/../shared/data"
    CSPERF_FIXTURES="${CSPERF_FORMATS_TEST_ROOT}/tests/fixtures"
    CSPERF_DOCS="${CSPERF_FORMATS_TEST_ROOT}/docs"
    CSPERF_TEST_OUTPUT="${CMAKE_CURRENT_BINARY_DIR}")
  add_test(NAME unit_${formats_test} COMMAND unit_${formats_test})
  set_tests_properties(unit_${formats_test} PROPERTIES TIMEOUT 120 LABELS unit)
endforeach()
