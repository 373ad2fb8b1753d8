# Imported targets for the fixed dependency set (Debian 12 packages):
# CAF 0.17.6 (no CMake config shipped), liburing 2.3, Cap'n Proto 0.9.2,
# nettle, ISA-L, spdlog with fmt, libsystemd, Catch2 v2 (tests only).
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)

find_path(CAF_INCLUDE_DIR caf/all.hpp REQUIRED)
find_library(CAF_CORE_LIBRARY caf_core REQUIRED)
find_library(CAF_IO_LIBRARY caf_io REQUIRED)
add_library(caf::core UNKNOWN IMPORTED)
set_target_properties(caf::core PROPERTIES
  IMPORTED_LOCATION "${CAF_CORE_LIBRARY}"
  INTERFACE_INCLUDE_DIRECTORIES "${CAF_INCLUDE_DIR}"
  INTERFACE_LINK_LIBRARIES Threads::Threads)
add_library(caf::io UNKNOWN IMPORTED)
set_target_properties(caf::io PROPERTIES
  IMPORTED_LOCATION "${CAF_IO_LIBRARY}"
  INTERFACE_LINK_LIBRARIES caf::core)

pkg_check_modules(URING REQUIRED IMPORTED_TARGET liburing>=2.3)

find_package(CapnProto CONFIG REQUIRED)

# stmfadm's command line (header-only CLI11 2.1) and line editing (libedit).
find_package(CLI11 CONFIG REQUIRED)

# Libraries found through pkg-config, each as PkgConfig::<PREFIX>. A missing
# one stops the configure step naming the Debian package that provides it.
function(stmfd_require_pkg prefix module debian_package)
  pkg_check_modules(${prefix} QUIET IMPORTED_TARGET GLOBAL ${module})
  if(NOT ${prefix}_FOUND)
    message(FATAL_ERROR "stmfd needs ${module} (pkg-config module '${module}', Debian package "
      "${debian_package}); install it with scripts/deps or apt-get install ${debian_package}")
  endif()
endfunction()

stmfd_require_pkg(NETTLE nettle nettle-dev)              # MD5 for CHAP
stmfd_require_pkg(FMT "fmt>=9" libfmt-dev)               # log formatting
stmfd_require_pkg(SPDLOG "spdlog>=1.10" libspdlog-dev)   # log sinks
stmfd_require_pkg(SYSTEMD libsystemd libsystemd-dev)     # journald output
stmfd_require_pkg(ISAL libisal libisal-dev)              # CRC32C (see docs/crc32c.md)
stmfd_require_pkg(ZLIB zlib zlib1g-dev)                  # FC CRC-32 (FCoE, wire/fc/fcoe.cpp)
stmfd_require_pkg(LIBEDIT libedit libedit-dev)          # stmfadm interactive mode
stmfd_require_pkg(LIBISCSI libiscsi libiscsi-dev)        # tests/tools/iscsi_pattern (a test client only)

# The fuzz build (STMFD_FUZZ, tests/fuzz): clang-14 with libFuzzer, ASan and
# UBSan from libclang-rt-14-dev.
if(STMFD_FUZZ)
  include(CheckCXXSourceCompiles)
  set(CMAKE_REQUIRED_LINK_OPTIONS -fsanitize=fuzzer,address,undefined)
  check_cxx_source_compiles("
    #include <cstddef>
    #include <cstdint>
    extern \"C\" int LLVMFuzzerTestOneInput(const uint8_t*, size_t) { return 0; }" STMFD_HAVE_LIBFUZZER)
  unset(CMAKE_REQUIRED_LINK_OPTIONS)
  if(NOT STMFD_HAVE_LIBFUZZER)
    message(FATAL_ERROR "STMFD_FUZZ needs libFuzzer and the sanitizer runtimes (Debian packages clang-14 "
      "libclang-rt-14-dev; scripts/deps installs them)")
  endif()
endif()
