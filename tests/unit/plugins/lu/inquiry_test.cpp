#include <catch2/catch.hpp>

#include "disk_fixture.hpp"

using namespace sbd_test;

TEST_CASE("standard_inquiry_bytes", "[sbd][inquiry]") {
  fixture f;
  auto r = f.run({0x12, 0, 0, 0, 0xFF, 0});
  REQUIRE(is_good(r));
  REQUIRE(r.data.size() == 96);
  // Byte 5: 3PC (EXTENDED COPY through the framework's copy manager).
  const bytes head = {0x00, 0x00, 0x06, 0x12, 91,  0x08, 0x00, 0x02, 'S', 'T', 'M', 'F', 'D', ' ', ' ', ' ', 'V', 'D',
                      'I',  'S',  'K',  ' ',  ' ', ' ',  ' ',  ' ',  ' ', ' ', ' ', ' ', ' ', ' ', '0', '0', '0', '1'};
  CHECK(bytes(r.data.begin(), r.data.begin() + 36) == head);
  // SAM-5, iSCSI, SPC-4, SBC-3 (libiscsi keys SBC-3 support on 04C0h).
  CHECK(bytes(r.data.begin() + 58, r.data.begin() + 74) ==
        bytes{0x00, 0xA0, 0x09, 0x60, 0x04, 0x60, 0x04, 0xC0, 0, 0, 0, 0, 0, 0, 0, 0});
}

TEST_CASE("inquiry_allocation_length_cuts_data", "[sbd][inquiry]") {
  fixture f;
  auto r = f.run({0x12, 0, 0, 0, 0, 0});
  REQUIRE(is_good(r));
  CHECK(r.data.empty());
  r = f.run({0x12, 0, 0, 0, 5, 0});
  REQUIRE(is_good(r));
  CHECK(r.data == bytes{0x00, 0x00, 0x06, 0x12, 91});
  r = f.run({0x12, 0, 0, 0x01, 0x00, 0});  // 256: 16-bit allocation length
  REQUIRE(is_good(r));
  CHECK(r.data.size() == 96);
}

TEST_CASE("inquiry_page_code_without_evpd_is_invalid", "[sbd][inquiry]") {
  fixture f;
  CHECK(is_invalid_field(f.run({0x12, 0, 0x80, 0, 0xFF, 0}), 2));
  CHECK(is_invalid_field(f.run({0x12, 0x01, 0xC0, 0, 0xFF, 0}), 2));  // unsupported VPD page
  CHECK(is_invalid_field(f.run({0x12, 0x02, 0, 0, 0xFF, 0}), 1, 1));  // CMDDT
  CHECK(is_invalid_field(f.run({0x12, 0, 0, 0, 0xFF, 0x04}), 5, 2));  // NACA
}

TEST_CASE("vpd_supported_pages_and_serial", "[sbd][inquiry]") {
  fixture f;
  auto r = f.run({0x12, 1, 0x00, 0, 0xFF, 0});
  REQUIRE(is_good(r));
  CHECK(r.data == bytes{0x00, 0x00, 0x00, 0x09, 0x00, 0x80, 0x83, 0x86, 0x87, 0x8F, 0xB0, 0xB1, 0xB2});
  r = f.run({0x12, 1, 0x80, 0, 0xFF, 0});
  REQUIRE(is_good(r));
  CHECK(r.data == bytes{0x00, 0x80, 0x00, 0x04, 'S', 'N', '0', '1'});
  // Every advertised page can be read (libiscsi Inquiry.SupportedVPD).
  for (uint8_t p : {0x00, 0x80, 0x83, 0x86, 0x87, 0x8F, 0xB0, 0xB1, 0xB2}) {
    auto q = f.run({0x12, 1, p, 0, 0xFF, 0});
    REQUIRE(is_good(q));
    CHECK(q.data[1] == p);
    CHECK(size_t(q.data[2] << 8 | q.data[3]) + 4 == q.data.size());
  }
}

