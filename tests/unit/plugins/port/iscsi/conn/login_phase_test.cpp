// The login phase of a connection (RFC 7143 6): login into the full feature
// phase, nothing but Login Requests before it, and the small receive buffer
// a connection holds until a PDU needs more.
#include "conn_fixture.hpp"
#include "plugins/port/iscsi/rx_buffer.hpp"

using namespace stmfd::iscsi;
using namespace stmfd::iscsi::test;

TEST_CASE("login_reaches_the_full_feature_phase_and_commands_run", "[iscsi][conn][login]") {
  conn_fixture f;
  CHECK_FALSE(f.stats().full_feature);
  f.login();
  uint32_t itt = f.ini.test_unit_ready();
  pdu rsp = f.expect(op::scsi_response, itt);
  CHECK(rsp.status() == 0);  // GOOD from the (fake) LU through a task actor
  bytes data = pattern(1000, 1);
  uint32_t ping = f.ini.ping(data);
  pdu echo = f.expect(op::nop_in, ping);
  CHECK(echo.data == data);
  CHECK(echo.ttt() == reserved_tag);
}

TEST_CASE("a_non_login_pdu_during_login_closes_the_connection", "[iscsi][conn][login]") {
  conn_fixture f;
  f.ini.ping({1, 2, 3, 4});  // RFC 7143 6.2: only Login Requests before the full feature phase
  CHECK(f.ini.closed_within(3000));
}

TEST_CASE("before_login_a_connection_holds_a_16k_receive_buffer", "[iscsi][conn][login][bounds]") {
  conn_fixture f;
  CHECK(f.stats().rx_capacity == rx_buffer::small_bytes);
  // A login data segment beyond the login phase's 8192 bytes (RFC 7143
  // 13.12) is refused rather than grown into.
  bytes b = header(op::login_request, true, 0x80 | (1 << 2) | 3, 1, 8193);
  CHECK(f.ini.send(b));
  CHECK(f.ini.closed_within(3000));
}

TEST_CASE("a_logged_in_connection_grows_its_buffer_for_large_pdus_and_shrinks_when_they_stop",
          "[iscsi][conn][bounds]") {
  conn_fixture f;
  f.login();
  CHECK(f.stats().rx_capacity == rx_buffer::small_bytes);  // commands alone never grow it
  for (int i = 0; i < 20; ++i) f.expect(op::scsi_response, f.ini.test_unit_ready());
  CHECK(f.stats().rx_capacity == rx_buffer::small_bytes);

  bytes data = pattern(200 * 1024, 2);
  uint32_t itt = f.ini.new_itt();
  bytes whole = f.ini.ping_pdu(itt, data);
  size_t half = whole.size() / 2;
  auto& pool = stmfd::io::buffer_pool::global();
  REQUIRE(f.ini.send(bytes(whole.begin(), whole.begin() + half)));
  // Half a 200 KiB PDU is in: the buffer grew from the pool to hold all of it.
  CHECK(f.eventually([](const connection_stats& s) { return s.rx_capacity >= 200 * 1024 + 48; }));
  uint64_t in_use_mid = pool.in_use();
  CHECK(in_use_mid >= 256 * 1024);
  REQUIRE(f.ini.send(bytes(whole.begin() + half, whole.end())));
  pdu echo = f.expect(op::nop_in, itt);
  CHECK(echo.data == data);
  // A few small receives later (back-to-back large PDUs keep it), the
  // buffer went back to 16 KiB and the pool.
  CHECK(f.stats().rx_capacity > rx_buffer::small_bytes);
  for (int i = 0; i < 12; ++i) f.expect(op::scsi_response, f.ini.test_unit_ready());
  CHECK(f.eventually([](const connection_stats& s) { return s.rx_capacity == rx_buffer::small_bytes; }));
}
