// The daemon-wide byte cap of io::buffer_pool: filled to the cap, refusal,
// release, cached buffers charged and evicted, memory given back by trim().
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "io/buffer_pool.hpp"

using stmfd::io::buffer;
using stmfd::io::buffer_pool;

namespace {

constexpr uint32_t kib = 1024, mib = 1024 * 1024;

// Resident set of this process in bytes (/proc/self/statm, second field).
uint64_t resident_bytes() {
  long pages = 0, resident = 0;
  FILE* f = std::fopen("/proc/self/statm", "r");
  REQUIRE(f != nullptr);
  REQUIRE(std::fscanf(f, "%ld %ld", &pages, &resident) == 2);
  std::fclose(f);
  return uint64_t(resident) * uint64_t(sysconf(_SC_PAGESIZE));
}

}  // namespace

TEST_CASE("acquire_fills_to_the_cap_then_refuses_until_a_release", "[io][buffer_pool][cap]") {
  buffer_pool pool(0, 1 * mib);  // no cache: only the cap decides
  std::vector<buffer> held;
  for (;;) {
    buffer b = pool.acquire(64 * kib);
    if (!b) break;
    std::memset(b.data, 1, b.capacity);
    held.push_back(b);
    REQUIRE(held.size() <= 16);
  }
  CHECK(held.size() == 16);  // exactly cap / 64 KiB
  CHECK(pool.in_use() == 1 * mib);
  CHECK(pool.available() == 0);
  CHECK(pool.refusals() == 1);
  CHECK_FALSE(pool.acquire(1));  // even the smallest class is refused at the cap
  CHECK(pool.refusals() == 2);

  pool.release(held.back());
  held.pop_back();
  CHECK(pool.in_use() == 1 * mib - 64 * kib);
  buffer again = pool.acquire(64 * kib);
  CHECK(again);
  CHECK_FALSE(pool.acquire(4 * kib));
  pool.release(again);
  for (auto& b : held) pool.release(b);
  CHECK(pool.in_use() == 0);
}

TEST_CASE("a_request_larger_than_the_cap_is_refused_whatever_is_free", "[io][buffer_pool][cap]") {
  buffer_pool pool(0, 1 * mib);
  CHECK_FALSE(pool.acquire(1 * mib + 1));  // 2 MiB class
  CHECK(pool.refusals() == 1);
  buffer whole = pool.acquire(1 * mib);
  CHECK(whole);
  CHECK(whole.capacity == 1 * mib);
  pool.release(whole);

  buffer_pool big(0, 40 * mib);
  buffer over = big.acquire(17 * mib);  // oversize blocks are charged too
  REQUIRE(over);
  CHECK(over.cls == buffer_pool::oversize_class);
  CHECK(big.in_use() == 17 * mib);
  CHECK_FALSE(big.acquire(24 * mib));
  big.release(over);
  CHECK(big.in_use() == 0);
}

TEST_CASE("cached_buffers_are_charged_and_evicted_for_another_class", "[io][buffer_pool][cap]") {
  buffer_pool pool(1 * mib, 1 * mib);  // each class may cache up to the whole cap
  std::vector<buffer> held;
  for (int i = 0; i < 16; ++i) held.push_back(pool.acquire(64 * kib));
  for (auto& b : held) REQUIRE(b);
  for (auto& b : held) pool.release(b);
  CHECK(pool.in_use() == 0);
  CHECK(pool.cached_bytes() == 1 * mib);  // charged while cached
  CHECK(pool.cached(4) == 16);

  // A 512 KiB buffer fits only once eight cached 64 KiB buffers are freed.
  buffer large = pool.acquire(512 * kib);
  REQUIRE(large);
  CHECK(pool.in_use() == 512 * kib);
  CHECK(pool.cached_bytes() == 512 * kib);
  CHECK(pool.in_use() + pool.cached_bytes() <= pool.cap());
  CHECK(pool.refusals() == 0);

  // The remaining cache serves its own class without any new charge.
  std::vector<buffer> again;
  for (int i = 0; i < 8; ++i) again.push_back(pool.acquire(64 * kib));
  for (auto& b : again) CHECK(b);
  CHECK(pool.cached_bytes() == 0);
  CHECK_FALSE(pool.acquire(64 * kib));
  for (auto& b : again) pool.release(b);
  pool.release(large);
  CHECK(pool.in_use() == 0);
}

