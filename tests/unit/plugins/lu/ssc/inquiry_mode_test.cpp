#include <catch2/catch.hpp>

#include "tests/unit/plugins/lu/ssc/drive_fixture.hpp"

using namespace stmfd;
using namespace stmfd::ssc::test;

TEST_CASE("INQUIRY reports a removable sequential-access device and its VPD pages", "[ssc][inquiry]") {
  drive_fixture f;
  auto r = f.run({0x12, 0, 0, 0, 96, 0});
  REQUIRE(r.good());
  CHECK(r.data[0] == 0x01);
  CHECK(r.data[1] == 0x80);  // RMB
  CHECK(std::string(r.data.begin() + 16, r.data.begin() + 21) == "VTAPE");
  CHECK(scsi::get_be16(r.data.data() + 58 + 6) == 0x0400);  // version descriptors: SAM-5, iSCSI, SPC-4, SSC-3
  r = f.run({0x12, 1, 0x00, 0, 255, 0});
  REQUIRE(r.good());
  CHECK(r.data[0] == 0x01);
  CHECK(std::vector<uint8_t>(r.data.begin() + 4, r.data.end()) == std::vector<uint8_t>{0x00, 0x80, 0x83, 0xB0});
  r = f.run({0x12, 1, 0x80, 0, 255, 0});
  CHECK(std::string(r.data.begin() + 4, r.data.end()) == "SERIAL1");
  r = f.run({0x12, 1, 0x83, 0, 255, 0});
  CHECK(r.good());
  CHECK(r.data[1] == 0x83);
  CHECK(f.run({0x12, 1, 0xB0, 0, 255, 0}).data.size() == 8);
  CHECK(f.run({0x12, 1, 0xB1, 0, 255, 0}).key() == 0x5);
}

TEST_CASE("READ BLOCK LIMITS and REPORT DENSITY SUPPORT", "[ssc][inquiry]") {
  drive_fixture f;
  auto r = f.run({0x05, 0, 0, 0, 0, 0});
  REQUIRE(r.data.size() == 6);
  CHECK(scsi::get_be24(r.data.data() + 1) == ssc::max_block_length);
  CHECK(scsi::get_be16(r.data.data() + 4) == 1);
  r = f.run({0x44, 0, 0, 0, 0, 0, 0, 0x01, 0x00, 0});
  REQUIRE(r.data.size() == 56);
  CHECK(scsi::get_be16(r.data.data()) == 54);
  CHECK(r.data[4] == ssc::density_code);
  CHECK(f.run({0x44, 0x02, 0, 0, 0, 0, 0, 0x01, 0x00, 0}).key() == 0x5);
}

TEST_CASE("MODE SENSE: header, block descriptor and the tape pages", "[ssc][mode]") {
  drive_fixture f;
  auto r = f.run({0x1A, 0, 0x3F, 0, 255, 0});
  REQUIRE(r.good());
  CHECK(r.data[2] == 0x10);  // buffered mode, not write protected
  CHECK(r.data[3] == 8);
  CHECK(r.data[4] == ssc::density_code);
  CHECK(scsi::get_be24(r.data.data() + 9) == 0);  // variable-block mode
  std::vector<uint8_t> codes;
  for (size_t at = 12; at + 1 < r.data.size(); at += r.data[at + 1] + 2u) codes.push_back(r.data[at]);
  CHECK(codes == std::vector<uint8_t>{0x0A, 0x0F, 0x10, 0x11});
  CHECK(r.data[0] + 1u == r.data.size());
  r = f.run({0x5A, 0x08, 0x10, 0, 0, 0, 0, 0, 255, 0});  // MODE SENSE(10), DBD, device configuration
  REQUIRE(r.good());
  CHECK(scsi::get_be16(r.data.data() + 6) == 0);
  CHECK(r.data[8] == 0x10);
  CHECK(r.data[8 + 8] == 0x40);                           // LOIS
  CHECK(f.run({0x1A, 0, 0x08, 0, 255, 0}).key() == 0x5);  // the caching page is a disk's
}

TEST_CASE("MODE SELECT sets the block length and D_SENSE and refuses the rest", "[ssc][mode]") {
  drive_fixture f;
  auto r = f.set_block_length(512);
  CHECK(r.good());
  CHECK(r.mode_changed);
  CHECK(f.d.mode().block_length == 512);
  CHECK(f.set_block_length(2u << 20).key() == 0x5);  // beyond the maximum block length
  // density code of another format
  CHECK(f.run({0x15, 0x10, 0, 0, 12, 0}, {0, 0, 0x10, 8, 0x42, 0, 0, 0, 0, 0, 2, 0}).key() == 0x5);
  // Control page with D_SENSE
  r = f.run({0x15, 0x10, 0, 0, 16, 0}, {0, 0, 0x10, 0, 0x0A, 0x0A, 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0});
  CHECK(r.good());
  CHECK(f.d.descriptor_sense());
  // Device configuration page with a bit that is not changeable
  std::vector<uint8_t> dc = {0, 0, 0x10, 0, 0x10, 0x0E, 0, 0, 0, 0, 0, 0, 0x40, 0, 0x18 | 0x04, 0, 0, 0, 0, 0};
  r = f.run({0x15, 0x10, 0, 0, uint8_t(dc.size()), 0}, dc);
  CHECK(r.key() == 0x5);
  CHECK(r.asc() == 0x26);
  CHECK(f.run({0x15, 0x11, 0, 0, 4, 0}, {0, 0, 0x10, 0}).key() == 0x5);  // SP
}
