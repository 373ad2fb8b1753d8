// The framework's session layer (actors/session/nexus_session.hpp), hosted
// by a test actor the way a port's connection actor hosts it: LUN routing,
// the commands the framework answers itself, task actors, lu_update and
// task management.
#include <array>
#include <atomic>
#include <functional>
#include <thread>

#include "actors/session/nexus_session.hpp"
#include "tests/actors/fixture.hpp"
#include "wire/scsi/report_luns.hpp"

using namespace stmfd;
using namespace stmfd::test;

namespace {

using lun_field = std::array<uint8_t, 8>;
using release_atom = caf::atom_constant<caf::atom("release")>;
using failed_atom = caf::atom_constant<caf::atom("failed")>;

// Code the test runs inside the host, on the session it owns.
struct session_job {
  std::function<void(nexus_session&)> fn;
};

}  // namespace

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(session_job)

namespace {

// Hosts a nexus_session like a port's nexus actor: completions and downs go
// through the session, finished tasks to `observer` as (done_atom, task).
class session_host : public caf::event_based_actor {
 public:
  session_host(caf::actor_config& cfg, caf::actor observer)
      : caf::event_based_actor(cfg), observer_(std::move(observer)) {}

  caf::behavior make_behavior() override {
    // A task whose task actor died: a port answers it 04/44/00 from its own
    // bytes; this host tells the observer (failed_atom, task).
    set_down_handler([this](caf::down_msg& m) {
      if (auto t = session_.on_down(m)) send(observer_, failed_atom::value, std::move(t));
    });
    return {
        [this](session_job& j) {
          j.fn(session_);
          return true;
        },
        [this](done_atom, task_ptr& t) {
          session_.finished(t);
          if (!t->aborted.load()) send(observer_, done_atom::value, std::move(t));  // TAS=0: nothing for aborted ones
        },
        [this](lu_update_atom, const lu_event& e, const caf::actor& lu) { session_.on_lu_update(e, lu); },
        // Registers with STMF like a port: (login_atom, stmf, who) -> nexus id.
        [this](login_atom, const caf::actor& stmf, const nexus_request& who) -> caf::result<uint64_t> {
          auto rp = make_response_promise<uint64_t>();
          request(stmf, std::chrono::seconds(5), login_atom::value, who).then([this, rp](const nexus_grant& g) mutable {
            session_.open(g);
            rp.deliver(g.msg.get().getNexus());
          });
          return rp;
        },
    };
  }

  void on_exit() override { observer_ = nullptr; }

 private:
  caf::actor observer_;
  nexus_session session_{this};
};

// A stand-in LU: answers every command GOOD and every task management
// function complete with one task stopped; with `hold`, keeps both until
// (release_atom).
struct fake_lu_counts {
  std::atomic<int> executed{0};
  std::atomic<int> tmfs{0};
};

caf::behavior fake_lu(caf::event_based_actor* self, std::shared_ptr<fake_lu_counts> counts, bool hold) {
  auto held = std::make_shared<std::vector<task_ptr>>();
  auto promises = std::make_shared<std::vector<std::pair<caf::response_promise, uint32_t>>>();
  auto complete = [self](task_ptr t) {
    t->task.setStatus(0);
    t->task.setCompleted(true);
    if (auto p = t->port.get()) self->send(p, done_atom::value, std::move(t));  // the LU answers the port
  };
  return {
      [=](execute_atom, task_ptr& t) {
        ++counts->executed;
        if (hold)
          held->push_back(t);
        else
          complete(t);
      },
      [=](tmf_atom, const tmf_request& m) -> caf::result<tmf_response> {
        ++counts->tmfs;
        uint32_t tag = m.get().getTag();
        if (!hold) return make_tmf_response(tag, wire::TaskManagementResult::COMPLETE, 1);
        promises->emplace_back(self->make_response_promise(), tag);
        return caf::delegated<tmf_response>{};
      },
      [=](release_atom) {
        for (auto& t : *held) complete(t);
        held->clear();
        for (auto& [p, tag] : *promises) p.deliver(make_tmf_response(tag, wire::TaskManagementResult::COMPLETE, 1));
        promises->clear();
      },
  };
}

// Drives a session_host from a scoped actor (the host's observer) as a port
// drives its nexus: code run inside the host, commands posted, task
// management; completions come back to `self`.
struct session_driver {
  caf::scoped_actor& self;
  caf::actor host;
  uint32_t next_tag = 1;

