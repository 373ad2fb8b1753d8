// Data buffers (architecture.md "Resources"): a write's buffer is the LU's,
// taken when it asks for the data (charged to the session meanwhile),
// never at arrival; the session limit and the daemon-wide pool cap pace
// reads (they wait in order, end in BUSY after 5 s);
// a command whose data is already on its way gets BUSY / TASK SET FULL when
// no buffer can take it; the command window stops opening while memory is
// short and a NOP-In reopens it when memory returns; a ping waits for its
// echo buffer instead of failing.
#include <chrono>

#include "conn_fixture.hpp"
#include "wire/scsi/sense.hpp"

using namespace stmfd::iscsi;
using namespace stmfd::iscsi::test;
namespace status = stmfd::scsi::status;

namespace {

constexpr uint32_t kib = 1024, mib = 1024 * 1024;

// Answers every R2T of a write of `data` until its SCSI Response; returns its status.
uint8_t finish_write(conn_fixture& f, uint32_t itt, const bytes& data, std::optional<pdu> first_r2t = {}) {
  std::optional<pdu> p = std::move(first_r2t);
  for (int guard = 0; guard < 64; ++guard) {
    if (!p) p = f.ini.recv(3000);
    REQUIRE(p);
    REQUIRE(p->itt() == itt);
    if (p->op() == op::scsi_response) return p->status();
    REQUIRE(p->op() == op::r2t);
    REQUIRE(f.ini.answer_r2t(*p, data));
    p.reset();
  }
  FAIL("write never completed");
  return 0xff;
}

// Holds all but `leave` bytes of what the global pool may still hand out.
struct pool_filler {
  std::vector<stmfd::io::buffer> held;
  explicit pool_filler(uint64_t leave) {
    auto& pool = stmfd::io::buffer_pool::global();
    for (uint32_t chunk : {64 * kib, 4 * kib}) {
      while (pool.available() >= leave + chunk) {
        auto b = pool.acquire(chunk);
        if (!b) break;
        held.push_back(b);
      }
    }
  }
  void release() {
    for (auto& b : held) stmfd::io::buffer_pool::global().release(b);
    held.clear();
  }
  ~pool_filler() { release(); }
};

}  // namespace

TEST_CASE("write_buffers_are_taken_when_the_lu_asks_and_charged_to_the_session", "[iscsi][conn][memory][bounds]") {
  port_settings s = test_settings();
  s.session_buffer_bytes = 1 * mib;
  conn_fixture f(s);
  f.login();
  f.lu_hold(true);  // the task set holds it: nothing is asked for yet
  bytes a_data = pattern(1 * mib, 1);
  uint32_t a = f.ini.write10(0, 1 * mib);
  CHECK(f.quiet(300));
  auto st = f.stats();
  CHECK(st.tasks == 1);
  CHECK(st.session_buffers == 0);  // no buffer at arrival

  f.lu_hold(false);
  f.lu_release();  // the LU runs it and asks for its Data-Out
  pdu a_r2t = f.expect(op::r2t, a);
  CHECK(a_r2t.r2t_length() == 256 * kib);       // MaxBurstLength
  CHECK(f.stats().session_buffers == 1 * mib);  // the LU's buffer, charged while its data comes
  CHECK(finish_write(f, a, a_data, a_r2t) == status::good);
  CHECK(f.last_write() == a_data);
  CHECK(f.eventually([](const connection_stats& x) { return x.session_buffers == 0 && x.tasks == 0; }));
  CHECK_FALSE(f.ini.max_cmd_sn_decreased());
}

TEST_CASE("a_command_waiting_too_long_for_memory_ends_in_busy", "[iscsi][conn][memory][bounds]") {
  port_settings s = test_settings();
  s.session_buffer_bytes = 1 * mib;
  conn_fixture f(s);
  f.login();
  uint32_t a = f.ini.write10(0, 1 * mib);
  pdu a_r2t = f.expect(op::r2t, a);  // A's data never comes (for now); its 1 MiB is the session's limit
  uint32_t b = f.ini.read10(4096, 1 * mib);
  auto t0 = std::chrono::steady_clock::now();
  pdu busy = f.expect(op::scsi_response, b, 8000);
  auto waited = std::chrono::steady_clock::now() - t0;
  CHECK(busy.status() == status::busy);
  CHECK(waited >= std::chrono::milliseconds(4500));
  CHECK(f.stats().tasks == 1);
  CHECK(finish_write(f, a, pattern(1 * mib, 4), a_r2t) == status::good);  // A was never failed
}

