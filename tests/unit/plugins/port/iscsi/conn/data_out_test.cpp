// Data-Out through the framework (conn_xfer.cpp): a write is posted with its
// first burst, the LU asks for the rest (xfer_atom) and the connection
// answers with R2Ts per burst (RFC 7143 11.8: MaxBurstLength each, one
// outstanding at MaxOutstandingR2T=1, R2TSN from 0, DataSN per sequence),
// places each PDU at its offset, and answers the request; a held write
// solicits nothing; Data-Out that stops coming ends the command in CHECK
// CONDITION 0Bh/4Bh/06h and later data for it is discarded; data nobody
// asked for is refused without harming the task it names.
#include <sys/socket.h>

#include <chrono>
#include <set>
#include <thread>

#include "conn_fixture.hpp"
#include "wire/scsi/sense.hpp"

using namespace stmfd;
using namespace stmfd::iscsi;
using namespace stmfd::iscsi::test;
namespace status = stmfd::scsi::status;

namespace {

constexpr uint32_t kib = 1024;

uint32_t r2t_sn(const pdu& p) { return get_be32(&p.bhs[36]); }

// CHECK CONDITION, ABORTED COMMAND 4Bh/00h DATA PHASE ERROR (fixed format).
void check_data_phase_error(const pdu& rsp) { check_condition_with(rsp, 0x0b, 0x4b, 0x00); }

}  // namespace

TEST_CASE("the_lu_request_is_answered_with_one_r2t_per_burst", "[iscsi][conn][xfer]") {
  conn_fixture f;
  f.login();  // MaxBurstLength 256 KiB, FirstBurstLength 64 KiB, MaxOutstandingR2T 1
  const uint32_t len = 600 * kib;
  bytes all = pattern(len, 11);
  bytes imm(all.begin(), all.begin() + 4 * kib);
  uint32_t itt = f.ini.write10(0, len, imm);

  uint32_t offset = 4 * kib;
  std::set<uint32_t> ttts;
  for (uint32_t n = 0; offset < len; ++n) {
    pdu r2t = f.expect(op::r2t, itt);
    CHECK(r2t_sn(r2t) == n);
    CHECK(r2t.r2t_offset() == offset);
    CHECK(r2t.r2t_length() == std::min(256 * kib, len - offset));
    CHECK(ttts.insert(r2t.ttt()).second);  // a new Target Transfer Tag each time
    CHECK(f.quiet(100));                   // one outstanding at a time
    REQUIRE(f.ini.answer_r2t(r2t, all, 64 * kib));
    offset += r2t.r2t_length();
  }
  CHECK(f.expect(op::scsi_response, itt).status() == status::good);
  CHECK(ttts.size() == 3);
  auto x = f.xfers();
  REQUIRE(x.size() == 1);  // one request from the LU, answered once it was all there
  CHECK(x[0].offset == 4 * kib);
  CHECK(x[0].length == len - 4 * kib);
  CHECK(x[0].ok);
  CHECK(f.last_write() == all);
  CHECK(f.eventually([](const connection_stats& s) { return s.tasks == 0 && s.session_buffers == 0; }));
}

TEST_CASE("a_write_with_all_its_data_immediate_is_posted_with_no_request", "[iscsi][conn][xfer]") {
  conn_fixture f;
  f.login();
  bytes data = pattern(4 * kib, 12);
  uint32_t itt = f.ini.write10(0, 4 * kib, data);
  CHECK(f.expect(op::scsi_response, itt).status() == status::good);
  CHECK(f.xfers().empty());
  CHECK(f.last_write() == data);
}