  session_driver(caf::actor_system& sys, caf::scoped_actor& observer)
      : self(observer), host(sys.spawn<session_host>(caf::actor_cast<caf::actor>(observer))) {}
  session_driver(const session_driver&) = delete;
  session_driver& operator=(const session_driver&) = delete;
  ~session_driver() { self->send_exit(host, caf::exit_reason::user_shutdown); }

  // Runs fn inside the host and waits until it ran.
  void in_session(std::function<void(nexus_session&)> fn) {
    self->request(host, std::chrono::seconds(5), session_job{std::move(fn)})
        .receive([](bool) {}, [](caf::error& e) { FAIL("host: " << to_string(e)); });
  }

  // Registers the host's nexus with STMF as a port does (login_atom) and
  // opens the session with STMF's grant; returns the nexus id.
  uint64_t login(const caf::actor& stmf, const nexus_request& who) {
    uint64_t nexus = 0;
    self->request(host, std::chrono::seconds(10), login_atom::value, stmf, who)
        .receive([&](uint64_t n) { nexus = n; }, [](caf::error& e) { FAIL("login: " << to_string(e)); });
    return nexus;
  }

  // Posts one command like a port: routed to its LU on a task actor, or
  // answered by the framework; returns the task once it completed.
  task_ptr command(const lun_field& lun, std::vector<uint8_t> cdb, wire::Direction dir = wire::Direction::NONE,
                   uint32_t expected = 0) {
    cdb.resize(16, 0);
    task_ptr t;
    bool answered = false;
    uint32_t tag = next_tag++;
    in_session([&](nexus_session& s) {
      t = s.new_task();
      auto m = t->task;
      m.setTaskTag(tag);
      m.setCdb(capnp::Data::Reader(cdb.data(), cdb.size()));
      m.setExpectedLength(expected);
      m.setDirection(dir);
      if (const lun_entry* e = s.route(lun.data(), cdb.data())) {
        m.setLun(e->lun);
        s.start(t, *e);
      } else {
        s.answer(*t, lun.data());
        answered = true;
      }
    });
    if (answered) return t;
    return wait_done();
  }

  // Task management through the session, as a port posts it (a
  // TaskManagementRequest with its own tag 0x77). False when the session
  // answered noSuchLun at once; a completion reaches the test as (tmf_atom,
  // tag, tasksStopped).
  bool task_management(wire::TaskManagementFunction fn, const lun_field& lun) {
    auto obs = caf::actor_cast<caf::actor>(self);
    auto no_lun = std::make_shared<bool>(false);
    in_session([&](nexus_session& s) {
      s.task_management(make_tmf_request(fn, s.id(), 0, 0x77, 0), lun.data(), [obs, no_lun](const tmf_response& r) {
        if (r.get().getResult() == wire::TaskManagementResult::NO_SUCH_LUN)
          *no_lun = true;
        else if (r.get().getResult() == wire::TaskManagementResult::COMPLETE)
          caf::anon_send(obs, tmf_atom::value, r.get().getTag(), r.get().getTasksStopped());
      });
    });
    return !*no_lun;
  }

  // Whether a task management function completed within d (its response
  // echoed the request's tag); `stopped` gets its tasksStopped.
  bool tmf_completes_within(std::chrono::milliseconds d, uint32_t* stopped = nullptr) {
    bool called = false;
    self->receive(
        [&](tmf_atom, uint32_t tag, uint32_t n) {
          called = tag == 0x77;
          if (stopped) *stopped = n;
        },
        caf::after(d) >> [] {});
    return called;
  }

  task_ptr wait_done() {
    task_ptr done;
    self->receive([&](done_atom, task_ptr& d) { done = std::move(d); },
                  caf::after(std::chrono::seconds(10)) >> [] { FAIL("no completion within 10 s"); });
    return done;
  }
};

// The actor system a session_rig owns (a base, so it is made before the
// driver and outlives it); the driver's `self` is `observer`.
struct rig_system {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor observer{sys};
};

// A session with no STMF: the test opens it with a grant it made.
struct session_rig : rig_system, session_driver {
  session_rig() : session_driver(sys, observer) {}

