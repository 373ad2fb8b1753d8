// Command numbering and the command limit (RFC 7143 4.2.2.1): commands in
// the window wait for a gap to fill, commands outside it are dropped, the
// window closes as commands fill the session's limit (MaxCmdSN never goes
// down), and immediate commands, which take no CmdSN, count against the
// same limit.
#include "conn_fixture.hpp"

using namespace stmfd::iscsi;
using namespace stmfd::iscsi::test;

TEST_CASE("a_gap_in_the_window_is_held_until_filled_and_beyond_the_window_is_dropped", "[iscsi][conn][cmdsn]") {
  conn_fixture f;
  f.login();
  uint32_t first = f.ini.cmd_sn();
  uint32_t later = f.ini.test_unit_ready(false, first + 1);  // in the window, but first is missing
  CHECK(f.quiet(300));
  uint32_t now = f.ini.test_unit_ready(false, first);
  f.expect_good({now, later});
  CHECK(f.ini.exp_cmd_sn() == first + 2);

  uint32_t outside = f.ini.max_cmd_sn() + 1;
  f.ini.test_unit_ready(false, outside);  // silently ignored
  uint32_t ping = f.ini.ping({});
  pdu echo = f.expect(op::nop_in, ping);  // the only answer
  CHECK(echo.exp_cmd_sn() == first + 2);
  CHECK(f.quiet(200));
  CHECK_FALSE(f.ini.max_cmd_sn_decreased());
}

TEST_CASE("the_window_closes_when_commands_fill_the_limit_and_reopens_as_they_end", "[iscsi][conn][cmdsn][bounds]") {
  conn_fixture f(test_settings(4));
  f.login();
  uint32_t first = f.ini.cmd_sn();
  CHECK(f.ini.max_cmd_sn() == first + 3);
  std::vector<uint32_t> itts = f.hold_commands(4);
  // The limit is reached: a response now carries MaxCmdSN = ExpCmdSN - 1.
  f.expect(op::nop_in, f.ini.ping({}));
  CHECK(f.ini.exp_cmd_sn() == first + 4);
  CHECK(f.ini.max_cmd_sn() == first + 3);
  // A fifth numbered command, CmdSN = ExpCmdSN, is outside the closed
  // window: dropped, never run.
  f.ini.test_unit_ready(false, first + 4);
  CHECK(f.quiet(300));
  CHECK(f.stats().tasks == 4);

  f.lu_release();
  f.expect_good(itts);
  CHECK(f.ini.max_cmd_sn() == f.ini.exp_cmd_sn() + 3);  // all four slots open again
  CHECK_FALSE(f.ini.max_cmd_sn_decreased());
}

TEST_CASE("immediate_commands_count_against_the_command_limit", "[iscsi][conn][cmdsn][bounds]") {
  constexpr uint32_t window = 4;
  conn_fixture f(test_settings(window));
  f.login();
  auto held = f.hold_commands(2);
  // Two numbered commands run and two more CmdSNs are granted: 4 = the limit.
  uint32_t imm1 = f.ini.test_unit_ready(true);
  // RFC 7143 4.2.2.1: one immediate command is always taken.
  REQUIRE(f.eventually([](const connection_stats& st) { return st.tasks == 3; }));
  uint32_t imm2 = f.ini.test_unit_ready(true);
  pdu rej = f.expect(op::reject);
  CHECK(rej.reject_reason() == reject_reason::immediate_command_rejected);
  CHECK(get_be32(&rej.data[16]) == imm2);  // the refused command's header comes back
  auto st = f.stats();
  CHECK(st.tasks == 3);
  CHECK(st.tasks + (st.max_cmd_sn - st.exp_cmd_sn + 1) == window + 1);  // the bound, reached

  f.lu_hold(false);
  f.lu_release();
  f.expect_good({held[0], held[1], imm1});
  uint32_t imm3 = f.ini.test_unit_ready(true);  // room again
  CHECK(f.expect(op::scsi_response, imm3).status() == 0);
}
