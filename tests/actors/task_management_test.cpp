// Task management and the task set with commands genuinely in flight: the
// lu_io_stall fault point holds a medium step for faults::stall_ms, as a
// slow backing store would (SAM-5 7, 8.6).
#include <chrono>
#include <filesystem>
#include <map>

#include "tests/actors/fixture.hpp"

using namespace stmfd;
using namespace stmfd::test;
using kind = lu_definition::backing_kind;
using tmf = wire::TaskManagementFunction;
using clock_type = std::chrono::steady_clock;

namespace {

// Task actors live only as long as someone holds them (a session does).
std::vector<caf::actor> workers;

// Sends a task to the LU on its own task actor without waiting for it.
task_ptr post(stmf_fixture& f, task_ptr t, uint32_t tag, wire::TaskAttribute attr = wire::TaskAttribute::SIMPLE) {
  t->task.setTaskTag(tag);
  t->task.setAttribute(attr);
  auto worker = f.sys.spawn(task_actor);
  workers.push_back(worker);
  t->actor = worker;
  f.self->send(worker, execute_atom::value, t);  // as the session layer does: the watcher, then the LU
  f.self->send(t->lu.get(), execute_atom::value, t);
  return t;
}

// Collects `n` completions; returns the tags in the order they arrived.
std::vector<uint32_t> completions(stmf_fixture& f, size_t n, std::vector<task_ptr>* out = nullptr) {
  std::vector<uint32_t> tags;
  for (size_t i = 0; i < n; ++i)
    f.self->receive(
        [&](done_atom, task_ptr& t) {
          tags.push_back(t->task.getTaskTag());
          if (out) out->push_back(t);
        },
        caf::after(std::chrono::seconds(10)) >> [&] { FAIL("a task did not complete within 10 s"); });
  for (auto& w : workers) f.self->send_exit(w, caf::exit_reason::user_shutdown);
  workers.clear();
  return tags;
}

// Sends the function to the LU as the session layer does (a
// TaskManagementRequest with its own tag 0x55) and waits for the LU's
// TaskManagementResponse: true when it echoed the tag and says complete;
// `stopped` gets its tasksStopped.
bool tmf_now(stmf_fixture& f, wire::TaskManagementFunction fn, uint32_t referenced, uint32_t* stopped = nullptr) {
  bool ok = false;
  f.self
      ->request(f.grant.luns[0].lu, std::chrono::seconds(10), tmf_atom::value,
                make_tmf_request(fn, f.grant.nexus, 0, 0x55, referenced))
      .receive(
          [&](const tmf_response& r) {
            ok = r.get().getTag() == 0x55 && r.get().getResult() == wire::TaskManagementResult::COMPLETE;
            if (stopped) *stopped = r.get().getTasksStopped();
          },
          [&](caf::error& e) { FAIL("TMF failed: " << to_string(e)); });
  return ok;
}

// Answers the LU's DataTransferRequest as a port does: (offset, length) of
// the request, then fill(x, offset, length) decides how it ended.
template <class Fill>
auto answer_xfer(Fill fill) {
  return [fill](xfer_atom, task_ptr& x) {
    auto req = transfer_request(*x);
    CHECK(req.getDirection() == wire::Direction::WRITE);
    CHECK(req.getTaskTag() == x->task.getTaskTag());
    CHECK(req.getNexus() == x->task.getNexus());
    uint32_t offset = req.getBufferOffset(), length = req.getLength();
    bool ok = fill(x, offset, length);
    complete_transfer(*x, ok ? wire::TransferStatus::OK : wire::TransferStatus::TRANSPORT_FAILED, ok ? length : 0);
    return std::make_tuple(xfer_atom::value, x);
  };
}

}  // namespace

TEST_CASE("abort_task_in_flight_never_reaches_the_medium", "[actors][tmf]") {
  stmf_fixture f(kind::file);
  faults::arm(faults::point::lu_io_stall);
  std::vector<uint8_t> data(4096, 0xAA);
  auto w = post(f, f.make_task(write10(0, 8), wire::Direction::WRITE, 4096, data), 7);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the write is held at the LU
  auto t0 = clock_type::now();
  uint32_t stopped = 0;
  REQUIRE(tmf_now(f, tmf::ABORT_TASK, 7, &stopped));
  CHECK(stopped == 1);
  // The function completed only once the task had stopped: the held step
  // came due, saw the abort, and never went to the medium.
  CHECK(w->task.getCompleted());
  CHECK(w->aborted.load());
  CHECK(clock_type::now() - t0 > std::chrono::milliseconds(faults::stall_ms / 2));
  completions(f, 1);  // the task actor reports it (the port would send nothing)
  auto r = f.run(f.make_task(read10(0, 8), wire::Direction::READ, 4096));
  REQUIRE(r->task.getStatus() == 0);
  CHECK(std::all_of(r->data.data, r->data.data + 4096, [](uint8_t b) { return b == 0; }));
}