  // Opens the session with `luns` (nexus 42, a pool of 8 contexts).
  void open(const lun_map& luns) {
    auto g = make_grant(42, luns, std::make_shared<task_pool>(8), nullptr);
    in_session([g](nexus_session& s) { s.open(g); });
  }
};

lun_field peripheral(uint8_t lun) { return {0, lun, 0, 0, 0, 0, 0, 0}; }
lun_field flat(uint16_t lun) { return {uint8_t(0x40 | (lun >> 8)), uint8_t(lun), 0, 0, 0, 0, 0, 0}; }

std::vector<uint8_t> report_luns(uint32_t alloc) {
  return {0xA0, 0, 0, 0, 0, 0, uint8_t(alloc >> 24), uint8_t(alloc >> 16), uint8_t(alloc >> 8), uint8_t(alloc), 0, 0};
}

// The LUN a routed command reached, or -1 when the framework answers it.
int routed(session_rig& r, const lun_field& lun, uint8_t opcode) {
  int out = -2;
  uint8_t cdb[16] = {opcode};
  r.in_session([&](nexus_session& s) {
    const lun_entry* e = s.route(lun.data(), cdb);
    out = e ? int(e->lun) : -1;
  });
  return out;
}

lun_map three_luns(const caf::actor& lu) {
  // Deliberately not in LUN order: REPORT LUNS sorts.
  return {{5, "lu5", lu}, {0, "lu0", lu}, {300, "lu300", lu}};
}

}  // namespace

TEST_CASE("LUN fields route by peripheral and flat addressing to the view's LUs", "[session]") {
  session_rig r;
  r.open(three_luns(caf::actor{}));
  CHECK(routed(r, peripheral(5), 0x00) == 5);
  CHECK(routed(r, flat(5), 0x00) == 5);  // flat space encoding of a LUN below 256
  CHECK(routed(r, flat(300), 0x00) == 300);
  CHECK(routed(r, peripheral(0), 0x28) == 0);
  CHECK(routed(r, peripheral(7), 0x00) == -1);  // not in the view
  CHECK(routed(r, flat(301), 0x00) == -1);
  lun_field second_level = peripheral(5);
  second_level[2] = 0x01;
  CHECK(routed(r, second_level, 0x00) == -1);
  lun_field other_bus = {0x01, 5, 0, 0, 0, 0, 0, 0};
  CHECK(routed(r, other_bus, 0x00) == -1);
  // REPORT LUNS is the framework's, whatever LUN it is addressed to.
  CHECK(routed(r, peripheral(5), 0xA0) == -1);
  CHECK(routed(r, peripheral(0), 0xA0) == -1);
  CHECK(routed(r, {0xC1, 0x01, 0, 0, 0, 0, 0, 0}, 0xA0) == -1);  // the REPORT LUNS well-known LUN
}

TEST_CASE("REPORT LUNS lists the view's LUNs sorted and cuts them to the allocation length", "[session]") {
  session_rig r;
  auto counts = std::make_shared<fake_lu_counts>();
  auto lu = r.sys.spawn(fake_lu, counts, false);
  r.open(three_luns(lu));

  auto t = r.command(peripheral(5), report_luns(256), wire::Direction::READ, 256);
  REQUIRE(t->task.getStatus() == 0);
  REQUIRE(t->task.getDataInLength() == 8 + 3 * 8);
  const uint8_t* d = t->data.data;
  CHECK((d[0] << 24 | d[1] << 16 | d[2] << 8 | d[3]) == 24);  // LUN LIST LENGTH
  auto entry = [&](int i) { return std::vector<uint8_t>(d + 8 + 8 * i, d + 16 + 8 * i); };
  CHECK(entry(0) == std::vector<uint8_t>{0, 0, 0, 0, 0, 0, 0, 0});
  CHECK(entry(1) == std::vector<uint8_t>{0, 5, 0, 0, 0, 0, 0, 0});
  CHECK(entry(2) == std::vector<uint8_t>{0x41, 0x2C, 0, 0, 0, 0, 0, 0});  // 300, flat space

  auto cut = r.command(peripheral(9), report_luns(16), wire::Direction::READ, 16);
  REQUIRE(cut->task.getStatus() == 0);
  CHECK(cut->task.getDataInLength() == 16);
  const uint8_t* c = cut->data.data;
  CHECK((c[0] << 24 | c[1] << 16 | c[2] << 8 | c[3]) == 24);  // still the whole list's length
  CHECK(c[8 + 1] == 0);
  CHECK(counts->executed == 0);  // no LU saw any of it
}

