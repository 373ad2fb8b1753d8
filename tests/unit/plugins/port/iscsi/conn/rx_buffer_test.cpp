// rx_buffer: 16 KiB of its own, a pool buffer only while needed.
#include <cstring>

#include <catch2/catch.hpp>

#include "conn_fixture.hpp"
#include "plugins/port/iscsi/rx_buffer.hpp"

using stmfd::io::buffer_pool;
using stmfd::iscsi::rx_buffer;

TEST_CASE("rx_buffer_grows_into_the_pool_keeps_unparsed_bytes_and_shrinks_back", "[iscsi][rx_buffer][bounds]") {
  auto& pool = buffer_pool::global();
  uint64_t before = pool.in_use();
  rx_buffer rx;
  CHECK(rx.capacity() == rx_buffer::small_bytes);
  CHECK_FALSE(rx.large());
  std::memset(rx.tail(), 0xab, 1000);
  rx.produced(1000);
  rx.consume(100);
  CHECK(rx.fit(900));  // fits already
  CHECK_FALSE(rx.large());
  REQUIRE(rx.fit(300 * 1024));
  CHECK(rx.large());
  CHECK(rx.capacity() >= 300 * 1024);
  CHECK(pool.in_use() == before + buffer_pool::charge_of(300 * 1024));
  REQUIRE(rx.size() == 900);
  CHECK(rx.data()[0] == 0xab);
  CHECK(rx.data()[899] == 0xab);
  rx.consume(900);
  rx.shrink();
  CHECK_FALSE(rx.large());
  CHECK(rx.capacity() == rx_buffer::small_bytes);
  CHECK(pool.in_use() == before);
  rx.release();
  CHECK(rx.capacity() == 0);
}

TEST_CASE("rx_buffer_growth_refused_by_the_pool_changes_nothing", "[iscsi][rx_buffer][bounds]") {
  stmfd::iscsi::test::pool_cap_guard cap(128 * 1024);
  rx_buffer rx;
  std::memset(rx.tail(), 1, 500);
  rx.produced(500);
  CHECK_FALSE(rx.fit(1024 * 1024));
  CHECK_FALSE(rx.large());
  CHECK(rx.size() == 500);
  CHECK(rx.capacity() == rx_buffer::small_bytes);
  CHECK(rx.fit(100 * 1024));  // within the cap
  CHECK(rx.large());
}
