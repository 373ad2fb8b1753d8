// Digest errors at ErrorRecoveryLevel 0 (RFC 7143 7.8; conn_digest.cpp):
// a PDU whose data digest is wrong gets Reject 02h and is discarded; a
// Data-Out the task waited for ends its write in CHECK CONDITION, ABORTED
// COMMAND 47h/05h PROTOCOL SERVICE CRC ERROR once the rest of the data owed
// has come (F=1), with nothing of it written; immediate data with a bad
// digest discards its command (a CmdSN gap its retry fills); a header digest
// error closes the connection.
#include <chrono>

#include "conn_fixture.hpp"
#include "wire/scsi/sense.hpp"

using namespace stmfd;
using namespace stmfd::iscsi;
using namespace stmfd::iscsi::test;
namespace status = stmfd::scsi::status;

namespace {

constexpr uint32_t kib = 1024;

void login_with_digests(conn_fixture& f, initiator::login_options o = {}) {
  o.digests = true;
  f.login(o);
  REQUIRE(f.ini.digests());
}

// Reject 02h "Data (payload) digest error" carrying the header of the
// discarded PDU (RFC 7143 11.17.1): its opcode, ITT and Buffer Offset.
void expect_digest_reject(conn_fixture& f, uint8_t opcode, uint32_t itt, uint32_t offset = 0) {
  pdu rej = f.expect(op::reject);
  CHECK(rej.reject_reason() == reject_reason::data_digest_error);
  REQUIRE(rej.data.size() == bhs_len);
  CHECK((rej.data[0] & 0x3f) == opcode);
  CHECK(get_be32(&rej.data[16]) == itt);
  if (opcode == op::data_out) CHECK(get_be32(&rej.data[40]) == offset);
}

// CHECK CONDITION, ABORTED COMMAND, 47h/05h (RFC 7143 11.4.7.2).
void check_crc_error(const pdu& rsp) { check_condition_with(rsp, 0x0b, 0x47, 0x05); }

bytes slice(const bytes& b, uint32_t from, uint32_t n) { return bytes(b.begin() + from, b.begin() + from + n); }

}  // namespace

TEST_CASE("a_solicited_data_out_with_a_bad_data_digest_ends_its_write_once_the_burst_is_in",
          "[iscsi][conn][digest]") {
  conn_fixture f;
  login_with_digests(f);
  const uint32_t len = 64 * kib;
  bytes data = pattern(len, 40);
  uint32_t itt = f.ini.write10(0, len);
  pdu r2t = f.expect(op::r2t, itt);
  REQUIRE(r2t.r2t_length() == len);
  REQUIRE(f.ini.data_out(itt, r2t.ttt(), 0, 0, slice(data, 0, 16 * kib), false));
  f.ini.corrupt_next_data_digest();
  REQUIRE(f.ini.data_out(itt, r2t.ttt(), 1, 16 * kib, slice(data, 16 * kib, 16 * kib), false));
  expect_digest_reject(f, op::data_out, itt, 16 * kib);
  REQUIRE(f.ini.data_out(itt, r2t.ttt(), 2, 32 * kib, slice(data, 32 * kib, 16 * kib), false));
  CHECK(f.quiet(300));  // 7.8: no status while the burst's F=1 PDU is still owed
  CHECK(f.stats().tasks == 1);
  REQUIRE(f.ini.data_out(itt, r2t.ttt(), 3, 48 * kib, slice(data, 48 * kib, 16 * kib), true));
  check_crc_error(f.expect(op::scsi_response, itt));
  auto x = f.xfers();
  REQUIRE(x.size() == 1);
  CHECK(x[0].answered);
  CHECK_FALSE(x[0].ok);  // the LU heard false: nothing went to the medium
  CHECK(f.last_write().empty());
  // The connection goes on: the same write again is GOOD and lands whole.
  uint32_t again = f.ini.write10(0, len);
  pdu r2 = f.expect(op::r2t, again);
  REQUIRE(f.ini.answer_r2t(r2, data, 16 * kib));
  CHECK(f.expect(op::scsi_response, again).status() == status::good);
  CHECK(f.last_write() == data);
  CHECK(f.ini.target_digests_ok());
  CHECK(f.eventually([](const connection_stats& s) { return s.tasks == 0 && s.session_buffers == 0; }));
}

TEST_CASE("a_bad_data_digest_on_the_final_data_out_ends_the_write_at_once", "[iscsi][conn][digest]") {
  conn_fixture f;
  login_with_digests(f);
  bytes data = pattern(32 * kib, 41);
  uint32_t itt = f.ini.write10(0, 32 * kib, slice(data, 0, 4 * kib));
  pdu r2t = f.expect(op::r2t, itt);
  REQUIRE(f.ini.data_out(itt, r2t.ttt(), 0, 4 * kib, slice(data, 4 * kib, 14 * kib), false));
  f.ini.corrupt_next_data_digest();
  REQUIRE(f.ini.data_out(itt, r2t.ttt(), 1, 18 * kib, slice(data, 18 * kib, 14 * kib), true));
  expect_digest_reject(f, op::data_out, itt, 18 * kib);
  check_crc_error(f.expect(op::scsi_response, itt));  // its F=1 was the last PDU owed
  CHECK(f.last_write().empty());
  CHECK(f.expect(op::scsi_response, f.ini.test_unit_ready()).status() == status::good);
  CHECK(f.eventually([](const connection_stats& s) { return s.tasks == 0 && s.session_buffers == 0; }));
}

