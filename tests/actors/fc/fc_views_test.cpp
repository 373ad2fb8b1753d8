// An FC initiator is masked by views like an iSCSI one: host groups name it
// "wwn.<16 hex digits>" (COMSTAR's form).
#include "tests/actors/fc/fc_fixture.hpp"

using namespace stmfd;
using namespace stmfd::test;
using namespace stmfd::fc;

TEST_CASE("fc_initiator_in_the_host_group_sees_the_lu", "[actors][fc][views]") {
  fc_fixture::options o;
  o.host_group_member = "WWN.2100001B32A0B0C1";  // any case, as COMSTAR accepts it
  fc_fixture f(o);
  REQUIRE(f.ini->login());
  auto inq = f.ini->command({0x12, 0, 0, 0, 36, 0}, 36, true, false);
  REQUIRE(inq.rsp);
  CHECK(inq.rsp->status == 0);
  REQUIRE(inq.data.size() == 36);
  CHECK(inq.data[0] == 0x00);  // a disk LU at LUN 0
  // VPD 83h names the FC target port by its WWPN (NAA, protocol FC, PIV).
  auto vpd = f.ini->command({0x12, 1, 0x83, 0, 255, 0}, 255, true, false);
  REQUIRE(vpd.rsp);
  REQUIRE(vpd.data.size() > 4);
  bool found = false;
  for (size_t at = 4; at + 4 <= vpd.data.size(); at += 4 + vpd.data[at + 3]) {
    const uint8_t* d = vpd.data.data() + at;
    if ((d[0] >> 4) == 0 && (d[1] & 0x80) && ((d[1] >> 4) & 3) == 1 && (d[1] & 0x0F) == 3 && d[3] == 8 &&
        at + 12 <= vpd.data.size()) {
      uint64_t wwpn = 0;
      for (int i = 0; i < 8; ++i) wwpn = wwpn << 8 | d[4 + i];
      found = wwpn == fc_target_wwpn;
    }
  }
  CHECK(found);
}

TEST_CASE("fc_initiator_outside_the_host_group_sees_no_lu", "[actors][fc][views]") {
  fc_fixture::options o;
  o.host_group_member = "wwn.21000024ff000001";
  fc_fixture f(o);
  REQUIRE(f.ini->login());
  auto inq = f.ini->command({0x12, 0, 0, 0, 36, 0}, 36, true, false);
  REQUIRE(inq.rsp);
  CHECK(inq.rsp->status == 0);
  REQUIRE(!inq.data.empty());
  CHECK(inq.data[0] == 0x7F);  // SPC-4 6.6.2: peripheral qualifier 011b, no LU
  auto rd = f.ini->command(fc_cdb_read10(0, 1), 512, true, false);
  REQUIRE(rd.rsp);
  CHECK(rd.rsp->status == 0x02);
  CHECK(rd.rsp->sense[12] == 0x25);
  auto rl = f.ini->command({0xA0, 0, 0, 0, 0, 0, 0, 0, 0, 64, 0, 0}, 64, true, false);
  REQUIRE(rl.rsp);
  CHECK(rl.data[3] == 0);  // REPORT LUNS lists nothing
}
