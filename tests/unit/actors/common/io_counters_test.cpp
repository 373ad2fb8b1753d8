// The data path's statistics block (actors/common/io_counters.hpp).
#include <catch2/catch.hpp>

#include "actors/common/io_counters.hpp"

using namespace stmfd;

TEST_CASE("latency_bucket_boundaries", "[io_counters]") {
  CHECK(latency_bucket(0) == 0);
  CHECK(latency_bucket(1) == 0);     // 1 ns rounds up to 1 us
  CHECK(latency_bucket(1000) == 0);  // exactly 1 us
  CHECK(latency_bucket(1001) == 1);  // just over: <= 2 us
  CHECK(latency_bucket(2000) == 1);
  CHECK(latency_bucket(2001) == 2);
  CHECK(latency_bucket(4000) == 2);
  CHECK(latency_bucket(100000) == 7);  // 100 us <= 128 us
  CHECK(latency_bucket(latency_bound_us(latency_bounds - 1) * 1000) == latency_bounds - 1);
  CHECK(latency_bucket(latency_bound_us(latency_bounds - 1) * 1000 + 1000) == latency_bounds);  // +Inf
  CHECK(latency_bucket(UINT64_MAX / 2) == latency_bounds);
}

TEST_CASE("record_counts_bytes_only_for_good_and_errors_for_check_condition", "[io_counters]") {
  io_counters c;
  c.record(0x00, 4096, 0, 3000);   // GOOD read, 3 us
  c.record(0x00, 0, 8192, 50000);  // GOOD write, 50 us
  c.record(0x02, 512, 0, 1000);    // CHECK CONDITION: no bytes
  c.record(0x08, 0, 4096, 0);      // BUSY: neither bytes nor error
  auto s = c.snapshot();
  CHECK(s.commands == 4);
  CHECK(s.read_bytes == 4096);
  CHECK(s.written_bytes == 8192);
  CHECK(s.errors == 1);
  CHECK(s.latency_sum_ns == 54000);
  CHECK(s.latency[0] == 2);  // 1 us and 0
  CHECK(s.latency[2] == 1);  // 3 us <= 4 us
  CHECK(s.latency[6] == 1);  // 50 us <= 64 us
  uint64_t total = 0;
  for (auto n : s.latency) total += n;
  CHECK(total == s.commands);
}

TEST_CASE("snapshots_add_up", "[io_counters]") {
  io_counters a, b;
  a.record(0x00, 100, 0, 1500);
  b.record(0x02, 0, 0, 1500);
  b.record(0x00, 0, 7, 9000000000ull);
  io_snapshot sum = a.snapshot();
  sum += b.snapshot();
  CHECK(sum.commands == 3);
  CHECK(sum.read_bytes == 100);
  CHECK(sum.written_bytes == 7);
  CHECK(sum.errors == 1);
  CHECK(sum.latency[1] == 2);
  CHECK(sum.latency[latency_bounds] == 1);  // 9 s: slower than every bound
}
