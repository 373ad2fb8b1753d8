#include <catch2/catch.hpp>

#include <set>

#include "tests/unit/plugins/lu/ssc/drive_fixture.hpp"

using namespace stmfd;
using namespace stmfd::ssc;
using namespace stmfd::ssc::test;

TEST_CASE("tape command table: every row is found by its own CDB", "[ssc][table]") {
  std::set<std::pair<uint8_t, uint16_t>> seen;
  for (const auto& r : tape_commands()) {
    uint8_t cdb[16] = {r.info.opcode, uint8_t(r.info.has_sa ? r.info.sa : 0)};
    auto l = find_command(cdb, r.info.cdb_len);
    REQUIRE(l.result == lookup_result::found);
    CHECK(l.row == &r);
    CHECK(seen.insert({r.info.opcode, r.info.sa}).second);
  }
  CHECK(tape_op_infos().size() == tape_commands().size());
}

TEST_CASE("tape command table drives classify: ordering, medium, data-out", "[ssc][table]") {
  drive_fixture f;
  const uint8_t read6[6] = {0x08, 0, 0, 0, 1, 0};
  auto i = f.d.classify(read6, 6);
  CHECK(i.known);
  CHECK(i.serialization == ser_class::exclusive);
  CHECK_FALSE(i.data_out);
  const uint8_t write6[6] = {0x0A, 0, 0, 0, 1, 0};
  i = f.d.classify(write6, 6);
  CHECK(i.writes_medium);
  CHECK(i.data_out);
  const uint8_t inq[6] = {0x12, 0, 0, 0, 96, 0};
  i = f.d.classify(inq, 6);
  CHECK(i.allowed_with_ua);
  CHECK(i.serialization == ser_class::none);
  const uint8_t pr[10] = {0x5E, 0, 0, 0, 0, 0, 0, 0, 8, 0};
  CHECK(f.d.classify(pr, 10).framework);
  const uint8_t rc[10] = {0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0};  // READ CAPACITY is a disk's
  CHECK_FALSE(f.d.classify(rc, 10).known);
}

TEST_CASE("reserved bits and unknown opcodes are refused from the table", "[ssc][table]") {
  drive_fixture f;
  auto r = f.run({0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0});
  CHECK(r.key() == 0x5);
  CHECK(r.asc() == 0x20);
  r = f.run({0x01, 0x02, 0, 0, 0, 0});  // REWIND with a reserved bit
  CHECK(r.asc() == 0x24);
  CHECK(r.sense[15] == (0x80 | 0x40 | 0x08 | 1));
  CHECK(r.sense[17] == 1);
  r = f.run({0x34, 0x03, 0, 0, 0, 0, 0, 0, 0, 0});  // READ POSITION service action 03h: reserved
  CHECK(r.asc() == 0x24);
}

TEST_CASE("REPORT SUPPORTED OPERATION CODES lists the tape table", "[ssc][table]") {
  drive_fixture f;
  auto r = f.run({0xA3, 0x0C, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0});
  REQUIRE(r.good());
  const uint32_t len = scsi::get_be32(r.data.data());
  CHECK(len == tape_commands().size() * 8);
  bool has_space = false;
  for (size_t at = 4; at + 8 <= r.data.size(); at += 8) has_space |= r.data[at] == 0x11;
  CHECK(has_space);
}
