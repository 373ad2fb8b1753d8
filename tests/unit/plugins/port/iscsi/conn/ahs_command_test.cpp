// SCSI Commands with AHSs on a connection (RFC 7143 11.2.2, 11.3.5): an
// Extended CDB AHS brings a 32-byte CDB to the LU whole; lengths that do
// not add up and reserved AHS types are refused with a Reject, and the
// session goes on.
#include <algorithm>

#include "conn_fixture.hpp"

using namespace stmfd;
using namespace stmfd::iscsi;
using namespace stmfd::iscsi::test;
namespace status = stmfd::scsi::status;

namespace {

// A variable-length CDB (SPC-4 4.2.5, opcode 7Fh) of 32 bytes: the BHS
// holds bytes 0-15, the Extended CDB AHS the rest.
bytes cdb32() {
  bytes c(32);
  c[0] = 0x7f;
  c[7] = 24;  // ADDITIONAL CDB LENGTH
  for (size_t i = 8; i < c.size(); ++i) c[i] = uint8_t(i);
  return c;
}

bytes extended_cdb_ahs(const bytes& cdb) {
  size_t extra = cdb.size() - 16;
  bytes a((4 + extra + 3) / 4 * 4, 0);  // sized once: the padding stays zero
  a[0] = uint8_t((extra + 1) >> 8);     // AHSLength
  a[1] = uint8_t(extra + 1);
  a[2] = 0x01;  // type 1 (Extended CDB); a[3] reserved
  std::copy(cdb.begin() + 16, cdb.end(), a.begin() + 4);
  return a;
}

}  // namespace

TEST_CASE("a_32_byte_cdb_reaches_the_lu_whole", "[iscsi][conn][ahs]") {
  conn_fixture f;
  f.login();
  bytes cdb = cdb32();
  uint32_t itt = f.ini.command_with_ahs(cdb, extended_cdb_ahs(cdb));
  CHECK(f.expect(op::scsi_response, itt).status() == status::good);  // the fake LU answers anything GOOD
  CHECK(f.last_cdb() == cdb);
}

TEST_CASE("a_malformed_ahs_is_rejected_and_the_session_goes_on", "[iscsi][conn][ahs]") {
  conn_fixture f;
  f.login();
  bytes cdb = cdb32();
  SECTION("AHSLength beyond TotalAHSLength") {
    bytes a = extended_cdb_ahs(cdb);
    a[1] = 40;  // claims 40 bytes in a 20-byte segment
    f.ini.command_with_ahs(cdb, a);
    CHECK(f.expect(op::reject).reject_reason() == reject_reason::protocol_error);
  }
  SECTION("an Extended CDB with no CDB bytes") {
    f.ini.command_with_ahs(cdb, bytes{0, 1, 0x01, 0});
    CHECK(f.expect(op::reject).reject_reason() == reject_reason::protocol_error);
  }
  SECTION("a reserved AHS type") {
    f.ini.command_with_ahs(cdb, bytes{0, 1, 0x05, 0});
    CHECK(f.expect(op::reject).reject_reason() == reject_reason::invalid_pdu_field);
  }
  CHECK(f.stats().tasks == 0);  // never entered the task set
  uint32_t tur = f.ini.test_unit_ready();
  CHECK(f.expect(op::scsi_response, tur).status() == status::good);
  CHECK(f.last_cdb() == bytes(16, 0));  // no AHS: the BHS's 16 bytes
}
