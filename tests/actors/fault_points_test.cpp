// Fault points with commands in flight (issue 10 section 2; the failure
// table in architecture.md): the io layer failing a backing I/O (EIO,
// ENOSPC, short), stalling one in the kernel's hands, the LU dying while
// the kernel owns its buffer, the io actor dying under I/O, task
// management while a stalled I/O is outstanding, and a delayed LU mailbox.
#include <chrono>
#include <thread>

#include "tests/actors/fixture.hpp"

using namespace stmfd;
using namespace stmfd::test;
using kind = lu_definition::backing_kind;
using tmf = wire::TaskManagementFunction;
using clock_type = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

void arm(faults::point p, faults::action a, uint32_t ms = 500, uint32_t times = 1) {
  faults::spec s;
  s.act = a;
  s.ms = ms;
  s.times = times;
  REQUIRE(faults::arm(p, s).empty());
}

std::vector<uint8_t> pattern(size_t n, uint8_t seed) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = uint8_t(seed + i * 13 + i / 512);
  return v;
}

}  // namespace

TEST_CASE("backing_store_errors_give_the_failure_table_sense", "[actors][faults]") {
  struct row {
    faults::action act;
    bool write;
    std::tuple<int, int, int> sense;
  };
  auto r = GENERATE(
      row{faults::action::eio, false, {0x3, 0x11, 0x00}}, row{faults::action::eio, true, {0x3, 0x0C, 0x00}},
      row{faults::action::enospc, true, {0x7, 0x27, 0x07}}, row{faults::action::short_io, false, {0x3, 0x11, 0x00}},
      row{faults::action::short_io, true, {0x3, 0x0C, 0x00}});
  stmf_fixture f(kind::file);
  auto data = pattern(4096, 1);
  REQUIRE(f.run(f.make_task(write10(0, 8), wire::Direction::WRITE, 4096, data))->task.getStatus() == 0);
  arm(faults::point::io_file, r.act);
  auto t = r.write ? f.run(f.make_task(write10(8, 8), wire::Direction::WRITE, 4096, pattern(4096, 2)))
                   : f.run(f.make_task(read10(0, 8), wire::Direction::READ, 4096));
  CHECK(t->task.getStatus() == 2);
  CHECK(sense_of(t) == r.sense);
  // Nothing else happens: the LU keeps serving, no unit attention, the data
  // acknowledged before is intact.
  auto back = f.run(f.make_task(read10(0, 8), wire::Direction::READ, 4096));
  REQUIRE(back->task.getStatus() == 0);
  CHECK(std::equal(data.begin(), data.end(), back->data.data));
}

TEST_CASE("an_lu_dying_while_the_kernel_holds_its_buffer_never_frees_it_early", "[actors][faults]") {
  stmf_fixture f(kind::file);
  const auto stored = pattern(32768, 3);
  REQUIRE(f.run(f.make_task(write10(0, 64), wire::Direction::WRITE, 32768, stored))->task.getStatus() == 0);
  // The READ's submission is held 600 ms before it enters the kernel; the LU
  // dies right after handing it over.
  arm(faults::point::io_file, faults::action::stall, 600);
  arm(faults::point::lu_io_submitted, faults::action::crash);
  auto t0 = clock_type::now();
  auto r = f.run(f.make_task(read10(0, 64), wire::Direction::READ, 32768));
  CHECK(r->task.getStatus() == 2);
  CHECK(sense_of(r) == std::make_tuple(0x4, 0x44, 0x00));
  CHECK(clock_type::now() - t0 < milliseconds(500));  // answered at once, not when the I/O ended
  // The session is done with the command. Only the dead LU's I/O holds its
  // context now (contexts return to the fixture's pool, so this pointer
  // stays readable): the buffer is still the kernel's.
  task_context* raw = r.get();
  r = nullptr;
  CHECK(raw->refs.load() == 1);
  CHECK(raw->data.data != nullptr);
  auto lu = f.wait_lu_update();
  f.grant.luns[0].lu = lu;  // as a session does: the dead LU's handles go
  f.grant.msg.lus = {lu};
  // Meanwhile the restarted LU answers what needs no medium at once.
  f.run(f.make_task(test_unit_ready(), wire::Direction::NONE, 0), lu);  // POWER ON unit attention
  CHECK(raw->refs.load() == 1);                                         // still held while the I/O is outstanding
  // Its medium I/O waits for the dead LU's read to leave the kernel (issue
  // 10); by then the dead LU let go of the context, which returned its
  // buffer: the write and read below may get it back, and must see only
  // their own data in it.
  const auto fresh = pattern(32768, 4);
  auto w = f.run(f.make_task(write10(100, 64), wire::Direction::WRITE, 32768, fresh), lu);
  REQUIRE(w->task.getStatus() == 0);
  CHECK(clock_type::now() - t0 >= milliseconds(600));
  auto during = f.run(f.make_task(read10(100, 64), wire::Direction::READ, 32768), lu);
  REQUIRE(during->task.getStatus() == 0);
  if (w.get() != raw && during.get() != raw) {  // not handed out again: it must be back in the pool, bufferless
    for (int i = 0; i < 100 && raw->refs.load() != 0; ++i) std::this_thread::sleep_for(milliseconds(20));
    CHECK(raw->refs.load() == 0);
    CHECK(raw->data.data == nullptr);
  }
  CHECK(std::equal(fresh.begin(), fresh.end(), during->data.data));  // never overwritten by the late read
  auto back = f.run(f.make_task(read10(0, 64), wire::Direction::READ, 32768), lu);
  REQUIRE(back->task.getStatus() == 0);
  CHECK(std::equal(stored.begin(), stored.end(), back->data.data));
}

