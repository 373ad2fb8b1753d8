#include "wire/crc32c.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <cstring>
#include <random>
#include <vector>

using namespace stmfd::wire;

namespace {

std::array<uint8_t, 4> wire_bytes(const void* data, size_t len) {
  std::array<uint8_t, 4> out{};
  put_digest(out.data(), crc32c(data, len));
  return out;
}

using bytes4 = std::array<uint8_t, 4>;

// Bit-at-a-time reference straight from the generator polynomial, sharing
// nothing with the implementation under test.
uint32_t reference_update(uint32_t s, const uint8_t* p, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    s ^= p[i];
    for (int b = 0; b < 8; ++b) s = (s >> 1) ^ (0x82F63B78u & (0u - (s & 1u)));
  }
  return s;
}

std::vector<uint8_t> random_bytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<uint8_t> v(n);
  for (auto& b : v) b = static_cast<uint8_t>(rng());
  return v;
}

}  // namespace

TEST_CASE("crc32c_rfc7143_b4_vectors_in_wire_order", "[crc32c]") {
  uint8_t buf[48];

  std::memset(buf, 0x00, 32);
  CHECK(wire_bytes(buf, 32) == bytes4{0xaa, 0x36, 0x91, 0x8a});

  std::memset(buf, 0xff, 32);
  CHECK(wire_bytes(buf, 32) == bytes4{0x43, 0xab, 0xa8, 0x62});

  for (int i = 0; i < 32; ++i) buf[i] = static_cast<uint8_t>(i);
  CHECK(wire_bytes(buf, 32) == bytes4{0x4e, 0x79, 0xdd, 0x46});

  for (int i = 0; i < 32; ++i) buf[i] = static_cast<uint8_t>(31 - i);
  CHECK(wire_bytes(buf, 32) == bytes4{0x5c, 0xdb, 0x3f, 0x11});

  // An iSCSI SCSI Read (10) command PDU (RFC 7143 B.4).
  const uint8_t read_pdu[48] = {0x01, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                                0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00,
                                0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x18, 0x28, 0x00, 0x00, 0x00,
                                0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
  CHECK(wire_bytes(read_pdu, 48) == bytes4{0x56, 0x3a, 0x96, 0xd9});
}

TEST_CASE("crc32c_check_value_and_empty", "[crc32c]") {
  CHECK(crc32c("123456789", 9) == 0xE3069283u);  // the catalogue check value of CRC-32C
  CHECK(crc32c(nullptr, 0) == 0u);
  uint8_t zeros[32] = {};
  CHECK(crc32c(zeros, 32) == 0x8A9136AAu);
}

TEST_CASE("crc32c_digest_byte_order_round_trip", "[crc32c]") {
  uint8_t b[4];
  put_digest(b, 0x11223344u);
  CHECK(b[0] == 0x44);
  CHECK(b[1] == 0x33);
  CHECK(b[2] == 0x22);
  CHECK(b[3] == 0x11);
  CHECK(get_digest(b) == 0x11223344u);
}

TEST_CASE("crc32c_incremental_equals_one_shot", "[crc32c]") {
  auto data = random_bytes(40000, 7);
  uint32_t one = crc32c(data.data(), data.size());
  // Segment then padding, as the connection feeds it; and odd split points,
  // including either side of the 256 bytes from which ISA-L takes over.
  for (size_t split : {size_t{0}, size_t{1}, size_t{3}, size_t{255}, size_t{256}, size_t{767}, size_t{12288},
                       size_t{39744}, size_t{39745}, size_t{39999}}) {
    uint32_t s = crc32c_update(crc32c_init, data.data(), split);
    s = crc32c_update(s, data.data() + split, data.size() - split);
    CHECK(crc32c_final(s) == one);
  }
}

TEST_CASE("crc32c_table_hardware_and_isal_match_reference", "[crc32c]") {
  auto data = random_bytes(3 * 4096 * 3 + 1000, 42);
  std::vector<size_t> lengths;
  for (size_t n = 0; n <= 1100; ++n) lengths.push_back(n);
  for (size_t n :
       {3 * 256 - 1, 3 * 256, 3 * 4096 - 1, 3 * 4096, 3 * 4096 + 3 * 256 + 5, 2 * 3 * 4096 + 17, 3 * 4096 * 3 + 992})
    lengths.push_back(n);
  INFO("hardware crc32 available: " << detail::crc32c_hw_available());
  for (size_t offset : {size_t{0}, size_t{1}, size_t{5}}) {
    for (size_t n : lengths) {
      const uint8_t* p = data.data() + offset;
      uint32_t ref = reference_update(0x12345678u, p, n);
      REQUIRE(detail::crc32c_update_table(0x12345678u, p, n) == ref);
      REQUIRE(detail::crc32c_update_hw(0x12345678u, p, n) == ref);
      REQUIRE(detail::crc32c_update_isal(0x12345678u, p, n) == ref);
      REQUIRE(crc32c_update(0x12345678u, p, n) == ref);
    }
  }
}