TEST_CASE("trim_frees_the_cache_and_trim_if_idle_waits_for_quiet", "[io][buffer_pool][cap]") {
  buffer_pool pool(4 * mib, 64 * mib);
  buffer a = pool.acquire(256 * kib), b = pool.acquire(8 * kib);
  REQUIRE(a);
  REQUIRE(b);
  pool.release(a);
  pool.release(b);
  CHECK(pool.cached_bytes() == 256 * kib + 8 * kib);
  CHECK_FALSE(pool.trim_if_idle());  // there was activity since the last look
  CHECK(pool.trim_if_idle());        // quiet since: trimmed
  CHECK(pool.cached_bytes() == 0);
  CHECK(pool.cached(6) == 0);
  CHECK_FALSE(pool.trim_if_idle());  // nothing left to give back
  pool.request_trim();
  CHECK(pool.trim_if_idle());  // asked to return heap pages even with no cache
  CHECK_FALSE(pool.trim_if_idle());

  buffer c = pool.acquire(8 * kib);
  pool.release(c);
  CHECK(pool.trim() == 8 * kib);
  CHECK(pool.cached_bytes() == 0);
}

TEST_CASE("released_and_trimmed_buffers_leave_the_resident_set", "[io][buffer_pool][cap]") {
  // 96 MiB touched, released into the cache, then trimmed: resident memory
  // falls back near where it started (the pages went back to the kernel).
  buffer_pool pool(96 * mib, 128 * mib);
  const uint64_t before = resident_bytes();
  std::vector<buffer> held;
  for (int i = 0; i < 96; ++i) {
    buffer b = pool.acquire(1 * mib);
    REQUIRE(b);
    std::memset(b.data, 0x5a, b.capacity);
    held.push_back(b);
  }
  const uint64_t full = resident_bytes();
  CHECK(full >= before + 90 * uint64_t(mib));
  for (auto& b : held) pool.release(b);
  CHECK(pool.cached_bytes() == 96 * uint64_t(mib));
  CHECK(resident_bytes() >= before + 90 * uint64_t(mib));  // cached: still resident
  pool.trim();
  const uint64_t after = resident_bytes();
  INFO("resident before " << before << " full " << full << " after trim " << after);
  CHECK(after <= before + 4 * uint64_t(mib));
}

TEST_CASE("concurrent_acquires_never_exceed_the_cap", "[io][buffer_pool][cap]") {
  constexpr uint64_t cap = 1 * mib;  // below what even one thread tries to hold (about 1.9 MiB)
  buffer_pool pool(512 * kib, cap);
  // held_bytes counts what the threads hold; it never exceeds in_use().
  std::atomic<uint64_t> held_bytes{0}, peak{0};
  std::atomic<int> refused{0};
  std::vector<std::thread> ts;
  for (int t = 0; t < 4; ++t)
    ts.emplace_back([&, t] {
      std::vector<buffer> held;
      for (int i = 0; i < 5000; ++i) {
        buffer b = pool.acquire((64 * kib) << ((i + t) % 4));  // 64 KiB .. 512 KiB
        if (!b) {
          ++refused;
        } else {
          uint64_t now = held_bytes += b.capacity;
          uint64_t p = peak.load();
          while (now > p && !peak.compare_exchange_weak(p, now)) {
          }
          held.push_back(b);
        }
        if (held.size() >= 8 || !b) {
          for (auto& h : held) {
            held_bytes -= h.capacity;
            pool.release(h);
          }
          held.clear();
        }
      }
      for (auto& h : held) {
        held_bytes -= h.capacity;
        pool.release(h);
      }
    });
  for (auto& t : ts) t.join();
  CHECK(peak <= cap);
  CHECK(refused > 0);  // the cap was reached
  CHECK(pool.in_use() == 0);
  CHECK(pool.cached_bytes() <= cap);
}