TEST_CASE("abort_task_for_a_task_not_at_the_lu_completes_at_once", "[actors][tmf]") {
  stmf_fixture f(kind::file);
  auto t0 = clock_type::now();
  uint32_t stopped = 9;
  REQUIRE(tmf_now(f, tmf::ABORT_TASK, 99, &stopped));
  CHECK(stopped == 0);
  CHECK(clock_type::now() - t0 < std::chrono::milliseconds(faults::stall_ms));
  // A task the port marked aborted on its way never runs.
  std::vector<uint8_t> data(512, 0xBB);
  auto t = f.make_task(write10(5, 1), wire::Direction::WRITE, 512, data);
  t->aborted.store(true);
  post(f, t, 8);
  completions(f, 1);
  auto r = f.run(f.make_task(read10(5, 1), wire::Direction::READ, 512));
  CHECK(std::all_of(r->data.data, r->data.data + 512, [](uint8_t b) { return b == 0; }));
}

TEST_CASE("lun_reset_waits_for_in_flight_tasks_and_reaches_every_nexus", "[actors][tmf]") {
  stmf_fixture f(kind::file);
  auto other = f.login(0x800000000002);
  faults::arm(faults::point::lu_io_stall);
  std::vector<uint8_t> data(512, 0xCC);
  auto w = post(f, f.make_task(write10(1, 1), wire::Direction::WRITE, 512, data), 3);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  uint32_t stopped = 0;
  REQUIRE(tmf_now(f, tmf::LOGICAL_UNIT_RESET, 0, &stopped));
  CHECK(stopped == 1);
  CHECK(w->task.getCompleted());
  CHECK(w->aborted.load());
  completions(f, 1);
  // SAM-5 6.3.3: BUS DEVICE RESET FUNCTION OCCURRED on every nexus, the requester's too.
  auto mine = f.run(f.make_task(test_unit_ready(), wire::Direction::NONE, 0));
  CHECK(sense_of(mine) == std::make_tuple(0x6, 0x29, 0x03));
  auto theirs = f.make_task(test_unit_ready(), wire::Direction::NONE, 0);
  theirs->task.setNexus(other.nexus);
  CHECK(sense_of(f.run(theirs)) == std::make_tuple(0x6, 0x29, 0x03));
  auto r = f.run(f.make_task(read10(1, 1), wire::Direction::READ, 512));
  CHECK(std::all_of(r->data.data, r->data.data + 512, [](uint8_t b) { return b == 0; }));
}

TEST_CASE("target_warm_reset_reports_the_generic_reset_code_on_every_nexus", "[actors][tmf]") {
  stmf_fixture f(kind::file);
  auto other = f.login(0x800000000004);
  uint32_t stopped = 9;
  REQUIRE(tmf_now(f, tmf::TARGET_WARM_RESET, 0, &stopped));
  CHECK(stopped == 0);
  // SAM-5 6.3.2 hard reset; iSCSI defines no bus reset, so 29h/00h (not 29h/02h).
  auto mine = f.run(f.make_task(test_unit_ready(), wire::Direction::NONE, 0));
  CHECK(sense_of(mine) == std::make_tuple(0x6, 0x29, 0x00));
  auto theirs = f.make_task(test_unit_ready(), wire::Direction::NONE, 0);
  theirs->task.setNexus(other.nexus);
  CHECK(sense_of(f.run(theirs)) == std::make_tuple(0x6, 0x29, 0x00));
  CHECK(f.run(f.make_task(test_unit_ready(), wire::Direction::NONE, 0))->task.getStatus() == 0);
}

