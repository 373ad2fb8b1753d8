#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "wire/scsi/byte_writer.hpp"
#include "wire/scsi/inquiry.hpp"
#include "wire/scsi/vpd.hpp"

using namespace stmfd::scsi;
using bytes = std::vector<uint8_t>;

TEST_CASE("standard_inquiry_layout", "[scsi][inquiry]") {
  const uint16_t versions[] = {0x00A0, 0x0460};
  standard_inquiry d;
  d.vendor = "ACME";
  d.product = "DISK";
  d.revision = "12";
  d.version_descriptors = versions;
  bytes out(200, 0xEE);
  REQUIRE(build_standard_inquiry(d, out.data(), out.size()) == 96);
  const bytes head = {0x00, 0x00, 0x06, 0x12, 91,  0x00, 0x00, 0x02, 'A', 'C', 'M', 'E', ' ', ' ', ' ', ' ', 'D', 'I',
                      'S',  'K',  ' ',  ' ',  ' ', ' ',  ' ',  ' ',  ' ', ' ', ' ', ' ', ' ', ' ', '1', '2', ' ', ' '};
  CHECK(bytes(out.begin(), out.begin() + 36) == head);
  CHECK(out[58] == 0x00);
  CHECK(out[59] == 0xA0);
  CHECK(out[60] == 0x04);
  CHECK(out[61] == 0x60);
  CHECK(out[62] == 0);
  CHECK(out[95] == 0);
  CHECK(out[96] == 0xEE);
}

TEST_CASE("unmapped_lun_inquiry", "[scsi][inquiry]") {
  bytes out(256, 0xEE);
  uint8_t cdb[6] = {0x12, 0, 0, 0, 0xFF, 0};
  auto r = build_unmapped_inquiry(cdb, 6, "STMFD", "VDISK", "0001", out.data(), out.size());
  REQUIRE_FALSE(r.error);
  CHECK(r.length == 96);
  CHECK(out[0] == 0x7F);
  CHECK(out[2] == 0x06);
  CHECK(out[4] == 91);

  cdb[1] = 1;  // EVPD page 00h
  r = build_unmapped_inquiry(cdb, 6, "STMFD", "VDISK", "0001", out.data(), out.size());
  REQUIRE_FALSE(r.error);
  CHECK(bytes(out.begin(), out.begin() + long(r.length)) == bytes{0x7F, 0x00, 0x00, 0x01, 0x00});

  cdb[2] = 0x83;
  r = build_unmapped_inquiry(cdb, 6, "STMFD", "VDISK", "0001", out.data(), out.size());
  REQUIRE(r.error);
  CHECK(r.error->field->byte == 2);

  cdb[1] = 0x02;  // CMDDT
  cdb[2] = 0;
  r = build_unmapped_inquiry(cdb, 6, "STMFD", "VDISK", "0001", out.data(), out.size());
  REQUIRE(r.error);
  CHECK(r.error->field->byte == 1);
  CHECK(r.error->field->bit == 1);

  cdb[1] = 0;
  cdb[4] = 5;  // allocation length cuts the data
  r = build_unmapped_inquiry(cdb, 6, "STMFD", "VDISK", "0001", out.data(), out.size());
  CHECK(r.length == 5);
}

TEST_CASE("iscsi_port_name_designator_is_padded", "[scsi][vpd]") {
  bytes out(64, 0xEE);
  byte_writer w(out.data(), out.size());
  vpd::put_iscsi_port_name(w, "iqn.x", 0x1A);
  // "iqn.x,t,0x001a" = 14 chars + NUL = 15 -> padded to 16.
  REQUIRE(w.size() == 4 + 16);
  const bytes want = {0x53, 0x98, 0x00, 16, 'i', 'q', 'n', '.', 'x', ',', 't', ',', '0', 'x', '0', '0', '1', 'a', 0, 0};
  CHECK(bytes(out.begin(), out.begin() + 20) == want);
}

TEST_CASE("lu_and_port_designators", "[scsi][vpd]") {
  bytes out(64, 0xEE);
  byte_writer w(out.data(), out.size());
  const uint8_t naa[16] = {0x60, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
  vpd::put_naa(w, naa, 16);
  vpd::put_relative_port(w, 2);
  vpd::put_target_port_group(w, 7);
  REQUIRE(w.size() == 20 + 8 + 8);
  CHECK(bytes(out.begin(), out.begin() + 5) == bytes{0x01, 0x03, 0x00, 0x10, 0x60});
  CHECK(bytes(out.begin() + 20, out.begin() + 36) == bytes{0x51, 0x94, 0, 4, 0, 0, 0, 2, 0x51, 0x95, 0, 4, 0, 0, 0, 7});
}
