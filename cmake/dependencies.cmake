# Every third-party dependency, declared once. All come from Debian packages (see scripts/setup).
find_package(Eigen3 3.4 REQUIRED NO_MODULE)
# Debian ships GeographicLib's find module (not a config file) under /usr/share/cmake/geographiclib.
list(APPEND CMAKE_MODULE_PATH /usr/share/cmake/geographiclib)
find_package(GeographicLib REQUIRED)
find_package(yaml-cpp 0.7 REQUIRED)
find_package(nlohmann_json 3.11 REQUIRED)
find_package(CLI11 2.1 REQUIRED)
find_package(fmt 9 REQUIRED)
find_package(GTest 1.12 REQUIRED)
if(KOEPEL_BENCHMARKS)
  find_package(benchmark 1.7 REQUIRED)
endif()
find_package(Threads REQUIRED)
find_package(ZLIB REQUIRED)  # reads the gzip'd real ADS-B recording in tests
find_package(Protobuf REQUIRED)  # SAPIENT (BSI Flex 335): protoc + libprotobuf from Debian

if(NOT TARGET GeographicLib::GeographicLib)
  add_library(GeographicLib::GeographicLib INTERFACE IMPORTED)
  set_target_properties(GeographicLib::GeographicLib PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${GeographicLib_INCLUDE_DIRS}"
    INTERFACE_LINK_LIBRARIES "${GeographicLib_LIBRARIES}")
endif()
