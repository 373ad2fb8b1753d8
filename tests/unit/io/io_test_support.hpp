#pragma once

#include <chrono>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include <unistd.h>

#include <caf/all.hpp>
#include <catch2/catch.hpp>

#include "io/completion.hpp"

namespace stmfd::io::test {

// A scratch file in TMPDIR, unlinked (and closed) on destruction.
struct temp_file {
  int fd = -1;
  std::string path;

  temp_file() {
    const char* dir = std::getenv("TMPDIR");
    path = std::string(dir ? dir : "/tmp") + "/stmfd_io_test_XXXXXX";
    std::vector<char> tmpl(path.begin(), path.end());
    tmpl.push_back('\0');
    fd = ::mkstemp(tmpl.data());
    path.assign(tmpl.data());
    REQUIRE(fd >= 0);
  }
  ~temp_file() {
    if (fd >= 0) ::close(fd);
    ::unlink(path.c_str());
  }
};

struct fd_pair {
  int fd[2] = {-1, -1};
  ~fd_pair() {
    for (int f : fd)
      if (f >= 0) ::close(f);
  }
};

// Next completion, or {0, INT32_MIN} after `timeout`.
inline completion next_completion(caf::scoped_actor& self,
                                  std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  completion out{0, INT32_MIN};
  self->receive([&](const completion& c) { out = c; }, caf::after(timeout) >> [] {});
  return out;
}

// Asserts that no completion arrives within `quiet`.
inline void require_no_completion(caf::scoped_actor& self,
                                  std::chrono::milliseconds quiet = std::chrono::milliseconds(200)) {
  bool got = false;
  completion extra{};
  self->receive(
      [&](const completion& c) {
        got = true;
        extra = c;
      },
      caf::after(quiet) >> [] {});
  INFO("unexpected completion cookie " << extra.cookie << " result " << extra.result);
  REQUIRE_FALSE(got);
}

inline std::vector<uint8_t> pattern(size_t n, uint32_t seed) {
  std::vector<uint8_t> v(n);
  uint32_t x = seed * 2654435761u + 1;
  for (auto& b : v) {
    x = x * 1103515245u + 12345u;
    b = static_cast<uint8_t>(x >> 16);
  }
  return v;
}

}  // namespace stmfd::io::test
