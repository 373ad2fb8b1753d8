// What the Linux st driver (drivers/scsi/st.c, kernel 6.1) sends and
// expects, as tests/guest/in-guest/tape-vtl.sh found it against a real
// kernel: each case is a command sequence st issues for an mt-st or
// read/write call.
#include <catch2/catch.hpp>

#include "tests/unit/plugins/lu/ssc/drive_fixture.hpp"

using namespace stmfd;
using namespace stmfd::ssc::test;

// st opens the device with MODE SENSE(6), page code 0, allocation length
// 12: the header and the block descriptor, from which it takes the block
// length (mt setblk survives a reopen only if this answers), density,
// write protection and buffered mode.
TEST_CASE("MODE SENSE page 00h returns the header and the block descriptor only", "[ssc][mode][st]") {
  drive_fixture f;
  REQUIRE(f.set_block_length(512).good());
  auto r = f.run({0x1A, 0, 0x00, 0, 12, 0});
  REQUIRE(r.good());
  REQUIRE(r.data.size() == 12);
  CHECK(r.data[0] == 11);    // MODE DATA LENGTH: nothing after the descriptor
  CHECK(r.data[2] == 0x10);  // BUFFERED MODE 1
  CHECK(r.data[3] == 8);
  CHECK(r.data[4] == ssc::density_code);
  CHECK(scsi::get_be24(r.data.data() + 9) == 512);
  // MODE SENSE(10) the same way, and with DBD only the header.
  r = f.run({0x5A, 0, 0x00, 0, 0, 0, 0, 0, 255, 0});
  REQUIRE(r.good());
  CHECK(r.data.size() == 16);
  CHECK(scsi::get_be16(r.data.data()) == 14);
  r = f.run({0x1A, 0x08, 0x00, 0, 255, 0});
  REQUIRE(r.good());
  CHECK(r.data.size() == 4);
  // Page 00h with a subpage is still refused.
  CHECK(f.run({0x1A, 0, 0x00, 0x01, 255, 0}).key() == 0x5);
}

// mt setblk: MODE SELECT(6) with PF, the header carrying the buffered mode
// st read back, a block descriptor with the density it read; then the next
// open reads the new length back.
TEST_CASE("mt setblk round trip: MODE SELECT then MODE SENSE page 00h", "[ssc][mode][st]") {
  drive_fixture f;
  auto sense = f.run({0x1A, 0, 0x00, 0, 12, 0});
  REQUIRE(sense.good());
  const uint8_t buffered = sense.data[2] & 0x70, density = sense.data[4];
  auto r = f.run({0x15, 0x10, 0, 0, 12, 0}, {0, 0, buffered, 8, density, 0, 0, 0, 0, 0, 0x02, 0x00});
  REQUIRE(r.good());
  sense = f.run({0x1A, 0, 0x00, 0, 12, 0});
  CHECK(scsi::get_be24(sense.data.data() + 9) == 512);
  CHECK((sense.data[2] & 0x70) == 0x10);
  REQUIRE(f.run({0x15, 0x10, 0, 0, 12, 0}, {0, 0, buffered, 8, density, 0, 0, 0, 0, 0, 0, 0}).good());
  CHECK(scsi::get_be24(f.run({0x1A, 0, 0x00, 0, 12, 0}).data.data() + 9) == 0);
}

// mt tell (MTIOCPOS) sends READ POSITION with the BT bit (service action
// 01h, short form with vendor-specific addresses); mt seek sends LOCATE(10)
// with BT. Both use the logical object identifiers here.
TEST_CASE("READ POSITION short form with BT and LOCATE(10) with BT agree", "[ssc][motion][st]") {
  drive_fixture f;
  for (auto s : {"a", "b", "c"}) REQUIRE(f.write6(s).good());
  REQUIRE(f.filemarks(1).good());
  REQUIRE(f.write6("d").good());
  auto r = f.run({0x34, 0x01, 0, 0, 0, 0, 0, 0, 0, 0});
  REQUIRE(r.good());
  REQUIRE(r.data.size() == 20);
  CHECK(scsi::get_be32(r.data.data() + 4) == 5);
  CHECK((r.data[0] & 0x04) == 0);  // BPU 0: the position is known
  REQUIRE(f.run({0x2B, 0x04, 0, 0, 0, 0, 2, 0, 0, 0}).good());
  r = f.run({0x34, 0x01, 0, 0, 0, 0, 0, 0, 0, 0});
  CHECK(scsi::get_be32(r.data.data() + 4) == 2);
  CHECK(f.read6(10).text() == "c");
  REQUIRE(f.rewind().good());
  CHECK(f.run({0x34, 0x01, 0, 0, 0, 0, 0, 0, 0, 0}).data[0] == 0x80);  // BOP
}