TEST_CASE("commands to a LUN outside the view get the framework's answers", "[session]") {
  session_rig r;
  auto counts = std::make_shared<fake_lu_counts>();
  r.open(three_luns(r.sys.spawn(fake_lu, counts, false)));

  // INQUIRY: peripheral qualifier 011b, type 1Fh.
  auto inq = r.command(peripheral(7), {0x12, 0, 0, 0, 96, 0}, wire::Direction::READ, 96);
  REQUIRE(inq->task.getStatus() == 0);
  REQUIRE(inq->task.getDataInLength() >= 36);
  CHECK(inq->data.data[0] == 0x7F);
  // REQUEST SENSE: LOGICAL UNIT NOT SUPPORTED as parameter data.
  auto rs = r.command(peripheral(7), {0x03, 0, 0, 0, 252, 0}, wire::Direction::READ, 252);
  REQUIRE(rs->task.getStatus() == 0);
  REQUIRE(rs->task.getDataInLength() >= 14);
  CHECK((rs->data.data[2] & 0x0F) == 0x5);
  CHECK(rs->data.data[12] == 0x25);
  CHECK(rs->data.data[13] == 0x00);
  // Anything else: CHECK CONDITION, ILLEGAL REQUEST, LOGICAL UNIT NOT SUPPORTED.
  for (auto cdb : {test_unit_ready(), read10(0, 1)}) {
    auto t = r.command(peripheral(7), cdb, wire::Direction::READ, 512);
    CHECK(t->task.getStatus() == 2);
    CHECK(sense_of(t) == std::make_tuple(0x5, 0x25, 0x00));
    CHECK(t->task.getDataInLength() == 0);
  }
  CHECK(counts->executed == 0);
}

TEST_CASE("commands run on task actors the session reuses", "[session]") {
  session_rig r;
  auto counts = std::make_shared<fake_lu_counts>();
  r.open(three_luns(r.sys.spawn(fake_lu, counts, false)));
  std::vector<caf::actor_addr> actors;
  for (int i = 0; i < 4; ++i) {
    auto t = r.command(peripheral(0), test_unit_ready());
    REQUIRE(t->task.getStatus() == 0);
    actors.push_back(t->actor.address());
  }
  CHECK(counts->executed == 4);
  REQUIRE(actors[0]);
  for (auto& a : actors) CHECK(a == actors[0]);  // one actor, no spawn per command
}