TEST_CASE("clear_task_set_aborts_other_nexus_tasks_and_tells_them", "[actors][tmf]") {
  stmf_fixture f(kind::file);
  auto other = f.login(0x800000000003);
  faults::arm(faults::point::lu_io_stall);
  std::vector<uint8_t> data(512, 0xDD);
  auto t = f.make_task(write10(2, 1), wire::Direction::WRITE, 512, data);
  t->task.setNexus(other.nexus);
  auto w = post(f, t, 4);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  uint32_t stopped = 9;
  REQUIRE(tmf_now(f, tmf::CLEAR_TASK_SET, 0, &stopped));
  CHECK(stopped == 0);  // the task was another nexus's: counted by its own port, not here
  CHECK(w->aborted.load());
  completions(f, 1);
  auto theirs = f.make_task(test_unit_ready(), wire::Direction::NONE, 0);
  theirs->task.setNexus(other.nexus);
  CHECK(sense_of(f.run(theirs)) == std::make_tuple(0x6, 0x2F, 0x00));  // COMMANDS CLEARED BY ANOTHER INITIATOR
  CHECK(f.run(f.make_task(test_unit_ready(), wire::Direction::NONE, 0))->task.getStatus() == 0);
}

// Completions that travel through different task actors may arrive in any
// order, so what the task set held is told by when it completed: a held
// task completes only after the stalled write (faults::stall_ms).
std::map<uint32_t, std::chrono::milliseconds> completion_times(stmf_fixture& f, size_t n, clock_type::time_point t0,
                                                               std::vector<task_ptr>& done) {
  std::map<uint32_t, std::chrono::milliseconds> at;
  for (size_t i = 0; i < n; ++i)
    f.self->receive(
        [&](done_atom, task_ptr& t) {
          at[t->task.getTaskTag()] = std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - t0);
          done.push_back(t);
        },
        caf::after(std::chrono::seconds(10)) >> [&] { FAIL("a task did not complete within 10 s"); });
  for (auto& w : workers) f.self->send_exit(w, caf::exit_reason::user_shutdown);
  workers.clear();
  return at;
}

constexpr auto held_for = std::chrono::milliseconds(faults::stall_ms * 3 / 4);

TEST_CASE("overlapping_read_waits_for_the_older_write", "[actors][taskset]") {
  stmf_fixture f(kind::file);
  faults::arm(faults::point::lu_io_stall);
  std::vector<uint8_t> data(4096, 0x5E);
  auto t0 = clock_type::now();
  post(f, f.make_task(write10(16, 8), wire::Direction::WRITE, 4096, data), 1);
  post(f, f.make_task(read10(20, 1), wire::Direction::READ, 512), 2);   // overlaps: held
  post(f, f.make_task(read10(100, 1), wire::Direction::READ, 512), 3);  // disjoint: runs now
  std::vector<task_ptr> done;
  auto at = completion_times(f, 3, t0, done);
  CHECK(at[3] < held_for);
  CHECK(at[1] >= held_for);
  CHECK(at[2] >= held_for);
  // The held read saw the write's data (restricted reordering, SPC-4 7.5.8).
  for (auto& t : done)
    if (t->task.getTaskTag() == 2)
      CHECK(std::all_of(t->data.data, t->data.data + 512, [](uint8_t b) { return b == 0x5E; }));
}

TEST_CASE("head_of_queue_runs_past_held_tasks_and_ordered_waits_for_all_older", "[actors][taskset]") {
  stmf_fixture f(kind::file);
  faults::arm(faults::point::lu_io_stall);
  std::vector<uint8_t> data(512, 0x11);
  auto t0 = clock_type::now();
  post(f, f.make_task(write10(0, 1), wire::Direction::WRITE, 512, data), 1);
  post(f, f.make_task(test_unit_ready(), wire::Direction::NONE, 0), 2, wire::TaskAttribute::ORDERED);
  post(f, f.make_task(read10(50, 1), wire::Direction::READ, 512), 3);  // behind the ORDERED one
  post(f, f.make_task(test_unit_ready(), wire::Direction::NONE, 0), 4, wire::TaskAttribute::HEAD_OF_QUEUE);
  std::vector<task_ptr> done;
  auto at = completion_times(f, 4, t0, done);
  CHECK(at[4] < held_for);
  CHECK(at[1] >= held_for);
  CHECK(at[2] >= held_for);
  CHECK(at[3] >= held_for);
}

