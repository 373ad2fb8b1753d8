// Actor-level fault injection: what each failure looks like to the session
// (architecture.md, "Supervision and failed-operation recovery").
#include "tests/actors/fixture.hpp"

using namespace stmfd;
using namespace stmfd::test;
using kind = lu_definition::backing_kind;

TEST_CASE("write then read through task and LU actors returns the data", "[actors]") {
  auto rings = GENERATE(1u, 2u);  // with two rings the LU runs on the second
  stmf_fixture f(kind::file, rings);
  std::vector<uint8_t> data(4096);
  for (size_t i = 0; i < data.size(); ++i) data[i] = uint8_t(i * 7 + 1);
  auto w = f.run(f.make_task(write10(10, 8), wire::Direction::WRITE, 4096, data));
  REQUIRE(w->task.getStatus() == 0);
  auto r = f.run(f.make_task(read10(10, 8), wire::Direction::READ, 4096));
  REQUIRE(r->task.getStatus() == 0);
  REQUIRE(r->task.getDataInLength() == 4096);
  REQUIRE(std::equal(data.begin(), data.end(), r->data.data));
}

TEST_CASE("an LU that crashes mid-I/O fails its command, restarts, and posts a unit attention", "[actors]") {
  stmf_fixture f(kind::file);
  faults::arm(faults::point::lu_io_done);
  auto r = f.run(f.make_task(read10(0, 8), wire::Direction::READ, 4096));
  // Never silence: the in-flight command ends in CHECK CONDITION.
  REQUIRE(r->task.getStatus() == 2);
  REQUIRE(sense_of(r) == std::make_tuple(0x4, 0x44, 0x00));
  const auto old = f.grant.luns[0].lu.address();  // weak: wait_lu_update drops the old handle
  auto lu = f.wait_lu_update();
  REQUIRE(lu.address() != old);
  // The next command on the nexus sees POWER ON, RESET (29h/00h) ...
  auto ua = f.run(f.make_task(test_unit_ready(), wire::Direction::NONE, 0), lu);
  REQUIRE(ua->task.getStatus() == 2);
  REQUIRE(sense_of(ua) == std::make_tuple(0x6, 0x29, 0x00));
  // ... once; then the restarted LU serves normally.
  auto ok = f.run(f.make_task(test_unit_ready(), wire::Direction::NONE, 0), lu);
  REQUIRE(ok->task.getStatus() == 0);
  auto again = f.run(f.make_task(read10(0, 8), wire::Direction::READ, 4096), lu);
  REQUIRE(again->task.getStatus() == 0);
}

TEST_CASE("acknowledged writes survive an LU restart", "[actors]") {
  stmf_fixture f(kind::ram);
  std::vector<uint8_t> data(512, 0x5a);
  REQUIRE(f.run(f.make_task(write10(3, 1), wire::Direction::WRITE, 512, data))->task.getStatus() == 0);
  faults::arm(faults::point::lu_execute);
  auto crashed = f.run(f.make_task(test_unit_ready(), wire::Direction::NONE, 0));
  REQUIRE(sense_of(crashed) == std::make_tuple(0x4, 0x44, 0x00));
  auto lu = f.wait_lu_update();
  f.run(f.make_task(test_unit_ready(), wire::Direction::NONE, 0), lu);  // consumes the unit attention
  auto r = f.run(f.make_task(read10(3, 1), wire::Direction::READ, 512), lu);
  REQUIRE(r->task.getStatus() == 0);
  REQUIRE(std::all_of(r->data.data, r->data.data + 512, [](uint8_t b) { return b == 0x5a; }));
}

TEST_CASE("a crashed task actor fails only its own command", "[actors]") {
  stmf_fixture f(kind::ram);
  faults::arm(faults::point::task_start);
  auto doomed = f.make_task(test_unit_ready(), wire::Direction::NONE, 0);
  auto worker = f.sys.spawn(task_actor);
  doomed->actor = worker;
  f.self->monitor(worker);
  f.self->send(worker, execute_atom::value, doomed);
  bool down_with_error = false;
  f.self->receive([&](caf::down_msg& m) { down_with_error = bool(m.reason); },
                  caf::after(std::chrono::seconds(5)) >> [&] { FAIL("task actor did not fail"); });
  REQUIRE(down_with_error);
  // The LU and the session are untouched: the next command succeeds, no UA.
  auto ok = f.run(f.make_task(test_unit_ready(), wire::Direction::NONE, 0));
  REQUIRE(ok->task.getStatus() == 0);
}

TEST_CASE("a crashed session leaves other sessions working", "[actors]") {
  stmf_fixture f(kind::ram);
  // A second session actor that logs in to STMF and then crashes.
  auto victim = f.sys.spawn([stmf = f.stmf](caf::event_based_actor* self) -> caf::behavior {
    self->request(stmf, std::chrono::seconds(5), login_atom::value, test_nexus("iqn.test.other", 7))
        .then([self](const nexus_grant&) { self->quit(caf::make_error(caf::sec::runtime_error, "crash")); });
    return {[](int) {}};
  });
  f.self->monitor(victim);
  f.self->receive([](caf::down_msg&) {}, caf::after(std::chrono::seconds(5)) >> [] { FAIL("victim alive"); });
  std::vector<uint64_t> stats;
  f.self->request(f.stmf, std::chrono::seconds(5), stats_atom::value)
      .receive([&](std::vector<uint64_t>& s) { stats = s; }, [](caf::error&) { FAIL("no stats"); });
  REQUIRE(stats.at(0) == 1);  // STMF forgot the crashed session, kept ours
  std::vector<uint8_t> data(512, 0x11);
  REQUIRE(f.run(f.make_task(write10(0, 1), wire::Direction::WRITE, 512, data))->task.getStatus() == 0);
  REQUIRE(f.run(f.make_task(read10(0, 1), wire::Direction::READ, 512))->task.getStatus() == 0);
}

TEST_CASE("a failed io actor is replaced and the LUs restart onto the new ring", "[actors]") {
  stmf_fixture f(kind::file);
  caf::actor io;
  f.self->request(f.stmf, std::chrono::seconds(5), get_atom::value, io_atom::value)
      .receive([&](caf::actor& a) { io = a; }, [](caf::error&) { FAIL("no io actor"); });
  REQUIRE(io);
  f.self->send_exit(io, caf::exit_reason::kill);
  auto lu = f.wait_lu_update();  // LUs come back on the new ring
  REQUIRE(lu);
  // The restart is a power-on for the nexus: one unit attention, then service.
  auto ua = f.run(f.make_task(test_unit_ready(), wire::Direction::NONE, 0), lu);
  REQUIRE(sense_of(ua) == std::make_tuple(0x6, 0x29, 0x00));
  std::vector<uint8_t> data(512, 0x33);
  REQUIRE(f.run(f.make_task(write10(1, 1), wire::Direction::WRITE, 512, data), lu)->task.getStatus() == 0);
  auto r = f.run(f.make_task(read10(1, 1), wire::Direction::READ, 512), lu);
  REQUIRE(r->task.getStatus() == 0);
  REQUIRE(std::all_of(r->data.data, r->data.data + 512, [](uint8_t b) { return b == 0x33; }));
}