TEST_CASE("abort_task_waits_for_a_write_the_kernel_holds", "[actors][faults][tmf]") {
  stmf_fixture f(kind::file);
  arm(faults::point::io_file, faults::action::stall, 500);
  auto data = pattern(4096, 5);
  auto t0 = clock_type::now();  // the stall starts after this, when the LU submits
  auto w = post_task(f, f.make_task(write10(0, 8), wire::Direction::WRITE, 4096, data), 7);
  std::this_thread::sleep_for(milliseconds(100));  // the write is in the ring
  REQUIRE(lu_function(f, tmf::ABORT_TASK, 7));
  // The function completes only once the I/O came back: the task no longer
  // touches the medium (SAM-5 7.1). An I/O the kernel owns cannot be
  // recalled, so the write may have landed; it reports no status (TAS=0).
  CHECK(clock_type::now() - t0 >= milliseconds(500));
  CHECK(w->aborted.load());
  auto done = next_done(f);
  CHECK(done->aborted.load());
  auto r = f.run(f.make_task(read10(0, 8), wire::Direction::READ, 4096));
  CHECK(r->task.getStatus() == 0);
}

TEST_CASE("lu_reset_waits_for_a_stalled_read_then_reaches_the_nexus", "[actors][faults][tmf]") {
  stmf_fixture f(kind::file);
  arm(faults::point::io_file, faults::action::stall, 500);
  auto t0 = clock_type::now();
  post_task(f, f.make_task(read10(0, 8), wire::Direction::READ, 4096), 9);
  std::this_thread::sleep_for(milliseconds(100));
  REQUIRE(lu_function(f, tmf::LOGICAL_UNIT_RESET, 0));
  CHECK(clock_type::now() - t0 >= milliseconds(500));
  CHECK(next_done(f)->aborted.load());
  auto ua = f.run(f.make_task(test_unit_ready(), wire::Direction::NONE, 0));
  CHECK(ua->task.getStatus() == 2);
  CHECK(sense_of(ua) == std::make_tuple(0x6, 0x29, 0x03));  // BUS DEVICE RESET FUNCTION OCCURRED
  CHECK(f.run(f.make_task(test_unit_ready(), wire::Direction::NONE, 0))->task.getStatus() == 0);
}

TEST_CASE("an_io_actor_failing_under_io_fails_it_back_retryably_and_gets_a_new_ring", "[actors][faults]") {
  stmf_fixture f(kind::file);
  auto data = pattern(4096, 6);
  REQUIRE(f.run(f.make_task(write10(0, 8), wire::Direction::WRITE, 4096, data))->task.getStatus() == 0);
  arm(faults::point::io_file, faults::action::stall, 300);
  arm(faults::point::io_actor, faults::action::crash);
  auto r = f.run(f.make_task(read10(0, 8), wire::Direction::READ, 4096));
  // The ring stops under the read (-ECANCELED: COMMAND ABORTED, retryable),
  // or STMF restarts the LU onto the new ring first (INTERNAL TARGET FAILURE).
  CHECK(r->task.getStatus() == 2);
  auto [key, asc, ascq] = sense_of(r);
  CHECK((key == 0xB || (key == 0x4 && asc == 0x44)));
  auto lu = f.wait_lu_update();
  task_ptr back;
  for (int i = 0; i < 3; ++i) {  // the restart's POWER ON unit attention first
    back = f.run(f.make_task(read10(0, 8), wire::Direction::READ, 4096), lu);
    if (back->task.getStatus() == 0) break;
  }
  REQUIRE(back->task.getStatus() == 0);
  CHECK(std::equal(data.begin(), data.end(), back->data.data));
}

TEST_CASE("a_delayed_lu_mailbox_only_slows_the_command", "[actors][faults]") {
  stmf_fixture f(kind::ram);
  arm(faults::point::lu_execute, faults::action::delay, 300);
  auto t0 = clock_type::now();
  auto t = f.run(f.make_task(test_unit_ready(), wire::Direction::NONE, 0));
  CHECK(t->task.getStatus() == 0);
  CHECK(clock_type::now() - t0 >= milliseconds(300));
  CHECK(faults::firings(faults::point::lu_execute) > 0);
}

