#include <cstdint>
#include <cstring>
#include <set>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "io/buffer_pool.hpp"

using stmfd::io::buffer;
using stmfd::io::buffer_pool;

TEST_CASE("buffer_pool_classes_and_alignment", "[io][buffer_pool]") {
  buffer_pool pool;
  struct want {
    uint32_t size;
    uint32_t capacity;
    uint16_t cls;
  };
  for (auto w : {want{0, 4096, 0}, want{1, 4096, 0}, want{4096, 4096, 0}, want{4097, 8192, 1}, want{65536, 65536, 4},
                 want{(16u << 20), (16u << 20), 12}}) {
    buffer b = pool.acquire(w.size);
    REQUIRE(b);
    CHECK(b.size == w.size);
    CHECK(b.capacity == w.capacity);
    CHECK(b.cls == w.cls);
    CHECK(reinterpret_cast<uintptr_t>(b.data) % 4096 == 0);
    std::memset(b.data, 0xab, b.capacity);  // the whole capacity is usable
    pool.release(b);
    CHECK_FALSE(b);
    CHECK(b.data == nullptr);
    CHECK(b.capacity == 0);
  }
}

TEST_CASE("buffer_pool_oversize_is_direct", "[io][buffer_pool]") {
  buffer_pool pool;
  buffer b = pool.acquire((16u << 20) + 1);
  REQUIRE(b);
  CHECK(b.cls == buffer_pool::oversize_class);
  CHECK(b.capacity == (16u << 20) + 4096);
  CHECK(reinterpret_cast<uintptr_t>(b.data) % 4096 == 0);
  b.data[b.capacity - 1] = 1;
  pool.release(b);
  CHECK_FALSE(b);
  for (uint16_t c = 0; c < buffer_pool::class_count; ++c) CHECK(pool.cached(c) == 0);
}

TEST_CASE("buffer_pool_reuses_released_buffers_up_to_the_limit", "[io][buffer_pool]") {
  buffer_pool pool(16384);  // four 4 KiB buffers, one 16 MiB buffer
  CHECK(pool.cache_limit(0) == 4);
  CHECK(pool.cache_limit(2) == 1);
  CHECK(pool.cache_limit(12) == 1);

  buffer a = pool.acquire(100);
  uint8_t* first = a.data;
  pool.release(a);
  CHECK(pool.cached(0) == 1);
  buffer again = pool.acquire(4000);
  CHECK(again.data == first);  // came from the cache
  CHECK(pool.cached(0) == 0);
  pool.release(again);

  std::vector<buffer> many;
  for (int i = 0; i < 6; ++i) many.push_back(pool.acquire(4096));
  std::set<uint8_t*> distinct;
  for (auto& b : many) distinct.insert(b.data);
  CHECK(distinct.size() == 6);
  for (auto& b : many) pool.release(b);
  CHECK(pool.cached(0) == 4);  // the other two went back to the heap

  buffer empty;
  pool.release(empty);  // no-op
  CHECK(pool.cached(0) == 4);

  buffer_pool none(0);
  buffer n = none.acquire(10);
  none.release(n);
  CHECK(none.cached(0) == 0);
}

TEST_CASE("buffer_pool_is_thread_safe", "[io][buffer_pool]") {
  // Each thread stamps its buffers and checks the stamp survives: two owners
  // of one buffer at a time would break it.
  buffer_pool pool(1 << 20);
  constexpr int threads = 4;
  constexpr int rounds = 20000;
  std::vector<std::thread> ts;
  std::vector<int> errors(threads, 0);
  for (int t = 0; t < threads; ++t)
    ts.emplace_back([&, t] {
      std::vector<buffer> held;
      for (int i = 0; i < rounds; ++i) {
        const uint32_t size = 4096u << (i % 4);
        buffer b = pool.acquire(size);
        if (!b || b.capacity < size || reinterpret_cast<uintptr_t>(b.data) % 4096 != 0) {
          ++errors[t];
          continue;
        }
        const uint32_t stamp = (uint32_t(t) << 24) | uint32_t(i);
        std::memcpy(b.data, &stamp, 4);
        std::memcpy(b.data + b.capacity - 4, &stamp, 4);
        held.push_back(b);
        if (held.size() > 8 || i % 3 == 0) {
          for (auto& h : held) {
            uint32_t s1, s2;
            std::memcpy(&s1, h.data, 4);
            std::memcpy(&s2, h.data + h.capacity - 4, 4);
            if (s1 != s2 || (s1 >> 24) != uint32_t(t)) ++errors[t];
            pool.release(h);
          }
          held.clear();
        }
      }
      for (auto& h : held) pool.release(h);
    });
  for (auto& t : ts) t.join();
  for (int t = 0; t < threads; ++t) CHECK(errors[t] == 0);
  for (uint16_t c = 0; c < buffer_pool::class_count; ++c) CHECK(pool.cached(c) <= pool.cache_limit(c));
}

TEST_CASE("buffer_pool_global_is_one_instance", "[io][buffer_pool]") {
  CHECK(&buffer_pool::global() == &buffer_pool::global());
  buffer b = buffer_pool::global().acquire(8192);
  REQUIRE(b);
  CHECK(b.capacity == 8192);
  buffer_pool::global().release(b);
}