TEST_CASE("vpd_device_identification_bytes", "[sbd][inquiry]") {
  fixture f;
  auto r = f.run({0x12, 1, 0x83, 0, 0xFF, 0});
  REQUIRE(is_good(r));
  bytes want = {0x00, 0x83, 0x00, 96,
                // NAA, association LU
                0x01, 0x03, 0x00, 0x10, 0x60, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
                // SCSI name string, target port: "iqn.2026-01.test:t1,t,0x0001" + NUL + pad to 32
                0x53, 0x98, 0x00, 32};
  for (char c : std::string("iqn.2026-01.test:t1,t,0x0001")) want.push_back(uint8_t(c));
  want.insert(want.end(), 4, 0);
  // relative target port 2, target port group 1
  for (uint8_t b : {0x51, 0x94, 0x00, 0x04, 0x00, 0x00, 0x00, 0x02, 0x51, 0x95, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01})
    want.push_back(b);
  // SCSI name string, target device
  for (uint8_t b : {0x53, 0xA8, 0x00, 20}) want.push_back(b);
  for (char c : std::string("iqn.2026-01.test:t1")) want.push_back(uint8_t(c));
  want.push_back(0);
  CHECK(r.data == want);
}

TEST_CASE("vpd_device_identification_without_port", "[sbd][inquiry]") {
  fixture f;
  bytes c = {0x12, 1, 0x83, 0, 0xFF, 0};
  c.resize(16);
  stmfd::sbd::command cmd;
  cmd.cdb = c.data();
  cmd.cdb_len = c.size();
  bytes out(stmfd::sbd::disk::min_data_in_cap);
  auto o = f.d.execute(cmd, out.data(), out.size());
  REQUIRE(o.status == 0);
  REQUIRE(o.data_in_len == 24);
  CHECK(out[3] == 20);
  CHECK(out[4] == 0x01);
  CHECK(out[5] == 0x03);
}

TEST_CASE("vpd_extended_inquiry_block_limits_characteristics_provisioning", "[sbd][inquiry]") {
  stmfd::sbd::geometry g = test_geometry();
  g.lbppbe = 3;
  g.non_rotational = true;
  fixture f(g);
  auto r = f.run({0x12, 1, 0x86, 0, 0xFF, 0});
  REQUIRE(is_good(r));
  REQUIRE(r.data.size() == 64);
  CHECK(bytes(r.data.begin(), r.data.begin() + 8) == bytes{0, 0x86, 0, 0x3C, 0x00, 0x07, 0x01, 0x01});

  r = f.run({0x12, 1, 0xB0, 0, 0xFF, 0});
  REQUIRE(is_good(r));
  REQUIRE(r.data.size() == 64);
  CHECK(bytes(r.data.begin(), r.data.begin() + 16) ==
        bytes{0, 0xB0, 0, 0x3C, 0, 0xFF, 0x00, 0x08, 0x00, 0x00, 0x08, 0x00, 0, 0, 0, 0});  // MAX CAW 255
  CHECK(bytes(r.data.begin() + 20, r.data.begin() + 32) == bytes(12, 0));  // fully provisioned: no UNMAP
  // WRITE ATOMIC(16): at most 2048 blocks (MAXIMUM TRANSFER LENGTH), in
  // physical blocks of 8: alignment and granularity 8; no atomic boundaries.
  CHECK(bytes(r.data.begin() + 44, r.data.begin() + 64) ==
        bytes{0, 0, 0x08, 0, 0, 0, 0, 8, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0});

  r = f.run({0x12, 1, 0xB1, 0, 0xFF, 0});
  REQUIRE(is_good(r));
  REQUIRE(r.data.size() == 64);
  CHECK(bytes(r.data.begin(), r.data.begin() + 6) == bytes{0, 0xB1, 0, 0x3C, 0x00, 0x01});
  CHECK(r.data[7] == 0);  // no BLOCK or CRYPTO ERASE on a fully provisioned LU: WABEREQ, WACEREQ 0
  fixture thin(test_thin_geometry());
  r = thin.run({0x12, 1, 0xB1, 0, 0xFF, 0});
  REQUIRE(is_good(r));
  CHECK(r.data[7] == 0x50);  // WABEREQ 01b, WACEREQ 01b: erased blocks read (as zeros)

  r = f.run({0x12, 1, 0xB2, 0, 0xFF, 0});
  REQUIRE(is_good(r));
  CHECK(r.data == bytes{0, 0xB2, 0, 0x04, 0, 0, 0, 0});
}

// SPC-4 7.8.9: Caching and Informational Exceptions shared (00b), Control
// per I_T nexus (11b), MLUS 0.
TEST_CASE("vpd_mode_page_policy", "[sbd][inquiry]") {
  fixture f;
  auto r = f.run({0x12, 1, 0x87, 0, 0xFF, 0});
  REQUIRE(is_good(r));
  CHECK(r.data == bytes{0x00, 0x87, 0x00, 0x0C, 0x08, 0, 0x00, 0, 0x0A, 0, 0x03, 0, 0x1C, 0, 0x00, 0});
}