TEST_CASE("a_bad_data_digest_in_unsolicited_data_out_ends_the_write_after_the_first_burst",
          "[iscsi][conn][digest]") {
  port_settings s = test_settings();
  s.limits.initial_r2t = false;
  conn_fixture f(s);
  initiator::login_options o;
  o.initial_r2t = false;  // unsolicited Data-Out up to FirstBurstLength (64 KiB)
  login_with_digests(f, o);
  const uint32_t len = 128 * kib;
  bytes data = pattern(len, 42);
  uint32_t itt = write_with_unsolicited(f.ini, len, slice(data, 0, 4 * kib));
  REQUIRE(f.ini.data_out(itt, reserved_tag, 0, 4 * kib, slice(data, 4 * kib, 20 * kib), false));
  f.ini.corrupt_next_data_digest();
  REQUIRE(f.ini.data_out(itt, reserved_tag, 1, 24 * kib, slice(data, 24 * kib, 20 * kib), false));
  expect_digest_reject(f, op::data_out, itt, 24 * kib);
  CHECK(f.quiet(300));  // the first burst's F=1 PDU is still owed
  REQUIRE(f.ini.data_out(itt, reserved_tag, 2, 44 * kib, slice(data, 44 * kib, 20 * kib), true));
  check_crc_error(f.expect(op::scsi_response, itt));
  CHECK(f.xfers().empty());  // never posted: no LU saw it
  CHECK(f.last_write().empty());
  CHECK(f.expect(op::scsi_response, f.ini.test_unit_ready()).status() == status::good);
  CHECK(f.eventually([](const connection_stats& st) { return st.tasks == 0 && st.session_buffers == 0; }));
}

TEST_CASE("the_wait_for_owed_data_out_after_a_digest_error_ends_at_the_data_out_time_limit",
          "[iscsi][conn][digest][timeout]") {
  port_settings s = test_settings();
  s.data_out_timeout_s = 1;
  conn_fixture f(s);
  login_with_digests(f);
  bytes data = pattern(64 * kib, 43);
  uint32_t itt = f.ini.write10(0, 64 * kib);
  pdu r2t = f.expect(op::r2t, itt);
  f.ini.corrupt_next_data_digest();
  REQUIRE(f.ini.data_out(itt, r2t.ttt(), 0, 0, slice(data, 0, 16 * kib), false));  // then nothing
  expect_digest_reject(f, op::data_out, itt, 0);
  auto rsp = tick_until_pdu(f, 5);
  REQUIRE(rsp);
  REQUIRE(rsp->op() == op::scsi_response);
  CHECK(rsp->itt() == itt);
  check_crc_error(*rsp);  // the cause stays the digest error
  CHECK(f.last_write().empty());
  CHECK(f.eventually([](const connection_stats& st) { return st.tasks == 0 && st.session_buffers == 0; }));
}

TEST_CASE("a_bad_digest_on_data_out_nobody_asked_for_harms_no_task", "[iscsi][conn][digest]") {
  conn_fixture f;
  login_with_digests(f);
  bytes data = pattern(16 * kib, 44);
  uint32_t itt = f.ini.write10(0, 16 * kib);
  pdu r2t = f.expect(op::r2t, itt);
  f.ini.corrupt_next_data_digest();
  REQUIRE(f.ini.data_out(itt, r2t.ttt() + 1000, 0, 0, slice(data, 0, 4 * kib), true));  // a TTT no R2T carries
  expect_digest_reject(f, op::data_out, itt, 0);
  REQUIRE(f.ini.answer_r2t(r2t, data));
  CHECK(f.expect(op::scsi_response, itt).status() == status::good);
  CHECK(f.last_write() == data);
}

// 7.8: immediate data follows the rule for non-data PDUs: the command is
// discarded (no status for it), its CmdSN is not received (7.3: a gap, so
// the next command waits), and its retry (7.2.1: same ITT and CmdSN) runs.
TEST_CASE("immediate_data_with_a_bad_digest_discards_the_command_until_its_retry", "[iscsi][conn][digest]") {
  conn_fixture f;
  login_with_digests(f);
  bytes bad = pattern(4 * kib, 45), good = pattern(4 * kib, 46);
  uint32_t sn = f.ini.cmd_sn();
  f.ini.corrupt_next_data_digest();
  uint32_t itt = f.ini.write10(0, 4 * kib, bad);
  expect_digest_reject(f, op::scsi_command, itt);
  uint32_t tur = f.ini.test_unit_ready();  // CmdSN sn + 1: behind the gap
  CHECK(f.quiet(300));
  CHECK(f.ini.exp_cmd_sn() == sn);  // the Reject did not count the command as received
  CHECK(f.stats().tasks == 0);

  bytes retry = header(op::scsi_command, false, 0xa1, itt, uint32_t(good.size()));  // F, W, SIMPLE
  put_be32(&retry[20], 4 * kib);
  put_be32(&retry[24], sn);
  const uint8_t cdb[10] = {0x2a, 0, 0, 0, 0, 0, 0, 0, 8, 0};
  std::copy(cdb, cdb + sizeof cdb, &retry[32]);
  REQUIRE(f.ini.send(f.ini.frame(retry, good)));
  f.expect_good({itt, tur});
  CHECK(f.last_write() == good);
}

TEST_CASE("a_header_digest_error_closes_the_connection", "[iscsi][conn][digest]") {
  conn_fixture f;
  login_with_digests(f);
  f.ini.corrupt_next_header_digest();
  f.ini.ping(pattern(100, 47));
  CHECK(f.ini.closed_within(3000));  // RFC 7143 7.8: no sync and steering at ERL 0
}
