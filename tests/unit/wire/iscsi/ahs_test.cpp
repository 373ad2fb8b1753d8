// SCSI Command AHSs (RFC 7143 11.2.2): the Extended CDB AHS carries a CDB
// longer than 16 bytes whole; reserved types and lengths that do not add
// up are refused; extension types are skipped.
#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

#include "wire/iscsi/ahs.hpp"
#include "wire/iscsi/pdu.hpp"

using namespace stmfd::iscsi;

namespace {

std::vector<uint8_t> bhs_with_cdb() {
  std::vector<uint8_t> b(bhs_len, 0);
  b[0] = 0x01;
  for (int i = 0; i < 16; ++i) b[32 + i] = uint8_t(0xA0 + i);
  return b;
}

// One AHS: AHSLength, AHSType, then `specific` (its first byte the
// reserved one), padded to 4 bytes.
std::vector<uint8_t> ahs(uint8_t type, const std::vector<uint8_t>& specific) {
  std::vector<uint8_t> a((3 + specific.size() + 3) / 4 * 4, 0);  // sized once: the padding stays zero
  a[0] = uint8_t(specific.size() >> 8);
  a[1] = uint8_t(specific.size());
  a[2] = type;
  std::copy(specific.begin(), specific.end(), a.begin() + 3);
  return a;
}

std::vector<uint8_t> extended_cdb(size_t extra, uint8_t first = 0x10) {
  std::vector<uint8_t> s{0};  // reserved
  for (size_t i = 0; i < extra; ++i) s.push_back(uint8_t(first + i));
  return s;
}

}  // namespace

TEST_CASE("no_ahs_leaves_the_16_byte_cdb", "[ahs]") {
  auto b = bhs_with_cdb();
  command_cdb c;
  REQUIRE(parse_command_ahs(b.data(), nullptr, 0, c) == ahs_status::ok);
  CHECK(c.len == 16);
  CHECK(c.bytes[0] == 0xA0);
  CHECK(c.bytes[15] == 0xAF);
  CHECK_FALSE(c.has_bidi_read_length);
}

TEST_CASE("an_extended_cdb_ahs_makes_a_32_byte_cdb_whole", "[ahs]") {
  auto b = bhs_with_cdb();
  auto a = ahs(1, extended_cdb(16));
  REQUIRE(a.size() == 20);  // AHSLength 17: 3 + 17 = 20 bytes, no padding
  command_cdb c;
  REQUIRE(parse_command_ahs(b.data(), a.data(), a.size(), c) == ahs_status::ok);
  REQUIRE(c.len == 32);
  CHECK(c.bytes[15] == 0xAF);
  CHECK(c.bytes[16] == 0x10);
  CHECK(c.bytes[31] == 0x1F);
}

TEST_CASE("an_odd_extended_cdb_is_read_past_its_padding", "[ahs]") {
  auto b = bhs_with_cdb();
  auto a = ahs(1, extended_cdb(5));  // a 21-byte CDB: 3 + 6 = 9 bytes, padded to 12
  auto bidi = ahs(2, {0, 0, 0, 0x10, 0});
  a.insert(a.end(), bidi.begin(), bidi.end());
  command_cdb c;
  REQUIRE(parse_command_ahs(b.data(), a.data(), a.size(), c) == ahs_status::ok);
  CHECK(c.len == 21);
  CHECK(c.bytes[20] == 0x14);
  CHECK(c.has_bidi_read_length);
  CHECK(c.bidi_read_length == 0x1000);
}

TEST_CASE("the_longest_cdb_is_260_bytes", "[ahs]") {
  auto b = bhs_with_cdb();
  command_cdb c;
  auto ok = ahs(1, extended_cdb(max_cdb_len - 16));
  CHECK(parse_command_ahs(b.data(), ok.data(), ok.size(), c) == ahs_status::ok);
  CHECK(c.len == max_cdb_len);
  auto too_long = ahs(1, extended_cdb(max_cdb_len - 15));
  CHECK(parse_command_ahs(b.data(), too_long.data(), too_long.size(), c) == ahs_status::malformed);
}

TEST_CASE("ahs_lengths_that_do_not_add_up_are_malformed", "[ahs]") {
  auto b = bhs_with_cdb();
  command_cdb c;
  SECTION("an AHS running past TotalAHSLength") {
    auto a = ahs(1, extended_cdb(16));
    CHECK(parse_command_ahs(b.data(), a.data(), a.size() - 4, c) == ahs_status::malformed);
  }
  SECTION("AHSLength 0") {
    std::vector<uint8_t> a{0, 0, 1, 0};
    CHECK(parse_command_ahs(b.data(), a.data(), a.size(), c) == ahs_status::malformed);
  }
  SECTION("an Extended CDB with no CDB bytes") {
    auto a = ahs(1, {0});
    CHECK(parse_command_ahs(b.data(), a.data(), a.size(), c) == ahs_status::malformed);
  }
  SECTION("two Extended CDBs") {
    auto a = ahs(1, extended_cdb(4));
    auto second = ahs(1, extended_cdb(4));
    a.insert(a.end(), second.begin(), second.end());
    CHECK(parse_command_ahs(b.data(), a.data(), a.size(), c) == ahs_status::malformed);
  }
  SECTION("a bidirectional length AHS of the wrong length") {
    auto a = ahs(2, {0, 0, 0, 1});
    CHECK(parse_command_ahs(b.data(), a.data(), a.size(), c) == ahs_status::malformed);
  }
  SECTION("an AHSLength so large it overflows the segment") {
    std::vector<uint8_t> a{0xFF, 0xFF, 1, 0};
    CHECK(parse_command_ahs(b.data(), a.data(), a.size(), c) == ahs_status::malformed);
  }
}

TEST_CASE("reserved_ahs_types_are_unsupported_and_extensions_skipped", "[ahs]") {
  auto b = bhs_with_cdb();
  command_cdb c;
  for (uint8_t type : {0, 3, 59}) {
    auto a = ahs(type, {0, 1, 2});
    CHECK(parse_command_ahs(b.data(), a.data(), a.size(), c) == ahs_status::unsupported_type);
  }
  auto ext = ahs(60, {0, 1, 2, 3, 4});
  auto cdb = ahs(0xC0 | 1, extended_cdb(16));  // bits 7-6 are reserved: ignored
  ext.insert(ext.end(), cdb.begin(), cdb.end());
  REQUIRE(parse_command_ahs(b.data(), ext.data(), ext.size(), c) == ahs_status::ok);
  CHECK(c.len == 32);
}
