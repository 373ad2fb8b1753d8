#include <catch2/catch.hpp>

#include <vector>

#include "wire/scsi/report_luns.hpp"

using namespace stmfd::scsi;
using bytes = std::vector<uint8_t>;

TEST_CASE("lun_encoding_peripheral_and_flat", "[scsi][luns]") {
  CHECK(encode_lun(0) == std::array<uint8_t, 8>{0, 0, 0, 0, 0, 0, 0, 0});
  CHECK(encode_lun(255) == std::array<uint8_t, 8>{0x00, 0xFF, 0, 0, 0, 0, 0, 0});
  CHECK(encode_lun(256) == std::array<uint8_t, 8>{0x41, 0x00, 0, 0, 0, 0, 0, 0});
  CHECK(encode_lun(0x3FFF) == std::array<uint8_t, 8>{0x7F, 0xFF, 0, 0, 0, 0, 0, 0});
  for (uint16_t l : {0, 1, 255, 256, 1000, 16383}) CHECK(decode_lun(encode_lun(l).data()) == l);
}

TEST_CASE("lun_decoding_rejects_other_forms", "[scsi][luns]") {
  const uint8_t flat_small[8] = {0x40, 0x05, 0, 0, 0, 0, 0, 0};
  CHECK(decode_lun(flat_small) == 5);
  const uint8_t other_bus[8] = {0x01, 0x05, 0, 0, 0, 0, 0, 0};
  CHECK_FALSE(decode_lun(other_bus));
  const uint8_t second_level[8] = {0x00, 0x05, 0x00, 0x01, 0, 0, 0, 0};
  CHECK_FALSE(decode_lun(second_level));
  const uint8_t wlun[8] = {0xC1, 0x01, 0, 0, 0, 0, 0, 0};
  CHECK_FALSE(decode_lun(wlun));
  CHECK(is_report_luns_wlun(wlun));
}

TEST_CASE("report_luns_data_and_truncation", "[scsi][luns]") {
  const uint16_t luns[] = {0, 1, 300};
  bytes out(64, 0xEE);
  auto r = build_report_luns(luns, {0, 64}, out.data(), out.size());
  REQUIRE(r.length == 32);
  out.resize(r.length);
  const bytes want = {0, 0, 0, 24, 0, 0, 0, 0, 0,    0,    0, 0, 0, 0, 0, 0,
                      0, 1, 0, 0,  0, 0, 0, 0, 0x41, 0x2C, 0, 0, 0, 0, 0, 0};
  CHECK(out == want);
  bytes small(64, 0xEE);
  r = build_report_luns(luns, {0, 12}, small.data(), small.size());
  CHECK(r.length == 12);
  CHECK(small[3] == 24);  // list length still reports all LUNs
  r = build_report_luns(luns, {select_report::well_known_only, 64}, small.data(), small.size());
  REQUIRE(r.length == 16);
  CHECK(small[3] == 8);  // the REPORT LUNS well known LUN only
  CHECK(small[8] == 0xC1);
  CHECK(small[9] == 0x01);
  r = build_report_luns(luns, {select_report::all, 64}, small.data(), small.size());
  REQUIRE(r.length == 40);
  CHECK(small[3] == 32);  // three LUNs and the W-LUN last
  CHECK(small[32] == 0xC1);
}

TEST_CASE("report_luns_cdb_validation", "[scsi][luns]") {
  uint8_t cdb[12] = {0xA0, 0, 0x02, 0, 0, 0, 0, 0, 0x10, 0, 0, 0};
  auto d = decode_report_luns(cdb, 12);
  REQUIRE_FALSE(d.error);
  CHECK(d.req.select == 2);
  CHECK(d.req.alloc_len == 4096);
  cdb[2] = 0x03;
  d = decode_report_luns(cdb, 12);
  REQUIRE(d.error);
  CHECK(d.error->field->byte == 2);
  cdb[2] = 0;
  cdb[1] = 0x01;
  d = decode_report_luns(cdb, 12);
  REQUIRE(d.error);
  CHECK(d.error->field->byte == 1);
  CHECK(d.error->field->bit == 0);
}
