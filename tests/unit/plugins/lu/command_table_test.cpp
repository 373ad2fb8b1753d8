#include <catch2/catch.hpp>

#include <set>

#include "disk_fixture.hpp"
#include "plugins/lu/sbd/command_table.hpp"
#include "wire/scsi/cdb.hpp"

using namespace sbd_test;
using stmfd::sbd::disk;
namespace scsi = stmfd::scsi;

namespace {
bytes rsoc(fixture& f, uint8_t options, uint8_t opcode = 0, uint16_t sa = 0, bool rctd = false) {
  auto r = f.run({0xA3, 0x0C, uint8_t((rctd ? 0x80 : 0) | options), opcode, uint8_t(sa >> 8), uint8_t(sa), 0, 0, 0xFF,
                  0xFF, 0, 0});
  REQUIRE(is_good(r));
  return r.data;
}
}  // namespace

TEST_CASE("rsoc_all_commands_matches_the_table", "[sbd][table]") {
  fixture f(test_thin_geometry());  // a thin LU reports every row
  const auto rows = stmfd::sbd::disk_commands();
  for (bool rctd : {false, true}) {
    const bytes d = rsoc(f, 0, 0, 0, rctd);
    const size_t desc = rctd ? 20 : 8;
    REQUIRE(d.size() == 4 + rows.size() * desc);
    CHECK(scsi::get_be32(d.data()) == rows.size() * desc);
    for (size_t i = 0; i < rows.size(); ++i) {
      const uint8_t* p = d.data() + 4 + i * desc;
      CHECK(p[0] == rows[i].info.opcode);
      CHECK(scsi::get_be16(p + 2) == (rows[i].info.has_sa ? rows[i].info.sa : 0));
      CHECK(p[5] == ((rctd ? 0x02 : 0) | (rows[i].info.has_sa ? 0x01 : 0)));
      CHECK(scsi::get_be16(p + 6) == rows[i].info.cdb_len);
      if (rctd) CHECK(scsi::get_be16(p + 8) == 0x0A);
    }
  }
}

TEST_CASE("rsoc_one_command_usage_equals_row_mask", "[sbd][table]") {
  fixture f(test_thin_geometry());
  for (const auto& row : stmfd::sbd::disk_commands()) {
    const bytes d = row.info.has_sa ? rsoc(f, 2, row.info.opcode, row.info.sa) : rsoc(f, 1, row.info.opcode);
    REQUIRE(d.size() == 4u + row.info.cdb_len);
    CHECK(d[1] == 0x03);
    CHECK(d[4] == row.info.opcode);
    CHECK(bytes(d.begin() + 4, d.end()) == bytes(row.info.usage.begin(), row.info.usage.begin() + row.info.cdb_len));
  }
  // libiscsi READ10/WRITE10 DPO/FUA: the usage data advertises both bits.
  CHECK((rsoc(f, 1, 0x28)[5] & 0x18) == 0x18);
  CHECK((rsoc(f, 1, 0x2A)[5] & 0x18) == 0x18);
  CHECK((rsoc(f, 1, 0x2F)[5] & 0x10) == 0x10);
}

TEST_CASE("rsoc_option_errors_and_unsupported", "[sbd][table]") {
  fixture f;
  CHECK(is_invalid_field(f.run({0xA3, 0x0C, 1, 0x9E, 0, 0x10, 0, 0, 0xFF, 0xFF, 0, 0}), 2, 2));
  CHECK(is_invalid_field(f.run({0xA3, 0x0C, 2, 0x28, 0, 0, 0, 0, 0xFF, 0xFF, 0, 0}), 2, 2));
  CHECK(is_invalid_field(f.run({0xA3, 0x0C, 0x40, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0, 0}), 2, 6));  // reserved
  CHECK(rsoc(f, 1, 0x42) == bytes{0, 0x01, 0, 0});
  CHECK(is_invalid_field(f.run({0xA3, 0x05, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0, 0}), 1, 4));  // other MAINTENANCE IN
}

