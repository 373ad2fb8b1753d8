#include <catch2/catch.hpp>

#include <array>
#include <vector>

#include "wire/scsi/alua.hpp"
#include "wire/scsi/cdb.hpp"

using namespace stmfd::scsi;
using namespace stmfd::scsi::alua;

namespace {
std::array<uint8_t, 12> rtpg_cdb(uint8_t format, uint32_t alloc) {
  return {0xA3,
          uint8_t(format << 5 | 0x0A),
          0,
          0,
          0,
          0,
          uint8_t(alloc >> 24),
          uint8_t(alloc >> 16),
          uint8_t(alloc >> 8),
          uint8_t(alloc),
          0,
          0};
}
std::array<uint8_t, 12> stpg_cdb(uint32_t len) {
  return {0xA4, 0x0A, 0, 0, 0, 0, uint8_t(len >> 24), uint8_t(len >> 16), uint8_t(len >> 8), uint8_t(len), 0, 0};
}
std::vector<group_descriptor> two_groups() {
  group_descriptor a;
  a.group = 1;
  a.state = access_state::active_optimized;
  a.supported = supported::t_sup | supported::s_sup | supported::ao_sup;
  a.relative_ports = {1, 3};
  group_descriptor b;
  b.group = 2;
  b.state = access_state::standby;
  b.status = status_code::altered_by_stpg;
  b.relative_ports = {2};
  return {a, b};
}
}  // namespace

TEST_CASE("rtpg_cdb_formats", "[wire][alua]") {
  rtpg_request r;
  auto c = rtpg_cdb(0, 512);
  CHECK_FALSE(decode_rtpg(c.data(), c.size(), r));
  CHECK_FALSE(r.extended);
  CHECK(r.allocation_length == 512);
  c = rtpg_cdb(1, 64);
  CHECK_FALSE(decode_rtpg(c.data(), c.size(), r));
  CHECK(r.extended);
  CHECK(is_rtpg(c.data(), c.size()));
  CHECK_FALSE(is_stpg(c.data(), c.size()));
}

TEST_CASE("rtpg_cdb_rejects_unknown_format_and_reserved_bits", "[wire][alua]") {
  rtpg_request r;
  auto c = rtpg_cdb(2, 512);
  auto s = decode_rtpg(c.data(), c.size(), r);
  REQUIRE(s);
  CHECK(s->code == sense::invalid_field_in_cdb());
  CHECK(s->field->byte == 1);
  c = rtpg_cdb(0, 512);
  c[3] = 0x01;  // reserved
  s = decode_rtpg(c.data(), c.size(), r);
  REQUIRE(s);
  CHECK(s->field->byte == 3);
  CHECK(decode_rtpg(c.data(), 10, r));  // short CDB
}

TEST_CASE("rtpg_length_only_layout", "[wire][alua]") {
  auto groups = two_groups();
  std::array<uint8_t, 128> out{};
  size_t n = build_rtpg(false, 0, groups, out.data(), out.size());
  // 4 header + (8 + 2*4) + (8 + 1*4)
  REQUIRE(n == 4 + 16 + 12);
  CHECK(get_be32(out.data()) == n - 4);
  const uint8_t* a = out.data() + 4;
  CHECK(a[0] == 0x00);  // PREF 0, active/optimized
  CHECK(a[1] == (supported::t_sup | supported::s_sup | supported::ao_sup));
  CHECK(get_be16(a + 2) == 1);
  CHECK(a[5] == 0x00);  // no status
  CHECK(a[7] == 2);     // TARGET PORT COUNT
  CHECK(get_be16(a + 10) == 1);
  CHECK(get_be16(a + 14) == 3);
  const uint8_t* b = a + 16;
  CHECK((b[0] & 0x0F) == 0x2);  // standby
  CHECK(get_be16(b + 2) == 2);
  CHECK(b[5] == 0x01);  // altered by SET TARGET PORT GROUPS
  CHECK(b[7] == 1);
  CHECK(get_be16(b + 10) == 2);
}

TEST_CASE("rtpg_extended_header_and_truncation", "[wire][alua]") {
  auto groups = two_groups();
  std::array<uint8_t, 128> out{};
  size_t n = build_rtpg(true, 7, groups, out.data(), out.size());
  REQUIRE(n == 8 + 16 + 12);
  CHECK(get_be32(out.data()) == n - 4);  // the extended header's 4 bytes count
  CHECK(out[4] == 0x10);                 // FORMAT TYPE 001b
  CHECK(out[5] == 7);                    // IMPLICIT TRANSITION TIME
  CHECK(get_be16(out.data() + 8 + 2) == 1);
  // Cut to the allocation length: the length field still tells the whole.
  std::array<uint8_t, 6> small{};
  CHECK(build_rtpg(true, 7, groups, small.data(), small.size()) == 6);
  CHECK(get_be32(small.data()) == n - 4);
}

TEST_CASE("stpg_parses_descriptors", "[wire][alua]") {
  stpg_request r;
  auto c = stpg_cdb(12);
  REQUIRE_FALSE(decode_stpg(c.data(), c.size(), r));
  CHECK(r.parameter_list_length == 12);
  CHECK(is_stpg(c.data(), c.size()));
  const uint8_t data[12] = {0, 0, 0, 0, 0x02, 0, 0x00, 0x02, 0x00, 0, 0x00, 0x01};
  std::vector<stpg_change> out;
  REQUIRE_FALSE(parse_stpg(data, sizeof data, out));
  REQUIRE(out.size() == 2);
  CHECK(out[0].group == 2);
  CHECK(out[0].state == access_state::standby);
  CHECK(out[0].offset == 4);
  CHECK(out[1].group == 1);
  CHECK(out[1].state == access_state::active_optimized);
  CHECK_FALSE(parse_stpg(data, 0, out));  // no list: nothing to change
  CHECK(out.empty());
}

TEST_CASE("stpg_rejects_bad_lists", "[wire][alua]") {
  std::vector<stpg_change> out;
  const uint8_t partial[6] = {0, 0, 0, 0, 0x01, 0};
  auto s = parse_stpg(partial, sizeof partial, out);
  REQUIRE(s);
  CHECK(s->code == sense::parameter_list_length_error());
  const uint8_t transitioning[8] = {0, 0, 0, 0, 0x0F, 0, 0, 1};  // not STPG's to ask for
  s = parse_stpg(transitioning, sizeof transitioning, out);
  REQUIRE(s);
  CHECK(s->code == sense::invalid_field_in_parameter_list());
  CHECK(s->field->byte == 4);
  CHECK_FALSE(s->field->in_cdb);
  const uint8_t twice[12] = {0, 0, 0, 0, 0x01, 0, 0, 1, 0x02, 0, 0, 1};
  s = parse_stpg(twice, sizeof twice, out);
  REQUIRE(s);
  CHECK(s->field->byte == 10);
}

TEST_CASE("state_names_round_trip", "[wire][alua]") {
  for (auto s : {access_state::active_optimized, access_state::active_non_optimized, access_state::standby,
                 access_state::unavailable, access_state::offline, access_state::transitioning})
    CHECK(parse_state(name_of(s)) == s);
  CHECK_FALSE(parse_state("active"));
}
