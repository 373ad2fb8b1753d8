// The disk's rows for third-party copy (SPC-4 6.3, 6.18): the table checks
// the CDBs and hands them to the framework's copy manager
// (lu_outcome::copy_manager); the VPD page 8Fh and REPORT SUPPORTED
// OPERATION CODES say so.
#include <catch2/catch.hpp>

#include "disk_fixture.hpp"

using namespace sbd_test;

TEST_CASE("extended_copy_and_receive_copy_results_go_to_the_copy_manager", "[sbd][xcopy]") {
  fixture f;
  const bytes list(16 + 32 + 28, 0);
  auto r = f.run({0x83, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 76, 0, 0}, list);
  CHECK(r.o.what == sbd::outcome::kind::done);
  CHECK(r.o.copy_manager);
  for (uint8_t sa : {0x00, 0x04}) {  // COPY STATUS, FAILED SEGMENT DETAILS of list 1
    auto q = f.run({0x84, sa, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0});
    CHECK(q.o.copy_manager);
  }
  CHECK(f.run({0x84, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0}).o.copy_manager);  // OPERATING PARAMETERS
  CHECK_FALSE(f.run({0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0}).o.copy_manager);
}

TEST_CASE("third_party_copy_cdbs_are_checked_by_the_table", "[sbd][xcopy]") {
  fixture f;
  CHECK(f.run({0x83, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 48, 0, 0}).o.copy_manager);           // LID4
  CHECK(is_invalid_field(f.run({0x83, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 16, 0, 0}), 1, 4));  // no such SA
  CHECK(f.run({0x84, 0x05, 1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0}).o.copy_manager);            // COPY STATUS(LID4)
  CHECK(is_invalid_field(f.run({0x84, 0x05, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0}), 6, 0));   // reserved byte
  CHECK(is_invalid_field(f.run({0x83, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 16, 0x01, 0}), 14, 0));  // reserved byte
  CHECK(is_invalid_field(f.run({0x84, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0}), 1, 4));       // RECEIVE DATA
  CHECK(is_invalid_field(f.run({0x84, 0x03, 0x05, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0}), 2,
                         2));  // byte 2 reserved here
}

TEST_CASE("third_party_copy_vpd_page_and_rsoc", "[sbd][xcopy]") {
  fixture f;
  auto r = f.run({0x12, 1, 0x8F, 0x01, 0x00, 0});
  REQUIRE(is_good(r));
  CHECK(r.data[1] == 0x8F);
  CHECK(size_t(r.data[2] << 8 | r.data[3]) + 4 == r.data.size());
  // REPORT SUPPORTED OPERATION CODES, one command: EXTENDED COPY (LID1) is supported.
  auto q = f.run({0xA3, 0x0C, 0x02, 0x83, 0x00, 0x00, 0, 0, 0x01, 0, 0, 0});
  REQUIRE(is_good(q));
  CHECK((q.data[1] & 0x07) == 0x03);  // SUPPORT 011b
  CHECK(q.data[3] == 16);
  // ... and EXTENDED COPY (LID4), RECEIVE COPY STATUS(LID4) with its four-byte list identifier.
  q = f.run({0xA3, 0x0C, 0x02, 0x83, 0x00, 0x01, 0, 0, 0x01, 0, 0, 0});
  REQUIRE(is_good(q));
  CHECK((q.data[1] & 0x07) == 0x03);
  q = f.run({0xA3, 0x0C, 0x02, 0x84, 0x00, 0x05, 0, 0, 0x01, 0, 0, 0});
  REQUIRE(is_good(q));
  CHECK((q.data[1] & 0x07) == 0x03);
  CHECK(q.data[4 + 2] == 0xFF);  // CDB USAGE DATA byte 2..5: LIST IDENTIFIER
  CHECK(q.data[4 + 5] == 0xFF);
}