TEST_CASE("a_point_matched_to_another_lu_leaves_this_one_alone", "[actors][faults]") {
  stmf_fixture f(kind::ram);
  faults::spec s;
  s.match = "tape9";
  REQUIRE(faults::arm(faults::point::lu_execute, s).empty());
  CHECK(f.run(f.make_task(test_unit_ready(), wire::Direction::NONE, 0))->task.getStatus() == 0);
  bool still_armed = false;
  for (auto& p : faults::list())
    if (p.p == faults::point::lu_execute) still_armed = p.armed && p.passes == 0;
  CHECK(still_armed);
}

// Issue 10, the lost acknowledged write: the LU dies while its write of
// 0xAA is held on its way into the kernel (io_file stall); STMF restarts it
// at once; the initiator rewrites the range with 0xBB through the new LU.
// The new LU answers TEST UNIT READY (POWER ON) at once but holds the write
// until the old one left the kernel, so 0xBB is what the medium keeps.
TEST_CASE("a_restarted_lu_writes_only_after_its_predecessors_io_left_the_kernel", "[actors][faults][drain]") {
  stmf_fixture f(kind::file);
  arm(faults::point::io_file, faults::action::stall, 600);
  arm(faults::point::lu_io_submitted, faults::action::crash);
  auto t0 = clock_type::now();
  auto lost = f.run(f.make_task(write10(0, 8), wire::Direction::WRITE, 4096, std::vector<uint8_t>(4096, 0xAA)));
  CHECK(sense_of(lost) == std::make_tuple(0x4, 0x44, 0x00));
  auto lu = f.wait_lu_update();
  REQUIRE(lu);
  f.grant.luns[0].lu = lu;
  f.grant.msg.lus = {lu};
  auto ua = f.run(f.make_task(test_unit_ready(), wire::Direction::NONE, 0), lu);
  CHECK(sense_of(ua) == std::make_tuple(0x6, 0x29, 0x00));
  CHECK(clock_type::now() - t0 < milliseconds(500));  // the start was not delayed
  const std::vector<uint8_t> fresh(4096, 0xBB);
  auto w = f.run(f.make_task(write10(0, 8), wire::Direction::WRITE, 4096, fresh), lu);
  REQUIRE(w->task.getStatus() == 0);
  CHECK(clock_type::now() - t0 >= milliseconds(600));     // held until the old write ended
  std::this_thread::sleep_until(t0 + milliseconds(900));  // past the old write's stall: anything late landed
  auto r = f.run(f.make_task(read10(0, 8), wire::Direction::READ, 4096), lu);
  REQUIRE(r->task.getStatus() == 0);
  CHECK(std::equal(fresh.begin(), fresh.end(), r->data.data));
}

// A command held behind the dead LU's I/O is still a task: ABORT TASK ends
// it before the old I/O does, and it never reaches the medium.
TEST_CASE("abort_task_ends_a_write_held_behind_a_dead_lus_io", "[actors][faults][drain][tmf]") {
  stmf_fixture f(kind::file);
  const auto stored = pattern(4096, 6);
  REQUIRE(f.run(f.make_task(write10(8, 8), wire::Direction::WRITE, 4096, stored))->task.getStatus() == 0);
  arm(faults::point::io_file, faults::action::stall, 1500);
  arm(faults::point::lu_io_submitted, faults::action::crash);
  auto t0 = clock_type::now();
  auto lost = f.run(f.make_task(read10(0, 8), wire::Direction::READ, 4096));
  CHECK(sense_of(lost) == std::make_tuple(0x4, 0x44, 0x00));
  auto lu = f.wait_lu_update();
  REQUIRE(lu);
  f.grant.luns[0].lu = lu;
  f.grant.msg.lus = {lu};
  f.run(f.make_task(test_unit_ready(), wire::Direction::NONE, 0), lu);  // POWER ON unit attention
  auto w = post_task(f, f.make_task(write10(8, 8), wire::Direction::WRITE, 4096, pattern(4096, 7)), 9);
  std::this_thread::sleep_for(milliseconds(50));  // the write is held
  REQUIRE(lu_function(f, tmf::ABORT_TASK, 9));
  CHECK(clock_type::now() - t0 < milliseconds(1500));  // not after the old read
  CHECK(next_done(f)->aborted.load());
  auto back = f.run(f.make_task(read10(8, 8), wire::Direction::READ, 4096), lu);  // waits for the old read
  REQUIRE(back->task.getStatus() == 0);
  CHECK(clock_type::now() - t0 >= milliseconds(1500));
  CHECK(std::equal(stored.begin(), stored.end(), back->data.data));
}