TEST_CASE("table_keys_unique_and_lookup_finds_each_row", "[sbd][table]") {
  std::set<std::pair<int, int>> keys;
  for (const auto& row : stmfd::sbd::disk_commands()) {
    CHECK(keys.insert({row.info.opcode, row.info.has_sa ? row.info.sa : -1}).second);
    std::array<uint8_t, 16> cdb{};
    cdb[0] = row.info.opcode;
    if (row.info.has_sa) cdb[1] = uint8_t(row.info.sa);
    const auto l = stmfd::sbd::find_command(cdb.data(), cdb.size());
    REQUIRE(l.result == stmfd::sbd::lookup_result::found);
    CHECK(l.row == &row);
  }
}

TEST_CASE("precheck_flags_follow_spc4_rules", "[sbd][table]") {
  auto flags = [](std::initializer_list<uint8_t> c) {
    bytes b(c);
    b.resize(16);
    return disk::classify(b.data(), b.size());
  };
  auto inq = flags({0x12});
  CHECK(inq.known);
  CHECK(inq.allowed_with_ua);
  CHECK(inq.ua_not_cleared);
  CHECK(inq.allowed_on_standby);
  CHECK(inq.allowed_under_reservation);
  auto rs = flags({0x03});
  CHECK(rs.allowed_with_ua);
  CHECK_FALSE(rs.ua_not_cleared);
  CHECK(rs.reports_pending_sense);
  auto tur = flags({0x00});
  CHECK_FALSE(tur.allowed_with_ua);
  CHECK_FALSE(tur.allowed_on_standby);
  CHECK(tur.allowed_under_reservation);
  auto rd = flags({0x28});
  CHECK(rd.allowed_under_write_exclusive);
  CHECK_FALSE(rd.allowed_under_reservation);
  CHECK_FALSE(rd.data_out);
  CHECK(rd.serialization == stmfd::sbd::ser_class::read);
  auto wr = flags({0x8A});
  CHECK(wr.writes_medium);
  CHECK(wr.data_out);
  CHECK_FALSE(wr.allowed_under_write_exclusive);
  CHECK(wr.serialization == stmfd::sbd::ser_class::write);
  CHECK_FALSE(flags({0x2F, 0x00}).data_out);  // VERIFY BYTCHK 0
  CHECK(flags({0x2F, 0x02}).data_out);
  CHECK(flags({0x55}).data_out);
  CHECK(flags({0x55}).serialization == stmfd::sbd::ser_class::mode_write);
  CHECK(flags({0x9E, 0x10}).known);
  CHECK_FALSE(flags({0x9E, 0x11}).known);
  CHECK_FALSE(flags({0xC0}).known);
  CHECK_FALSE(disk::classify(nullptr, 0).known);
}

TEST_CASE("alua_rows_are_the_frameworks_and_follow_spc4_states", "[sbd][table][alua]") {
  auto flags = [](std::initializer_list<uint8_t> c) {
    bytes b(c);
    b.resize(16);
    return disk::classify(b.data(), b.size());
  };
  auto rtpg = flags({0xA3, 0x0A});
  CHECK(rtpg.known);
  CHECK(rtpg.framework);
  CHECK(rtpg.allowed_on_standby);
  CHECK(rtpg.allowed_on_unavailable);
  CHECK(rtpg.allowed_on_transitioning);
  auto stpg = flags({0xA4, 0x0A});
  CHECK(stpg.known);
  CHECK(stpg.framework);
  CHECK(stpg.data_out);
  CHECK(stpg.allowed_on_unavailable);
  CHECK_FALSE(stpg.allowed_on_transitioning);  // SPC-4 5.15.2.4.6
  auto inq = flags({0x12});
  CHECK((inq.allowed_on_unavailable && inq.allowed_on_transitioning));
  auto rd = flags({0x28});
  CHECK_FALSE((rd.allowed_on_standby || rd.allowed_on_unavailable || rd.allowed_on_transitioning));
  CHECK(flags({0x5E, 0x00}).allowed_on_standby);  // PERSISTENT RESERVE IN (SPC-4 5.15.2.4.4)
  CHECK(flags({0x5F, 0x00}).allowed_on_standby);
}