TEST_CASE("a_held_write_solicits_nothing_and_holds_only_its_first_burst", "[iscsi][conn][xfer][memory]") {
  conn_fixture f;
  f.login();
  f.lu_hold(true);
  bytes a_data = pattern(512 * kib, 13), b_data = pattern(1024 * kib, 14);
  bytes b_imm(b_data.begin(), b_data.begin() + 4 * kib);
  uint32_t a = f.ini.write10(0, 512 * kib);             // InitialR2T=Yes, no immediate data: nothing arrives with it
  uint32_t b = f.ini.write10(2048, 1024 * kib, b_imm);  // 4 KiB immediate
  CHECK(f.eventually([](const connection_stats& s) { return s.tasks == 2; }));
  CHECK(f.quiet(300));  // no R2T while the LU holds them
  CHECK(f.xfers().empty());
  auto st = f.stats();
  // Only B's first burst: a buffer of FirstBurstLength, not of its 1 MiB.
  CHECK(st.session_buffers == io::buffer_pool::charge_of(64 * kib));

  f.lu_hold(false);
  f.lu_release();
  for (int done = 0; done < 2;) {
    auto p = f.ini.recv(3000);
    REQUIRE(p);
    if (p->op() == op::r2t) {
      REQUIRE((p->itt() == a || p->itt() == b));
      REQUIRE(f.ini.answer_r2t(*p, p->itt() == a ? a_data : b_data));
      continue;
    }
    REQUIRE(p->op() == op::scsi_response);
    CHECK(p->status() == status::good);
    ++done;
  }
  CHECK(f.xfers().size() == 2);
}

TEST_CASE("data_out_that_never_comes_ends_the_command_in_check_condition", "[iscsi][conn][xfer][timeout]") {
  port_settings s = test_settings();
  s.data_out_timeout_s = 1;
  conn_fixture f(s);
  f.login();
  bytes data = pattern(256 * kib, 15);
  uint32_t itt = f.ini.write10(0, 256 * kib);
  pdu r2t = f.expect(op::r2t, itt);
  bytes first(data.begin(), data.begin() + 16 * kib);
  REQUIRE(f.ini.data_out(itt, r2t.ttt(), 0, 0, first, false));  // one PDU, then nothing

  auto t0 = std::chrono::steady_clock::now();
  auto rsp = tick_until_pdu(f, 5);
  REQUIRE(rsp);
  CHECK(std::chrono::steady_clock::now() - t0 >= std::chrono::milliseconds(900));
  REQUIRE(rsp->op() == op::scsi_response);
  CHECK(rsp->itt() == itt);
  CHECK(rsp->status() == status::check_condition);
  bytes sense = sense_of(*rsp);
  REQUIRE(sense.size() >= 14);
  CHECK((sense[2] & 0x0f) == 0x0b);  // ABORTED COMMAND: the initiator may retry
  CHECK(sense[12] == 0x4b);          // INITIATOR RESPONSE TIMEOUT
  CHECK(sense[13] == 0x06);
  auto x = f.xfers();
  REQUIRE(x.size() == 1);
  CHECK(x[0].answered);
  CHECK_FALSE(x[0].ok);           // the LU ended it untouched
  CHECK(f.last_write().empty());  // nothing reached the "medium"

  // The rest of the data comes late: discarded, no Reject, nothing breaks.
  bytes rest(data.begin() + 16 * kib, data.end());
  REQUIRE(f.ini.data_out(itt, r2t.ttt(), 1, 16 * kib, rest, true));
  CHECK(f.quiet(300));
  CHECK(f.expect(op::scsi_response, f.ini.test_unit_ready()).status() == status::good);
  CHECK(f.stats().tasks == 0);
}

TEST_CASE("unsolicited_data_out_under_initial_r2t_is_refused_without_harming_the_task", "[iscsi][conn][xfer]") {
  conn_fixture f;
  f.login();  // InitialR2T=Yes: a Data-Out without a TTT is data nobody asked for
  uint32_t itt = f.ini.write10(0, 64 * kib);
  pdu r2t = f.expect(op::r2t, itt);
  REQUIRE(f.ini.data_out(itt, reserved_tag, 0, 0, pattern(4 * kib, 16), false));
  pdu rej = f.expect(op::reject);
  CHECK(rej.reject_reason() == reject_reason::invalid_pdu_field);
  // The task was not harmed: its R2T is still answered.
  bytes data = pattern(64 * kib, 17);
  REQUIRE(f.ini.answer_r2t(r2t, data));
  CHECK(f.expect(op::scsi_response, itt).status() == status::good);
  CHECK(f.last_write() == data);
}

