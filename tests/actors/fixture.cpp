#include "tests/actors/fixture.hpp"

#include <unistd.h>

#include <filesystem>
#include <thread>

namespace stmfd::test {

stmf_fixture::stmf_fixture(lu_definition::backing_kind kind, uint32_t rings) {
  start(kind, rings, {});
  REQUIRE(grant.luns.size() == 1);
  REQUIRE(grant.luns[0].lu);
}

stmf_fixture::stmf_fixture(lu_definition::backing_kind kind, const edit_fn& edit) { start(kind, 1, edit); }

void stmf_fixture::start(lu_definition::backing_kind kind, uint32_t rings, const edit_fn& edit) {
  faults::disarm_all();
  char tmpl[] = "/tmp/stmfd-actor-test-XXXXXX";
  dir = mkdtemp(tmpl);
  stmf_definitions defs;
  defs.rings = rings;
  auto providers = std::make_shared<provider_registry>();
  providers->add(sbd::provider());
  port_provider test_port;
  test_port.name = "test";
  test_port.ports.push_back(local_port{transport::iscsi, "iqn.2026-11.org.stmfd:test", 0, 1, {}});
  test_port.spawn = [](caf::local_actor& stmf, const port_start&) {
    return stmf.spawn([](caf::event_based_actor*) -> caf::behavior { return {[](int) {}}; });
  };
  REQUIRE(providers->add(std::move(test_port)));
  defs.providers = providers;
  lu_definition lu;
  lu.name = "disk0";
  lu.backing = kind;
  lu.path = dir + "/disk0.img";
  lu.state_dir = dir;  // persisted LU state (reservations with APTPL)
  lu.size_bytes = 8u << 20;
  lu.block_size = 512;
  lu.id.serial = "TEST0001";
  defs.lus.push_back(lu);
  REQUIRE_FALSE(defs.views.replace({}, {}, {view_entry{"disk0", "", "", "iqn.2026-11.org.stmfd:test", 0}}, {"disk0"}));
  if (edit) edit(defs, *providers);
  log::set_level("debug");
  stmf = sys.spawn<stmf_actor>(std::move(defs));
  grant = login(0x800000000001);
}

stmf_fixture::~stmf_fixture() {
  faults::disarm_all();
  if (worker) self->send_exit(worker, caf::exit_reason::user_shutdown);
  self->send_exit(stmf, caf::exit_reason::user_shutdown);
  std::filesystem::remove_all(dir);
}

nexus_request test_nexus(const std::string& initiator, uint64_t isid) {
  char hex[16];
  std::snprintf(hex, sizeof hex, "%012llx", static_cast<unsigned long long>(isid));
  return make_nexus_request(remote_port{transport::iscsi, initiator, initiator + ",i,0x" + hex}, 1, 32);
}

granted stmf_fixture::login(uint64_t isid) {
  granted out;
  self->request(stmf, std::chrono::seconds(5), login_atom::value, test_nexus("iqn.test.initiator", isid))
      .receive(
          [&](const nexus_grant& g) {
            out.nexus = g.msg.get().getNexus();
            out.luns = lun_map_of(g);
            out.msg = g;
          },
          [&](caf::error& e) { FAIL("login refused: " << to_string(e)); });
  return out;
}

task_ptr stmf_fixture::make_task(std::vector<uint8_t> cdb, wire::Direction dir, uint32_t expected_length,
                                 const std::vector<uint8_t>& data_out) {
  auto t = pool->acquire();
  auto m = t->reset_message();
  cdb.resize(16, 0);
  m.setNexus(grant.nexus);
  m.setLun(0);
  m.setTaskTag(1);
  m.setCdb(capnp::Data::Reader(cdb.data(), cdb.size()));
  m.setExpectedLength(expected_length);
  m.setDirection(dir);
  m.setRelativePortId(1);
  if (!data_out.empty()) {
    t->data = io::buffer_pool::global().acquire(uint32_t(data_out.size()));
    std::memcpy(t->data.data, data_out.data(), data_out.size());
    m.setDataOutLength(uint32_t(data_out.size()));
  }
  t->lu = grant.luns[0].lu;
  t->port = caf::actor_cast<caf::actor>(self);
  return t;
}

task_ptr stmf_fixture::run(task_ptr t, caf::actor via) {
  if (via) t->lu = via;
  if (!worker) worker = sys.spawn(task_actor);
  t->actor = worker;
  self->send(worker, execute_atom::value, t);  // as the session layer does: the watcher, then the LU
  if (auto lu = t->lu.get()) self->send(lu, execute_atom::value, t);
  task_ptr out;
  self->receive([&](done_atom, task_ptr& done) { out = std::move(done); },
                caf::after(std::chrono::seconds(10)) >> [&] { FAIL("no completion within 10 s"); });
  return out;
}

caf::actor stmf_fixture::wait_lu_update() {
  caf::actor lu;
  std::string name;
  self->receive(
      [&](lu_update_atom, const lu_event& e, const caf::actor& a) {
        lu = a;
        name = e.get().getLuName();
      },
      caf::after(std::chrono::seconds(10)) >> [&] { FAIL("LU was not restarted within 10 s"); });
  // As a session does (nexus_session::on_lu_update): the old actor's
  // handles go. A restarted LU holds its medium I/O while the old actor
  // object lives (lu_actor::wait_for_predecessors), so a handle kept here
  // would hold it for 30 s.
  for (size_t i = 0; i < grant.luns.size(); ++i) {
    if (grant.luns[i].lu_name != name) continue;
    for (auto& old : grant.msg.lus)
      if (old == grant.luns[i].lu) old = lu;
    grant.luns[i].lu = lu;
  }
  return lu;
}

std::vector<lu_state_entry> stmf_fixture::lu_states() {
  std::vector<lu_state_entry> out;
  self->request(stmf, std::chrono::seconds(5), get_atom::value, lu_state_atom::value)
      .receive(
          [&](const lu_state_list& l) {
            for (auto e : l.get().getLus()) {
              auto state = from_wire(e.getState());
              REQUIRE(state);
              out.push_back({e.getLuName(), *state, e.getReason()});
            }
          },
          [&](caf::error& e) { FAIL("no LU states: " << to_string(e)); });
  return out;
}

lu_state_entry stmf_fixture::lu_state_of(const std::string& name) {
  for (auto& e : lu_states())
    if (e.name == name) return e;
  FAIL("STMF reports no LU " << name);
  return {};
}

task_ptr post_task(stmf_fixture& f, task_ptr t, uint32_t tag) {
  t->task.setTaskTag(tag);
  if (!f.worker) f.worker = f.sys.spawn(task_actor);
  t->actor = f.worker;
  f.self->send(f.worker, execute_atom::value, t);
  f.self->send(t->lu.get(), execute_atom::value, t);
  return t;
}

task_ptr next_done(stmf_fixture& f) {
  task_ptr out;
  f.self->receive([&](done_atom, task_ptr& t) { out = std::move(t); },
                  caf::after(std::chrono::seconds(10)) >> [&] { FAIL("no completion within 10 s"); });
  return out;
}

bool lu_function(stmf_fixture& f, wire::TaskManagementFunction fn, uint32_t referenced, caf::actor lu) {
  bool ok = false;
  f.self
      ->request(lu ? lu : f.grant.luns[0].lu, std::chrono::seconds(10), tmf_atom::value,
                make_tmf_request(fn, f.grant.nexus, 0, 0x55, referenced))
      .receive([&](const tmf_response& r) { ok = r.get().getResult() == wire::TaskManagementResult::COMPLETE; },
               [&](caf::error& e) { FAIL("TMF failed: " << to_string(e)); });
  return ok;
}

std::vector<uint8_t> read10(uint32_t lba, uint16_t blocks) {
  return {0x28,         0, uint8_t(lba >> 24),   uint8_t(lba >> 16), uint8_t(lba >> 8),
          uint8_t(lba), 0, uint8_t(blocks >> 8), uint8_t(blocks),    0};
}

std::vector<uint8_t> write10(uint32_t lba, uint16_t blocks) {
  auto c = read10(lba, blocks);
  c[0] = 0x2A;
  return c;
}

std::vector<uint8_t> test_unit_ready() { return {0x00, 0, 0, 0, 0, 0}; }

std::tuple<int, int, int> sense_of(const task_ptr& t) {
  auto s = t->task.getSense();
  if (s.size() < 14) return {-1, -1, -1};
  return {s[2] & 0x0f, s[12], s[13]};
}

}  // namespace stmfd::test
