#include <algorithm>
#include <iterator>

#include <catch2/catch.hpp>

#include "disk_fixture.hpp"

using namespace sbd_test;

TEST_CASE("read_capacity10_bytes", "[sbd][capacity]") {
  fixture f;
  auto r = f.run({0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0});
  REQUIRE(is_good(r));
  CHECK(r.data == bytes{0x00, 0x00, 0x03, 0xE7, 0x00, 0x00, 0x02, 0x00});
}

TEST_CASE("read_capacity10_saturates_for_large_lu", "[sbd][capacity]") {
  fixture f(test_geometry(0x200000000ull, 4096));
  auto r = f.run({0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0});
  REQUIRE(is_good(r));
  CHECK(r.data == bytes{0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x10, 0x00});
}

TEST_CASE("read_capacity10_lba_requires_pmi", "[sbd][capacity]") {
  fixture f;
  CHECK(is_invalid_field(f.run({0x25, 0, 0, 0, 0, 1, 0, 0, 0, 0}), 2));
  CHECK(is_good(f.run({0x25, 0, 0, 0, 0, 1, 0, 0, 1, 0})));
  CHECK(is_invalid_field(f.run({0x25, 0x01, 0, 0, 0, 0, 0, 0, 0, 0}), 1, 0));  // RELADR obsolete
}

TEST_CASE("read_capacity16_bytes", "[sbd][capacity]") {
  auto g = test_geometry(0x200000000ull, 512);
  g.lbppbe = 3;
  fixture f(g);
  auto r = f.run({0x9E, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0});
  REQUIRE(is_good(r));
  // 32 bytes: the 16 below, then zeros (sized first: growing a small
  // vector trips GCC 12's -Warray-bounds false positive at -O3).
  const uint8_t head[] = {0, 0, 0, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x02, 0x00, 0x00, 0x03, 0x00, 0x00};
  bytes want(32, 0);
  std::copy(std::begin(head), std::end(head), want.begin());
  CHECK(r.data == want);
}

TEST_CASE("read_capacity16_allocation_length", "[sbd][capacity]") {
  fixture f;
  for (uint8_t n = 0; n < 16; ++n) {
    auto r = f.run({0x9E, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, n, 0, 0});
    REQUIRE(is_good(r));
    CHECK(r.data.size() == n);
  }
  auto r = f.run({0x9E, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0});
  CHECK(r.data.size() == 32);
}

TEST_CASE("service_action_in_unknown_service_action", "[sbd][capacity]") {
  fixture f;
  CHECK(is_invalid_field(f.run({0x9E, 0x11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0}), 1, 4));
}
