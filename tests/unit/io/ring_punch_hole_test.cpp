// ring::punch_hole: fallocate(PUNCH_HOLE | KEEP_SIZE) through the ring
// (issue 7: the LU shell's deallocate step).
#include <algorithm>
#include <cerrno>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/ring.hpp"
#include "io_test_support.hpp"

using namespace stmfd::io;
using namespace stmfd::io::test;

TEST_CASE("punch_hole_frees_blocks_and_reads_zeros", "[io][ring][file]") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  temp_file f;
  auto data = pattern(4 << 20, 3);
  REQUIRE(::pwrite(f.fd, data.data(), data.size(), 0) == ssize_t(data.size()));
  REQUIRE(::fsync(f.fd) == 0);
  struct stat before {};
  REQUIRE(::fstat(f.fd, &before) == 0);
  ring r{ring::options{}};
  REQUIRE(r.ok());

  r.punch_hole(f.fd, 1 << 20, 2 << 20, self, 21);
  auto c = next_completion(self);
  CHECK(c.cookie == 21);
  REQUIRE(c.result == 0);

  struct stat after {};
  REQUIRE(::fstat(f.fd, &after) == 0);
  CHECK(after.st_size == before.st_size);                        // KEEP_SIZE
  CHECK(before.st_blocks - after.st_blocks >= (2 << 20) / 512);  // 2 MiB freed
  std::vector<uint8_t> back(data.size());
  REQUIRE(::pread(f.fd, back.data(), back.size(), 0) == ssize_t(back.size()));
  CHECK(std::equal(back.begin(), back.begin() + (1 << 20), data.begin()));
  CHECK(std::all_of(back.begin() + (1 << 20), back.begin() + (3 << 20), [](uint8_t b) { return b == 0; }));
  CHECK(std::equal(back.begin() + (3 << 20), back.end(), data.begin() + (3 << 20)));
}

TEST_CASE("punch_hole_argument_errors_complete_at_once", "[io][ring][file]") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  temp_file f;
  ring r{ring::options{}};
  r.punch_hole(-1, 0, 4096, self, 1);
  CHECK(next_completion(self).result == -EBADF);
  r.punch_hole(f.fd, UINT64_MAX - 10, 4096, self, 2);  // beyond off_t
  CHECK(next_completion(self).result == -EINVAL);
  r.punch_hole(f.fd, 4096, 0, self, 3);  // nothing to free
  auto c = next_completion(self);
  CHECK(c.cookie == 3);
  CHECK(c.result == 0);
  CHECK(r.submitted() == 3);
  CHECK(r.completed() == 3);
}