TEST_CASE("data_out_nobody_asked_for_is_refused_without_harming_other_tasks", "[iscsi][conn][xfer]") {
  conn_fixture f;
  f.login();
  // For no task at all: discarded.
  REQUIRE(f.ini.data_out(0x7777, 0x1234, 0, 0, pattern(512, 18), true));
  CHECK(f.quiet(300));

  bytes a_data = pattern(128 * kib, 19), b_data = pattern(128 * kib, 20);
  uint32_t a = f.ini.write10(0, 128 * kib);
  pdu a_r2t = f.expect(op::r2t, a);
  uint32_t b = f.ini.write10(1024, 128 * kib);
  pdu b_r2t = f.expect(op::r2t, b);

  // A TTT no R2T carries: Reject, the task goes on.
  REQUIRE(f.ini.data_out(a, a_r2t.ttt() + 1000, 0, 0, pattern(512, 21), false));
  CHECK(f.expect(op::reject).reject_reason() == reject_reason::invalid_pdu_field);

  // B's data beyond its burst (and its EDTL): a protocol error that ends B
  // alone, untouched (RFC 7143 7.1.2, ERL 0), in CHECK CONDITION ABORTED
  // COMMAND 4Bh/00h DATA PHASE ERROR.
  REQUIRE(f.ini.data_out(b, b_r2t.ttt(), 0, 0, pattern(129 * kib, 22), true));
  CHECK(f.expect(op::reject).reject_reason() == reject_reason::protocol_error);
  check_data_phase_error(f.expect(op::scsi_response, b));

  REQUIRE(f.ini.answer_r2t(a_r2t, a_data));
  CHECK(f.expect(op::scsi_response, a).status() == status::good);
  CHECK(f.last_write() == a_data);
  CHECK(f.quiet(300));  // nothing more for B
  auto x = f.xfers();
  REQUIRE(x.size() == 2);
  for (auto& r : x) {
    CHECK(r.answered);
    CHECK(r.ok == (r.itt == a));
  }
  CHECK(f.eventually([](const connection_stats& s) { return s.tasks == 0 && s.session_buffers == 0; }));
}