TEST_CASE("a_write_whose_data_is_on_its_way_gets_busy_or_task_set_full", "[iscsi][conn][memory][bounds]") {
  conn_fixture f;
  f.login();
  pool_cap_guard cap(4 * mib);
  pool_filler fill(16 * kib);  // less than the first burst's buffer (64 KiB: FirstBurstLength)
  bytes imm = pattern(4 * kib, 5);
  uint32_t lone = f.ini.write10(0, 1 * mib, imm);
  CHECK(f.expect(op::scsi_response, lone).status() == status::busy);  // SAM-5: nothing else in progress

  uint32_t tur = f.hold_commands(1)[0];
  uint32_t second = f.ini.write10(0, 1 * mib, imm);
  CHECK(f.expect(op::scsi_response, second).status() == status::task_set_full);
  f.lu_hold(false);
  f.lu_release();
  CHECK(f.expect(op::scsi_response, tur).status() == status::good);

  fill.release();  // memory is back: the same write runs
  uint32_t again = f.ini.write10(0, 1 * mib, imm);
  bytes all = imm;
  bytes rest = pattern(1 * mib - 4 * kib, 6);
  all.insert(all.end(), rest.begin(), rest.end());
  CHECK(finish_write(f, again, all) == status::good);
  CHECK(f.last_write() == all);  // the immediate data and the solicited rest, each at its offset
}

TEST_CASE("a_write_waits_for_its_data_buffer_and_its_r2t_goes_out_when_memory_returns",
          "[iscsi][conn][memory][bounds][xfer]") {
  conn_fixture f;
  f.login();
  pool_cap_guard cap(4 * mib);
  pool_filler fill(128 * kib);  // less than the 1 MiB write needs
  bytes data = pattern(1 * mib, 8);
  uint32_t itt = f.ini.write10(0, 1 * mib);
  CHECK(f.quiet(300));  // the LU asked, but no R2T without a buffer for the data
  // The LU's request may reach the connection after those 300 ms on a slow
  // (sanitizer) build: wait for it rather than assume it.
  CHECK(f.eventually([](const connection_stats& s) { return s.waiting_memory == 1; }));
  CHECK(f.stats().session_buffers == 0);
  CHECK(f.quiet(100));  // and still no R2T
  auto x = f.xfers();
  REQUIRE(x.size() == 1);
  CHECK_FALSE(x[0].answered);  // the accepted command is not failed: it waits
  fill.release();
  CHECK(finish_write(f, itt, data) == status::good);
  CHECK(f.last_write() == data);
}

TEST_CASE("a_read_waits_for_its_buffer_and_runs_when_memory_returns", "[iscsi][conn][memory][bounds]") {
  conn_fixture f;
  f.login();
  pool_cap_guard cap(4 * mib);
  pool_filler fill(128 * kib);
  uint32_t itt = f.ini.read10(0, 512 * kib);
  CHECK(f.quiet(300));
  CHECK(f.stats().waiting_memory == 1);
  fill.release();
  uint32_t got = 0;
  for (;;) {
    auto p = f.ini.recv(3000);
    REQUIRE(p);
    REQUIRE(p->op() == op::data_in);
    REQUIRE(p->itt() == itt);
    got += uint32_t(p->data.size());
    if (p->flags() & 0x01) {
      CHECK(p->status() == status::good);
      break;
    }
  }
  CHECK(got == 512 * kib);
}

TEST_CASE("the_window_reopens_by_nop_in_when_memory_returns", "[iscsi][conn][memory][cmdsn]") {
  conn_fixture f(test_settings(2));
  f.login();
  uint32_t first = f.ini.cmd_sn();
  pool_cap_guard cap(8 * mib);
  pool_filler fill(64 * kib);  // short of memory: the window must not open
  auto held = f.hold_commands(2);
  f.lu_hold(false);
  f.lu_release();
  f.expect_good(held);
  CHECK(f.ini.exp_cmd_sn() == first + 2);
  CHECK(f.ini.max_cmd_sn() == first + 1);  // closed: nothing may be sent
  CHECK(f.quiet(200));

  fill.release();
  pdu nop = f.expect(op::nop_in, reserved_tag, 2000);
  CHECK(nop.itt() == reserved_tag);  // RFC 7143 11.19: no answer expected
  CHECK(nop.ttt() == reserved_tag);
  CHECK(nop.max_cmd_sn() == first + 3);  // the window is open again
  CHECK(f.expect(op::scsi_response, f.ini.test_unit_ready()).status() == status::good);
  CHECK_FALSE(f.ini.max_cmd_sn_decreased());
}

TEST_CASE("a_ping_waits_for_its_echo_buffer_and_receiving_pauses", "[iscsi][conn][memory][bounds]") {
  conn_fixture f;
  f.login();
  pool_cap_guard cap(4 * mib);
  pool_filler fill(0);
  bytes data = pattern(4 * kib, 7);
  uint32_t itt = f.ini.ping(data);
  CHECK(f.quiet(300));
  CHECK(f.eventually([](const connection_stats& x) { return !x.receiving; }));
  fill.release();
  pdu echo = f.expect(op::nop_in, itt, 2000);
  CHECK(echo.data == data);
  CHECK(f.eventually([](const connection_stats& x) { return x.receiving; }));
}