TEST_CASE("without_the_task_set_a_disjoint_simple_task_is_not_held", "[actors][taskset]") {
  // The control for the two tests above: with nothing older in the way a
  // task completes well before the stall would end.
  stmf_fixture f(kind::file);
  auto t0 = clock_type::now();
  post(f, f.make_task(read10(100, 1), wire::Direction::READ, 512), 5);
  std::vector<task_ptr> done;
  auto at = completion_times(f, 1, t0, done);
  CHECK(at[5] < held_for);
}

TEST_CASE("lu_fetches_missing_data_out_from_the_port_once_the_task_runs", "[actors][xfer]") {
  stmf_fixture f(kind::file);
  // 512 bytes came with the command (immediate data); 3584 must be solicited.
  std::vector<uint8_t> first(512, 0x71);
  auto t = f.make_task(write10(8, 8), wire::Direction::WRITE, 4096, first);
  post(f, t, 21);
  uint32_t asked_offset = 0, asked_length = 0;
  f.self->receive(
      answer_xfer([&](task_ptr& x, uint32_t offset, uint32_t length) {
        asked_offset = offset;
        asked_length = length;
        REQUIRE(x->grow_data(offset + length, offset));
        std::memset(x->data.data + offset, 0x72, length);  // the initiator's Data-Out
        return true;
      }),
      caf::after(std::chrono::seconds(5)) >> [&] { FAIL("the LU did not ask for the Data-Out"); });
  CHECK(asked_offset == 512);
  CHECK(asked_length == 3584);
  std::vector<task_ptr> done;
  completions(f, 1, &done);
  REQUIRE(done[0]->task.getStatus() == 0);
  auto r = f.run(f.make_task(read10(8, 8), wire::Direction::READ, 4096));
  REQUIRE(r->task.getStatus() == 0);
  CHECK(std::all_of(r->data.data, r->data.data + 512, [](uint8_t b) { return b == 0x71; }));
  CHECK(std::all_of(r->data.data + 512, r->data.data + 4096, [](uint8_t b) { return b == 0x72; }));
}

TEST_CASE("data_out_that_never_comes_ends_the_task_without_touching_the_medium", "[actors][xfer]") {
  stmf_fixture f(kind::file);
  std::vector<uint8_t> first(512, 0x73);
  auto t = f.make_task(write10(30, 2), wire::Direction::WRITE, 1024, first);
  post(f, t, 22);
  f.self->receive(
      answer_xfer([](task_ptr&, uint32_t, uint32_t) { return false; }),  // the port gave up
      caf::after(std::chrono::seconds(5)) >> [&] { FAIL("the LU did not ask for the Data-Out"); });
  std::vector<task_ptr> done;
  completions(f, 1, &done);
  CHECK(done[0]->aborted.load());
  auto r = f.run(f.make_task(read10(30, 1), wire::Direction::READ, 512));
  CHECK(std::all_of(r->data.data, r->data.data + 512, [](uint8_t b) { return b == 0; }));
}

TEST_CASE("a held write asks for its data only when the task set lets it run", "[actors][xfer][taskset]") {
  stmf_fixture f(kind::file);
  faults::arm(faults::point::lu_io_stall);
  std::vector<uint8_t> data(512, 0x74);
  auto t0 = clock_type::now();
  post(f, f.make_task(write10(40, 1), wire::Direction::WRITE, 512, data), 31);  // stalled at the LU
  std::vector<uint8_t> first(512, 0x75);
  post(f, f.make_task(write10(40, 2), wire::Direction::WRITE, 1024, first), 32);  // overlaps: held
  f.self->receive(
      answer_xfer([&](task_ptr& x, uint32_t offset, uint32_t length) {
        CHECK(clock_type::now() - t0 >= held_for);  // not before the older write ended
        REQUIRE(x->grow_data(offset + length, offset));
        std::memset(x->data.data + offset, 0x76, length);
        return true;
      }),
      caf::after(std::chrono::seconds(5)) >> [&] { FAIL("the LU did not ask for the Data-Out"); });
  completions(f, 2);
  auto r = f.run(f.make_task(read10(40, 2), wire::Direction::READ, 1024));
  CHECK(std::all_of(r->data.data, r->data.data + 512, [](uint8_t b) { return b == 0x75; }));
  CHECK(std::all_of(r->data.data + 512, r->data.data + 1024, [](uint8_t b) { return b == 0x76; }));
}