TEST_CASE("a_closing_connection_answers_the_open_request_false", "[iscsi][conn][xfer]") {
  conn_fixture f;
  f.login();
  uint32_t itt = f.ini.write10(0, 64 * kib);
  f.expect(op::r2t, itt);
  ::shutdown(f.peer_fd, SHUT_RDWR);
  bool answered = false;
  for (int i = 0; i < 300 && !answered; ++i) {
    auto x = f.xfers();
    answered = x.size() == 1 && x[0].answered && !x[0].ok;
    if (!answered) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(answered);
  CHECK(f.last_write().empty());
}

TEST_CASE("r2ts_are_outstanding_up_to_max_outstanding_r2t", "[iscsi][conn][xfer]") {
  port_settings s = test_settings();
  s.limits.max_outstanding_r2t = 2;
  conn_fixture f(s);
  f.login({true, 4});  // RFC 7143 13.17: the lower of the two, 2
  const uint32_t len = 1024 * kib;
  bytes all = pattern(len, 23);
  uint32_t itt = f.ini.write10(0, len);
  pdu first = f.expect(op::r2t, itt), second = f.expect(op::r2t, itt);
  CHECK(r2t_sn(first) == 0);
  CHECK(r2t_sn(second) == 1);
  CHECK(first.r2t_offset() == 0);
  CHECK(second.r2t_offset() == 256 * kib);
  CHECK(first.ttt() != second.ttt());
  CHECK(f.quiet(200));  // two outstanding: no third yet
  REQUIRE(f.ini.answer_r2t(first, all));
  pdu third = f.expect(op::r2t, itt);  // the first burst is in: room for one more
  CHECK(r2t_sn(third) == 2);
  CHECK(third.r2t_offset() == 512 * kib);
  REQUIRE(f.ini.answer_r2t(second, all));
  pdu fourth = f.expect(op::r2t, itt);
  CHECK(fourth.r2t_offset() == 768 * kib);
  REQUIRE(f.ini.answer_r2t(third, all));
  REQUIRE(f.ini.answer_r2t(fourth, all));
  CHECK(f.expect(op::scsi_response, itt).status() == status::good);
  CHECK(f.last_write() == all);
}

TEST_CASE("the_first_burst_is_posted_and_the_lu_asks_for_the_rest", "[iscsi][conn][xfer]") {
  port_settings s = test_settings();
  s.limits.initial_r2t = false;
  conn_fixture f(s);
  f.login({false, 1});  // InitialR2T=No: unsolicited Data-Out up to FirstBurstLength (64 KiB)
  const uint32_t len = 128 * kib;
  bytes all = pattern(len, 24);
  uint32_t itt = write_with_unsolicited(f.ini, len, bytes(all.begin(), all.begin() + 4 * kib));
  CHECK(f.quiet(200));  // nothing posted, nothing solicited while the first burst comes
  CHECK(f.xfers().empty());
  for (uint32_t off = 4 * kib, sn = 0; off < 64 * kib; off += 12 * kib, ++sn) {
    uint32_t n = std::min(12 * kib, 64 * kib - off);
    REQUIRE(f.ini.data_out(itt, reserved_tag, sn, off, bytes(all.begin() + off, all.begin() + off + n),
                           off + n == 64 * kib));
  }
  pdu r2t = f.expect(op::r2t, itt);
  CHECK(r2t.r2t_offset() == 64 * kib);
  CHECK(r2t.r2t_length() == 64 * kib);
  CHECK(r2t_sn(r2t) == 0);
  REQUIRE(f.ini.answer_r2t(r2t, all));
  CHECK(f.expect(op::scsi_response, itt).status() == status::good);
  auto x = f.xfers();
  REQUIRE(x.size() == 1);
  CHECK(x[0].offset == 64 * kib);
  CHECK(x[0].length == 64 * kib);
  CHECK(f.last_write() == all);  // first burst and rest, each at its offset
}

TEST_CASE("a_first_burst_that_never_completes_ends_in_check_condition", "[iscsi][conn][xfer][timeout]") {
  port_settings s = test_settings();
  s.limits.initial_r2t = false;
  s.data_out_timeout_s = 1;
  conn_fixture f(s);
  f.login({false, 1});
  uint32_t itt = write_with_unsolicited(f.ini, 128 * kib, pattern(4 * kib, 25));  // the rest never comes
  auto rsp = tick_until_pdu(f, 5);
  REQUIRE(rsp);
  REQUIRE(rsp->op() == op::scsi_response);
  CHECK(rsp->itt() == itt);
  CHECK(rsp->status() == status::check_condition);
  bytes sense = sense_of(*rsp);
  REQUIRE(sense.size() >= 14);
  CHECK((sense[2] & 0x0f) == 0x0b);
  CHECK(sense[12] == 0x4b);
  CHECK(sense[13] == 0x06);
  CHECK(f.xfers().empty());  // never posted: no LU saw it
  CHECK(f.eventually([](const connection_stats& x) { return x.tasks == 0 && x.session_buffers == 0; }));
}

// RFC 7143 7.1.2 at ERL 0: Data-Out at an offset the R2T did not ask for
// ends the command: a Reject names the PDU, the LU hears false (nothing
// reaches the medium) and the command ends in CHECK CONDITION ABORTED
// COMMAND 4Bh/00h DATA PHASE ERROR; its later data is discarded.
TEST_CASE("data_out_at_a_wrong_offset_ends_the_command_in_check_condition", "[iscsi][conn][xfer]") {
  conn_fixture f;
  f.login();
  uint32_t itt = f.ini.write10(0, 64 * kib);
  pdu r2t = f.expect(op::r2t, itt);
  REQUIRE(f.ini.data_out(itt, r2t.ttt(), 0, 4 * kib, pattern(4 * kib, 30), false));
  CHECK(f.expect(op::reject).reject_reason() == reject_reason::protocol_error);
  check_data_phase_error(f.expect(op::scsi_response, itt));
  auto x = f.xfers();
  REQUIRE(x.size() == 1);
  CHECK(x[0].answered);
  CHECK_FALSE(x[0].ok);
  REQUIRE(f.ini.data_out(itt, r2t.ttt(), 1, 0, pattern(4 * kib, 31), false));
  CHECK(f.quiet(300));  // discarded: no Reject, no second response
  CHECK(f.expect(op::scsi_response, f.ini.test_unit_ready()).status() == status::good);
  CHECK(f.eventually([](const connection_stats& s) { return s.tasks == 0 && s.session_buffers == 0; }));
}
