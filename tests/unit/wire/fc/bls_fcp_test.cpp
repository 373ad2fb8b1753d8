// FC-FS-4 BA_ACC/BA_RJT and FCP-4 IUs (FCP_CMND, FCP_XFER_RDY, FCP_RSP).
#include <catch2/catch.hpp>

#include "wire/fc/bls.hpp"
#include "wire/fc/fcp.hpp"

using namespace stmfd::fc;

TEST_CASE("BA_ACC and BA_RJT round trip", "[fc][bls]") {
  bls::ba_acc a{false, 0, 0x1234, 0x0001, 0, 0xFFFF};
  auto b = encode(a);
  REQUIRE(b.size() == 12);
  CHECK(b[0] == 0x00);
  CHECK(b[4] == 0x12);
  CHECK(b[10] == 0xFF);
  CHECK(*bls::decode_ba_acc(b.data(), b.size()) == a);
  CHECK_FALSE(bls::decode_ba_acc(b.data(), 11));
  auto r = encode(bls::ba_rjt{bls::reason::logical_error, bls::explain::invalid_ox_rx, 0});
  REQUIRE(r.size() == 4);
  CHECK(r[1] == 0x03);
  CHECK(r[2] == 0x03);
  CHECK(bls::decode_ba_rjt(r.data(), r.size())->explanation == bls::explain::invalid_ox_rx);
  CHECK_FALSE(bls::decode_ba_rjt(r.data(), 3));
}

TEST_CASE("FCP_CMND fields sit at their FCP-4 offsets", "[fc][fcp]") {
  fcp::cmnd c;
  c.lun[1] = 5;
  c.crn = 7;
  c.attribute = fcp::attr::ordered;
  c.priority = 3;
  c.rddata = true;
  c.cdb[0] = 0x28;
  c.dl = 4096;
  auto b = encode(c);
  REQUIRE(b.size() == 32);
  CHECK(b[1] == 5);
  CHECK(b[8] == 7);
  CHECK(b[9] == (3 << 3 | 2));
  CHECK(b[11] == 0x02);
  CHECK(b[12] == 0x28);
  CHECK((b[30] << 8 | b[31]) == 4096);
  auto back = fcp::decode_cmnd(b.data(), b.size());
  REQUIRE(back);
  CHECK(back->lun == c.lun);
  CHECK(back->attribute == fcp::attr::ordered);
  CHECK(back->priority == 3);
  CHECK(back->rddata);
  CHECK_FALSE(back->wrdata);
  CHECK(back->cdb_len == 16);
  CHECK(back->dl == 4096);
}

TEST_CASE("FCP_CMND with additional CDB bytes and bidirectional length", "[fc][fcp]") {
  fcp::cmnd c;
  c.cdb_len = 32;
  c.cdb[31] = 0xAA;
  c.rddata = c.wrdata = true;
  c.dl = 512;
  c.bidi_read_dl = 1024;
  auto b = encode(c);
  REQUIRE(b.size() == 12 + 32 + 8);
  CHECK((b[11] >> 2) == 4);
  auto back = fcp::decode_cmnd(b.data(), b.size());
  REQUIRE(back);
  CHECK(back->cdb_len == 32);
  CHECK(back->cdb[31] == 0xAA);
  CHECK(back->bidi_read_dl == 1024);
  CHECK_FALSE(fcp::decode_cmnd(b.data(), b.size() - 1));  // the read length cut off
}

TEST_CASE("a truncated FCP_CMND is refused", "[fc][fcp]") {
  auto b = encode(fcp::cmnd{});
  CHECK_FALSE(fcp::decode_cmnd(b.data(), 31));
  b[11] = 0x3F << 2;  // announces 252 more CDB bytes that are not there
  CHECK_FALSE(fcp::decode_cmnd(b.data(), b.size()));
}

TEST_CASE("task management flags are carried in byte 10", "[fc][fcp]") {
  fcp::cmnd c;
  c.tm_flags = fcp::tmf::lu_reset;
  auto b = encode(c);
  CHECK(b[10] == 0x10);
  CHECK(fcp::decode_cmnd(b.data(), b.size())->tm_flags == fcp::tmf::lu_reset);
}

TEST_CASE("FCP_XFER_RDY round trips", "[fc][fcp]") {
  auto b = encode(fcp::xfer_rdy{65536, 8192});
  REQUIRE(b.size() == 12);
  CHECK(b[1] == 0x01);
  CHECK(b[6] == 0x20);
  CHECK(*fcp::decode_xfer_rdy(b.data(), b.size()) == fcp::xfer_rdy{65536, 8192});
  CHECK_FALSE(fcp::decode_xfer_rdy(b.data(), 11));
}

TEST_CASE("FCP_RSP with sense and an underrun", "[fc][fcp]") {
  fcp::rsp r;
  r.status = 0x02;
  fcp::set_residual(r, 4096, 512);
  r.sense = {0x70, 0, 0x05, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x24, 0};
  auto b = encode(r);
  REQUIRE(b.size() == 24 + 14);
  CHECK(b[10] == (fcp::flag::sns_len_valid | fcp::flag::resid_under));
  CHECK(b[11] == 0x02);
  CHECK((b[14] << 8 | b[15]) == 3584);
  CHECK(b[19] == 14);
  CHECK(b[24] == 0x70);
  auto back = fcp::decode_rsp(b.data(), b.size());
  REQUIRE(back);
  CHECK(*back == r);
}

TEST_CASE("FCP_RSP with response info and an overrun", "[fc][fcp]") {
  fcp::rsp r;
  fcp::set_residual(r, 512, 4096);
  CHECK(r.resid_over);
  CHECK(r.resid == 3584);
  r.response = fcp::rsp_code::tmf_not_supported;
  auto b = encode(r);
  REQUIRE(b.size() == 32);
  CHECK(b[10] == (fcp::flag::rsp_len_valid | fcp::flag::resid_over));
  CHECK(b[23] == 8);
  CHECK(b[27] == 0x04);
  CHECK(*fcp::decode_rsp(b.data(), b.size()) == r);
}

TEST_CASE("malformed FCP_RSP is refused", "[fc][fcp]") {
  fcp::rsp r;
  r.sense.assign(18, 0);
  auto b = encode(r);
  CHECK_FALSE(fcp::decode_rsp(b.data(), b.size() - 1));  // sense cut off
  CHECK_FALSE(fcp::decode_rsp(b.data(), 23));
  auto bad = b;
  bad[10] |= fcp::flag::resid_over | fcp::flag::resid_under;
  CHECK_FALSE(fcp::decode_rsp(bad.data(), bad.size()));
  bad = b;
  bad[10] |= fcp::flag::rsp_len_valid;
  bad[23] = 5;  // RSP_LEN must be 0, 4 or 8
  CHECK_FALSE(fcp::decode_rsp(bad.data(), bad.size()));
}
