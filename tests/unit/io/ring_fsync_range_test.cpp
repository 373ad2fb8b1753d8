// ring::fsync over a byte range (issue 10 section 3): the SQE carries the
// range as io_uring/sync.c reads it, argument errors complete at once, and
// on a real file the kernel writes back the range's dirty pages only.
#include <cerrno>
#include <cstring>
#include <tuple>

#include <unistd.h>

#include "io/detail/fsync_range.hpp"
#include "io/ring.hpp"
#include "io_test_support.hpp"
#include "tests/support/page_cache.hpp"

using namespace stmfd::io;
using namespace stmfd::io::test;
using stmfd::test::page_cache_of;

namespace {
// A ring, a temporary file and an actor to receive the completions.
struct ring_env {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  temp_file f;
  ring r{ring::options{}};
  ring_env() { REQUIRE(r.ok()); }
  std::tuple<caf::scoped_actor&, temp_file&, ring&> parts() { return {self, f, r}; }
};
}  // namespace

TEST_CASE("fsync_sqe_carries_the_range", "[io][ring][fsync]") {
  io_uring_sqe sqe;
  std::memset(&sqe, 0xff, sizeof sqe);
  detail::prep_fsync(&sqe, 7, true, 1 << 20, 4096);
  CHECK(sqe.opcode == IORING_OP_FSYNC);
  CHECK(sqe.fd == 7);
  CHECK(sqe.fsync_flags == IORING_FSYNC_DATASYNC);
  CHECK(sqe.off == (1u << 20));
  CHECK(sqe.len == 4096u);

  detail::prep_fsync(&sqe, 7, false, 12345, 0);  // len 0: the whole file, offset dropped
  CHECK(sqe.fsync_flags == 0u);
  CHECK(sqe.off == 0u);
  CHECK(sqe.len == 0u);

  detail::prep_fsync(&sqe, 7, true, 4096, uint64_t(UINT32_MAX) + 1);  // too long for sqe->len: whole file
  CHECK(sqe.off == 0u);
  CHECK(sqe.len == 0u);
  detail::prep_fsync(&sqe, 7, true, 4096, UINT32_MAX);  // the longest range it can carry
  CHECK(sqe.off == 4096u);
  CHECK(sqe.len == UINT32_MAX);
}

TEST_CASE("fsync_range_argument_errors", "[io][ring][fsync]") {
  ring_env e;
  auto [self, f, r] = e.parts();
  r.fsync(-1, true, self, 1, 0, 4096);
  CHECK(next_completion(self).result == -EBADF);
  r.fsync(f.fd, true, self, 2, uint64_t(INT64_MAX) + 1, 4096);  // beyond off_t
  CHECK(next_completion(self).result == -EINVAL);
  r.fsync(f.fd, true, self, 3, INT64_MAX - 10, 4096);  // its end beyond off_t
  CHECK(next_completion(self).result == -EINVAL);
  r.fsync(f.fd, true, self, 4, 1 << 20, 0);  // whole file
  auto c = next_completion(self);
  CHECK(c.cookie == 4);
  CHECK(c.result == 0);
  r.fsync(f.fd, true, self, 5, 0, uint64_t(1) << 40);  // whole file
  CHECK(next_completion(self).result == 0);
  CHECK(r.submitted() == r.completed());
}

// Two dirty regions; a ranged fdatasync of the first must leave the
// second dirty (a whole-file one would clean both), then a whole-file one
// cleans the rest. Background writeback could clean the second region on
// its own (after dirty_expire, 30 s by default): each attempt takes
// milliseconds, and one attempt where it stayed dirty suffices.
TEST_CASE("ranged_fdatasync_writes_back_its_range_only", "[io][ring][fsync]") {
  ring_env e;
  auto [self, f, r] = e.parts();
  constexpr uint64_t mib = 1 << 20, a = 0, b = 8 * mib;
  if (!page_cache_of(f.fd, 0, 0)) {
    WARN("cachestat(2) unavailable (kernel before 6.5): the range is checked in the SQE only");
    return;
  }
  bool other_left_dirty = false;
  for (int attempt = 0; attempt < 3 && !other_left_dirty; ++attempt) {
    auto data = pattern(mib, attempt + 1);
    REQUIRE(::pwrite(f.fd, data.data(), mib, a) == ssize_t(mib));
    REQUIRE(::pwrite(f.fd, data.data(), mib, b) == ssize_t(mib));
    r.fsync(f.fd, true, self, 10 + attempt, a, mib);
    REQUIRE(next_completion(self).result == 0);
    auto in_range = page_cache_of(f.fd, a, mib), other = page_cache_of(f.fd, b, mib);
    REQUIRE(in_range);
    REQUIRE(other);
    CHECK(in_range->cached == mib / uint64_t(::sysconf(_SC_PAGESIZE)));
    CHECK(in_range->unsynced() == 0);  // the range is on stable storage
    other_left_dirty = other->dirty > 0;
  }
  CHECK(other_left_dirty);
  r.fsync(f.fd, true, self, 20);  // the whole file
  REQUIRE(next_completion(self).result == 0);
  CHECK(page_cache_of(f.fd, 0, 0)->unsynced() == 0);
}