namespace {

// PERSISTENT RESERVE OUT with its 24-byte parameter list (SPC-4 6.16.3).
task_ptr prout(stmf_fixture& f, uint64_t nexus, uint8_t action, uint8_t type, uint64_t key, uint64_t sa_key,
               bool aptpl = false) {
  std::vector<uint8_t> param(24, 0);
  for (int i = 0; i < 8; ++i) param[i] = uint8_t(key >> (56 - 8 * i)), param[8 + i] = uint8_t(sa_key >> (56 - 8 * i));
  if (aptpl) param[20] = 0x01;
  std::vector<uint8_t> cdb = {0x5F, action, type, 0, 0, 0, 0, 0, 24, 0};
  auto t = f.make_task(cdb, wire::Direction::WRITE, 24, param);
  t->task.setNexus(nexus);
  return f.run(t);
}

task_ptr on_nexus(stmf_fixture& f, uint64_t nexus, std::vector<uint8_t> cdb, wire::Direction dir, uint32_t len,
                  const std::vector<uint8_t>& data = {}) {
  auto t = f.make_task(std::move(cdb), dir, len, data);
  t->task.setNexus(nexus);
  return f.run(t);
}

}  // namespace

TEST_CASE("a_write_exclusive_reservation_stops_other_nexuses_writes_not_their_reads", "[actors][pr]") {
  stmf_fixture f(kind::ram);
  auto other = f.login(0x800000000005);
  const uint64_t mine = f.grant.nexus;
  REQUIRE(prout(f, mine, 0x00, 0, 0, 0xAA)->task.getStatus() == 0);     // REGISTER key AA
  REQUIRE(prout(f, mine, 0x01, 0x01, 0xAA, 0)->task.getStatus() == 0);  // RESERVE, Write Exclusive
  std::vector<uint8_t> data(512, 0x42);
  auto w = on_nexus(f, other.nexus, write10(0, 1), wire::Direction::WRITE, 512, data);
  CHECK(w->task.getStatus() == scsi::status::reservation_conflict);
  auto r = on_nexus(f, other.nexus, read10(0, 1), wire::Direction::READ, 512);
  CHECK(r->task.getStatus() == 0);
  auto mine_w = on_nexus(f, mine, write10(0, 1), wire::Direction::WRITE, 512, data);
  CHECK(mine_w->task.getStatus() == 0);
  // The holder releases: the other nexus writes again.
  REQUIRE(prout(f, mine, 0x02, 0x01, 0xAA, 0)->task.getStatus() == 0);
  CHECK(on_nexus(f, other.nexus, write10(0, 1), wire::Direction::WRITE, 512, data)->task.getStatus() == 0);
}

TEST_CASE("aptpl_registrations_and_reservation_survive_an_lu_restart_from_disk", "[actors][pr]") {
  stmf_fixture f(kind::file);
  const uint64_t mine = f.grant.nexus;
  REQUIRE(prout(f, mine, 0x00, 0, 0, 0xBB, true)->task.getStatus() == 0);  // REGISTER, APTPL
  REQUIRE(prout(f, mine, 0x01, 0x03, 0xBB, 0)->task.getStatus() == 0);     // RESERVE, Exclusive Access
  CHECK(std::filesystem::exists(f.dir + "/disk0.pr"));
  faults::arm(faults::point::lu_execute);
  f.run(f.make_task(test_unit_ready(), wire::Direction::NONE, 0));  // the LU dies
  auto lu = f.wait_lu_update();
  f.run(f.make_task(test_unit_ready(), wire::Direction::NONE, 0), lu);  // POWER ON
  // READ RESERVATION through the restarted LU: key BB, Exclusive Access.
  std::vector<uint8_t> cdb = {0x5E, 0x01, 0, 0, 0, 0, 0, 0, 64, 0};
  auto t = f.make_task(cdb, wire::Direction::READ, 64);
  auto r = f.run(t, lu);
  REQUIRE(r->task.getStatus() == 0);
  REQUIRE(r->task.getDataInLength() >= 24);
  const uint8_t* d = r->data.data;
  CHECK(d[7] == 16);              // ADDITIONAL LENGTH: one reservation
  CHECK(d[15] == 0xBB);           // RESERVATION KEY
  CHECK((d[21] & 0x0F) == 0x03);  // TYPE Exclusive Access
}
