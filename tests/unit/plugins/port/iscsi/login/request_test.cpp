// decode_request: a Login Request BHS (RFC 7143 11.12) as the negotiator's fields.
#include <catch2/catch.hpp>

#include "plugins/port/iscsi/login/request.hpp"

using namespace stmfd::iscsi;

TEST_CASE("decode_request reads every Login Request field", "[login][request]") {
  uint8_t bhs[bhs_len] = {};
  bhs[0] = 0x43;                        // immediate Login Request
  bhs[1] = 0x80 | 0x40 | (1 << 2) | 3;  // T, C, CSG 1, NSG 3
  bhs[2] = 0x00;                        // Version-max
  bhs[3] = 0x00;                        // Version-min
  const uint8_t isid[6] = {0x80, 1, 2, 3, 4, 5};
  std::copy(isid, isid + 6, bhs + 8);
  bhs[14] = 0x12, bhs[15] = 0x34;                      // TSIH
  bhs[20] = 0x00, bhs[21] = 0x07;                      // CID
  bhs[24] = 0, bhs[25] = 0, bhs[26] = 1, bhs[27] = 2;  // CmdSN
  bhs[28] = 0, bhs[29] = 0, bhs[30] = 3, bhs[31] = 4;  // ExpStatSN
  const uint8_t text[] = "InitiatorName=iqn.x";

  auto r = login::decode_request(bhs_view(bhs), text, sizeof text);
  CHECK(r.transit);
  CHECK(r.cont);
  CHECK(r.csg == 1);
  CHECK(r.nsg == 3);
  CHECK(std::equal(isid, isid + 6, r.isid));
  CHECK(r.tsih == 0x1234);
  CHECK(r.cid == 7);
  CHECK(r.cmd_sn == 0x102);
  CHECK(r.exp_stat_sn == 0x304);
  CHECK(r.data == text);
  CHECK(r.data_len == sizeof text);

  bhs[1] = 0x04;  // no T, no C, CSG 1, NSG 0
  auto plain = login::decode_request(bhs_view(bhs), nullptr, 0);
  CHECK_FALSE(plain.transit);
  CHECK_FALSE(plain.cont);
  CHECK(plain.csg == 1);
  CHECK(plain.nsg == 0);
  CHECK(plain.data_len == 0);
}