TEST_CASE("a failed task actor fails only its own task with 04/44/00", "[session]") {
  session_rig r;
  auto slow_counts = std::make_shared<fake_lu_counts>();
  auto fast_counts = std::make_shared<fake_lu_counts>();
  auto slow = r.sys.spawn(fake_lu, slow_counts, true);
  auto held = r.sys.spawn(fake_lu, fast_counts, true);
  auto other_counts = std::make_shared<fake_lu_counts>();
  r.open({{0, "slow", slow}, {1, "held", held}, {2, "other", r.sys.spawn(fake_lu, other_counts, false)}});
  faults::disarm_all();

  // One task in flight at the slow LU on one task actor ...
  std::vector<uint8_t> cdb = test_unit_ready();
  cdb.resize(16, 0);
  task_ptr pending;
  r.in_session([&](nexus_session& s) {
    pending = s.new_task();
    pending->task.setTaskTag(100);
    pending->task.setCdb(capnp::Data::Reader(cdb.data(), cdb.size()));
    s.start(pending, s.luns()[0]);
  });
  for (int i = 0; i < 200 && slow_counts->executed == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  REQUIRE(slow_counts->executed == 1);
  // Its task actor got `execute` before the LU did, but may not have run it
  // yet: a round trip through its mailbox (it answers an unknown request
  // with an error) makes sure the fault armed below cannot hit it.
  bool past_start = false;
  r.self->request(pending->actor.get(), std::chrono::seconds(5), get_atom::value)
      .receive([&](get_atom) { past_start = true; }, [&](caf::error&) { past_start = true; });
  REQUIRE(past_start);

  // ... while another task's actor fails: that task is reported failed to
  // the port (which answers 04/44/00) and marked aborted, so its LU stops it.
  faults::arm(faults::point::task_start);
  task_ptr doomed;
  r.in_session([&](nexus_session& s) {
    doomed = s.new_task();
    doomed->task.setTaskTag(101);
    doomed->task.setCdb(capnp::Data::Reader(cdb.data(), cdb.size()));
    s.start(doomed, s.luns()[1]);
  });
  task_ptr failed;
  r.self->receive([&](failed_atom, task_ptr& t) { failed = t; },
                  caf::after(std::chrono::seconds(10)) >> [] { FAIL("the failed task was not reported"); });
  CHECK(failed == doomed);
  CHECK(failed->aborted.load());
  r.self->send(held, release_atom::value);  // its LU ends it: the port hears nothing more (TAS=0)

  // The task in flight is untouched and the next command is served.
  r.self->send(slow, release_atom::value);
  auto done = r.wait_done();
  CHECK(done == pending);
  CHECK(done->task.getStatus() == 0);
  CHECK(done->task.getSense().size() == 0);
  CHECK(r.command(peripheral(2), test_unit_ready())->task.getStatus() == 0);
  CHECK(other_counts->executed == 1);
}

TEST_CASE("lu_update swaps the LU handle the session routes to", "[session]") {
  session_rig r;
  auto old_counts = std::make_shared<fake_lu_counts>();
  auto new_counts = std::make_shared<fake_lu_counts>();
  auto old_lu = r.sys.spawn(fake_lu, old_counts, false);
  auto new_lu = r.sys.spawn(fake_lu, new_counts, false);
  r.open({{0, "disk0", old_lu}, {1, "disk1", old_lu}});
  REQUIRE(r.command(peripheral(0), test_unit_ready())->task.getStatus() == 0);
  CHECK(old_counts->executed == 1);

  r.self->send(r.host, lu_update_atom::value, make_lu_event("disk0", lu_state::online, "", true), new_lu);
  REQUIRE(r.command(peripheral(0), test_unit_ready())->task.getStatus() == 0);
  CHECK(new_counts->executed == 1);
  CHECK(old_counts->executed == 1);
  REQUIRE(r.command(peripheral(1), test_unit_ready())->task.getStatus() == 0);  // another LU's entry kept its handle
  CHECK(old_counts->executed == 2);

  // A null handle (the LU stopped serving): NOT READY without reaching any
  // LU; MANUAL INTERVENTION REQUIRED when it failed (an administrator acts) ...
  r.self->send(r.host, lu_update_atom::value, make_lu_event("disk0", lu_state::failed, "test", false), caf::actor{});
  auto nr = r.command(peripheral(0), test_unit_ready());
  CHECK(sense_of(nr) == std::make_tuple(0x2, 0x04, 0x03));
  CHECK(new_counts->executed == 1);
  // ... BECOMING READY while STMF restarts it by itself (the initiator retries) ...
  r.self->send(r.host, lu_update_atom::value, make_lu_event("disk0", lu_state::restarting, "test", false),
               caf::actor{});
  CHECK(sense_of(r.command(peripheral(0), test_unit_ready())) == std::make_tuple(0x2, 0x04, 0x01));
  CHECK(sense_of(r.command(peripheral(0), read10(0, 1))) == std::make_tuple(0x2, 0x04, 0x01));
  REQUIRE(r.command(peripheral(1), test_unit_ready())->task.getStatus() == 0);  // the other LUN is untouched
  // ... and MANUAL INTERVENTION again once it is offline.
  r.self->send(r.host, lu_update_atom::value, make_lu_event("disk0", lu_state::offline, "admin", false), caf::actor{});
  CHECK(sense_of(r.command(peripheral(0), test_unit_ready())) == std::make_tuple(0x2, 0x04, 0x03));
  CHECK(new_counts->executed == 1);
}

namespace {

// The LU actor a driven session routes LUN 0 to, and its state as the session knows it.
std::pair<caf::actor, lu_state> lun0_of(session_driver& d) {
  std::pair<caf::actor, lu_state> out;
  d.in_session([&](nexus_session& s) { out = {s.luns().at(0).lu, s.luns().at(0).state}; });
  return out;
}

// Waits (up to 1 s) until the driven session routes LUN 0 to `lu`: STMF
// sends its lu_update to each session on its own, so it may come after the
// fixture's.
caf::actor wait_lun0(session_driver& d, const caf::actor& lu) {
  caf::actor now;
  for (int i = 0; i < 100; ++i) {
    now = lun0_of(d).first;
    if (now == lu) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return now;
}

}  // namespace

TEST_CASE("lu_update from STMF after an LU restart reaches the session's routing", "[session]") {
  stmf_fixture f(lu_definition::backing_kind::ram);
  session_driver d(f.sys, f.self);
  REQUIRE(d.login(f.stmf, test_nexus("iqn.test.host", 9)) != 0);
  caf::actor before = lun0_of(d).first;
  REQUIRE(before);

  faults::arm(faults::point::lu_execute);
  f.run(f.make_task(test_unit_ready(), wire::Direction::NONE, 0));  // crashes the LU
  auto restarted = f.wait_lu_update();
  REQUIRE(restarted);
  CHECK(wait_lun0(d, restarted) == restarted);
}

// Architecture's failure table (an LU actor fails: STMF restarts it) and
// framework.md "LUs that do not serve": a nexus that logs in while STMF is
// restarting an LU learns the LU's state from its grant, so it gets NOT
// READY, BECOMING READY (04h/01h, retried) like the nexuses that were
// there, not MANUAL INTERVENTION REQUIRED (04h/03h); once the LU is back
// it reaches it, POWER ON 29h/00h first.
TEST_CASE("a nexus that logs in while STMF restarts an LU gets BECOMING READY, then the LU", "[session][recovery]") {
  stmf_fixture f(lu_definition::backing_kind::ram);
  faults::spec slow;  // the restart waits, as one whose io ring is being recreated does
  slow.ms = 3000;     // room for a login and three commands on a busy machine
  REQUIRE(faults::arm(faults::point::lu_restart, slow).empty());
  faults::arm(faults::point::lu_execute);
  CHECK(sense_of(f.run(f.make_task(test_unit_ready(), wire::Direction::NONE, 0))) == std::make_tuple(0x4, 0x44, 0x00));
  CHECK_FALSE(f.wait_lu_update());  // the nexus that was there: restarting, no actor
  REQUIRE(f.lu_state_of("disk0").state == lu_state::restarting);

  // Logged in during the restart: the grant says restarting.
  session_driver during(f.sys, f.self);
  REQUIRE(during.login(f.stmf, test_nexus("iqn.test.during", 1)) != 0);
  auto [lu, state] = lun0_of(during);
  CHECK_FALSE(lu);
  CHECK(state == lu_state::restarting);
  auto tur = during.command(peripheral(0), test_unit_ready());
  CHECK(tur->task.getStatus() == 2);
  CHECK(sense_of(tur) == std::make_tuple(0x2, 0x04, 0x01));
  CHECK(sense_of(during.command(peripheral(0), read10(0, 1), wire::Direction::READ, 512)) ==
        std::make_tuple(0x2, 0x04, 0x01));
  auto rs = during.command(peripheral(0), {0x03, 0, 0, 0, 252, 0}, wire::Direction::READ, 252);
  REQUIRE(rs->task.getStatus() == 0);  // REQUEST SENSE: the condition as data
  REQUIRE(rs->task.getDataInLength() >= 14);
  CHECK(std::make_tuple(rs->data.data[2] & 0x0F, rs->data.data[12], rs->data.data[13]) ==
        std::make_tuple(0x2, 0x04, 0x01));
  REQUIRE(f.lu_state_of("disk0").state == lu_state::restarting);  // all of it within the restart

  // The LU is back: both nexuses reach it, each with POWER ON once.
  auto back = f.wait_lu_update();
  REQUIRE(back);
  REQUIRE(wait_lun0(during, back) == back);
  CHECK(lun0_of(during).second == lu_state::online);
  CHECK(sense_of(during.command(peripheral(0), test_unit_ready())) == std::make_tuple(0x6, 0x29, 0x00));
  CHECK(during.command(peripheral(0), test_unit_ready())->task.getStatus() == 0);
  CHECK(sense_of(f.run(f.make_task(test_unit_ready(), wire::Direction::NONE, 0), back)) ==
        std::make_tuple(0x6, 0x29, 0x00));

  // Logged in after it is back: the LU's actor in the grant, POWER ON once, then GOOD.
  session_driver after(f.sys, f.self);
  REQUIRE(after.login(f.stmf, test_nexus("iqn.test.after", 2)) != 0);
  CHECK(lun0_of(after) == std::make_pair(back, lu_state::online));
  CHECK(sense_of(after.command(peripheral(0), test_unit_ready())) == std::make_tuple(0x6, 0x29, 0x00));
  CHECK(after.command(peripheral(0), test_unit_ready())->task.getStatus() == 0);
}

TEST_CASE("task management to a LUN outside the view is refused", "[session]") {
  session_rig r;
  auto counts = std::make_shared<fake_lu_counts>();
  r.open(three_luns(r.sys.spawn(fake_lu, counts, false)));
  CHECK_FALSE(r.task_management(wire::TaskManagementFunction::LOGICAL_UNIT_RESET, peripheral(7)));
  CHECK_FALSE(r.task_management(wire::TaskManagementFunction::ABORT_TASK, flat(301)));
  CHECK_FALSE(r.tmf_completes_within(std::chrono::milliseconds(200)));
  CHECK(counts->tmfs == 0);
}

TEST_CASE("task management completes only after every LU involved answered", "[session]") {
  session_rig r;
  auto slow_counts = std::make_shared<fake_lu_counts>();
  auto fast_counts = std::make_shared<fake_lu_counts>();
  auto slow = r.sys.spawn(fake_lu, slow_counts, true);
  r.open({{0, "fast", r.sys.spawn(fake_lu, fast_counts, false)}, {1, "slow", slow}, {2, "failed", caf::actor{}}});
  auto tmf = [&](wire::TaskManagementFunction fn, const lun_field& lun) { return r.task_management(fn, lun); };
  auto completes_within = [&](std::chrono::milliseconds d) { return r.tmf_completes_within(d); };

  SECTION("a LUN reset waits for its LU") {
    REQUIRE(tmf(wire::TaskManagementFunction::LOGICAL_UNIT_RESET, peripheral(1)));
    CHECK_FALSE(completes_within(std::chrono::milliseconds(300)));
    for (int i = 0; i < 200 && slow_counts->tmfs == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    CHECK(slow_counts->tmfs == 1);
    CHECK(fast_counts->tmfs == 0);  // only the addressed LU
    r.self->send(slow, release_atom::value);
    CHECK(completes_within(std::chrono::seconds(5)));
  }
  SECTION("a target reset waits for every LU of the view") {
    REQUIRE(tmf(wire::TaskManagementFunction::TARGET_WARM_RESET, peripheral(0)));
    CHECK_FALSE(completes_within(std::chrono::milliseconds(300)));
    CHECK(fast_counts->tmfs == 1);
    r.self->send(slow, release_atom::value);
    uint32_t stopped = 0;
    CHECK(r.tmf_completes_within(std::chrono::seconds(5), &stopped));
    CHECK(stopped == 2);  // the one response sums what each LU answered
    CHECK(slow_counts->tmfs == 1);
  }
  SECTION("an LU that does not serve has nothing to wait for") {
    REQUIRE(tmf(wire::TaskManagementFunction::LOGICAL_UNIT_RESET, peripheral(2)));
    CHECK(completes_within(std::chrono::seconds(5)));
  }
}
