// ALUA in the framework (actors/model/alua, actors/lu/lu_alua.cpp): two
// local ports in two target port groups reach one LU. An implicit
// transition from the admin plane and an explicit one (SET TARGET PORT
// GROUPS) change what commands through each port get, with the unit
// attentions SPC-4 5.15.2 asks for.
#include "tests/actors/fixture.hpp"
#include "wire/scsi/cdb.hpp"

using namespace stmfd;
using namespace stmfd::test;
using kind = lu_definition::backing_kind;

namespace {

const std::string second_target = "iqn.2026-11.org.stmfd:test2";

// The fixture's port (relative port 1, group 1) plus a second provider
// whose port (relative port 2) is in group 2 and also sees disk0 at LUN 0.
stmf_fixture::edit_fn two_groups() {
  return [](stmf_definitions& defs, provider_registry& reg) {
    port_provider p;
    p.name = "test2";
    p.ports.push_back(local_port{transport::iscsi, second_target, 0, 2, {}});
    p.spawn = [](caf::local_actor& stmf, const port_start&) {
      return stmf.spawn([](caf::event_based_actor*) -> caf::behavior { return {[](int) {}}; });
    };
    REQUIRE(reg.add(std::move(p)));
  };
}

std::vector<uint8_t> rtpg(bool extended) {
  return {0xA3, uint8_t(extended ? 0x2A : 0x0A), 0, 0, 0, 0, 0, 0, 1, 0, 0, 0};
}
std::vector<uint8_t> stpg(uint32_t len) { return {0xA4, 0x0A, 0, 0, 0, 0, 0, 0, 0, uint8_t(len), 0, 0}; }
std::vector<uint8_t> inquiry() { return {0x12, 0, 0, 0, 96, 0}; }

// Through relative port `port`, as nexus `nexus`.
task_ptr via(stmf_fixture& f, task_ptr t, uint16_t port, uint64_t nexus) {
  t->task.setRelativePortId(port);
  t->task.setNexus(nexus);
  return t;
}

struct group_seen {
  uint16_t id;
  uint8_t state, status;
  std::vector<uint16_t> ports;
};
std::vector<group_seen> groups_of(const task_ptr& t) {
  REQUIRE(t->task.getStatus() == 0);
  const uint8_t* d = t->data.data;
  const size_t n = t->task.getDataInLength();
  REQUIRE(n >= 4);
  REQUIRE(scsi::get_be32(d) + 4 == n);
  std::vector<group_seen> out;
  for (size_t at = 4; at + 8 <= n;) {
    group_seen g{scsi::get_be16(d + at + 2), uint8_t(d[at] & 0x0F), d[at + 5], {}};
    CHECK(d[at + 1] == 0xCF);  // T_SUP O_SUP U_SUP S_SUP AN_SUP AO_SUP
    for (unsigned i = 0; i < d[at + 7]; ++i) g.ports.push_back(scsi::get_be16(d + at + 8 + 4 * i + 2));
    at += 8 + 4 * d[at + 7];
    out.push_back(g);
  }
  return out;
}

std::string set_state(stmf_fixture& f, uint16_t group, access_state s, const std::string& lu = "") {
  std::string err = "no answer";
  f.self->request(f.stmf, std::chrono::seconds(5), alua_atom::value, tpg_change{group, s, lu})
      .receive([&](const std::string& e) { err = e; }, [&](caf::error& e) { err = to_string(e); });
  return err;
}

}  // namespace

TEST_CASE("inquiry reports implicit and explicit ALUA", "[actors][alua]") {
  stmf_fixture f(kind::ram, two_groups());
  auto t = f.run(f.make_task(inquiry(), wire::Direction::READ, 96));
  REQUIRE(t->task.getStatus() == 0);
  CHECK(((t->data.data[5] >> 4) & 0x3) == 0x3);  // TPGS 11b
}

TEST_CASE("rtpg lists both groups with their ports", "[actors][alua]") {
  stmf_fixture f(kind::ram, two_groups());
  for (bool ext : {false, true}) {
    auto t = f.run(f.make_task(rtpg(ext), wire::Direction::READ, 256));
    REQUIRE(t->task.getStatus() == 0);
    if (ext) {
      REQUIRE(t->data.data[4] == 0x10);
      continue;
    }
    auto g = groups_of(t);
    REQUIRE(g.size() == 2);
    CHECK((g[0].id == 1 && g[0].state == 0 && g[0].ports == std::vector<uint16_t>{1}));
    CHECK((g[1].id == 2 && g[1].state == 0 && g[1].ports == std::vector<uint16_t>{2}));
  }
}

TEST_CASE("an implicit standby answers NOT READY through its group only", "[actors][alua]") {
  stmf_fixture f(kind::ram, two_groups());
  const uint64_t a = f.grant.nexus;
  REQUIRE(set_state(f, 2, access_state::standby).empty());
  // Every nexus hears of it first (2Ah/06h), whichever port it uses.
  auto first = f.run(via(f, f.make_task(read10(0, 1), wire::Direction::READ, 512), 2, a));
  CHECK(sense_of(first) == std::make_tuple(0x6, 0x2A, 0x06));
  auto standby = f.run(via(f, f.make_task(read10(0, 1), wire::Direction::READ, 512), 2, a));
  CHECK(sense_of(standby) == std::make_tuple(0x2, 0x04, 0x0B));
  auto inq = f.run(via(f, f.make_task(inquiry(), wire::Direction::READ, 96), 2, a));
  CHECK(inq->task.getStatus() == 0);  // allowed on standby
  auto r = f.run(via(f, f.make_task(rtpg(false), wire::Direction::READ, 256), 2, a));
  auto g = groups_of(r);
  REQUIRE(g.size() == 2);
  CHECK((g[1].state == 0x2 && g[1].status == 0x02));  // standby, altered implicitly
  auto other = f.run(via(f, f.make_task(read10(0, 1), wire::Direction::READ, 512), 1, a));
  CHECK(other->task.getStatus() == 0);  // group 1 still serves

  REQUIRE(set_state(f, 2, access_state::unavailable).empty());
  f.run(via(f, f.make_task(test_unit_ready(), wire::Direction::NONE, 0), 2, a));  // the unit attention
  auto unavailable = f.run(via(f, f.make_task(read10(0, 1), wire::Direction::READ, 512), 2, a));
  CHECK(sense_of(unavailable) == std::make_tuple(0x2, 0x04, 0x0C));
  REQUIRE(set_state(f, 2, access_state::transitioning).empty());
  f.run(via(f, f.make_task(test_unit_ready(), wire::Direction::NONE, 0), 2, a));
  auto transitioning = f.run(via(f, f.make_task(test_unit_ready(), wire::Direction::NONE, 0), 2, a));
  CHECK(sense_of(transitioning) == std::make_tuple(0x2, 0x04, 0x0A));
  CHECK_FALSE(set_state(f, 9, access_state::standby).empty());  // no port names group 9
  CHECK_FALSE(set_state(f, 2, access_state::standby, "nope").empty());
}

TEST_CASE("stpg changes the state and tells the other nexuses", "[actors][alua]") {
  stmf_fixture f(kind::ram, two_groups());
  const uint64_t a = f.grant.nexus;
  const uint64_t b = f.login(0x800000000002).nexus;
  f.run(via(f, f.make_task(test_unit_ready(), wire::Direction::NONE, 0), 1, b));  // b's POWER ON, if any
  const std::vector<uint8_t> list = {0, 0, 0, 0, 0x02, 0, 0, 2};                  // group 2 -> standby
  auto set = f.run(via(f, f.make_task(stpg(8), wire::Direction::WRITE, 8, list), 1, a));
  REQUIRE(set->task.getStatus() == 0);
  // The requester is not told; the other nexus is.
  CHECK(f.run(via(f, f.make_task(test_unit_ready(), wire::Direction::NONE, 0), 1, a))->task.getStatus() == 0);
  auto ua = f.run(via(f, f.make_task(test_unit_ready(), wire::Direction::NONE, 0), 1, b));
  CHECK(sense_of(ua) == std::make_tuple(0x6, 0x2A, 0x06));
  auto standby = f.run(via(f, f.make_task(read10(0, 1), wire::Direction::READ, 512), 2, a));
  CHECK(sense_of(standby) == std::make_tuple(0x2, 0x04, 0x0B));
  auto g = groups_of(f.run(via(f, f.make_task(rtpg(false), wire::Direction::READ, 256), 1, a)));
  REQUIRE(g.size() == 2);
  CHECK((g[1].state == 0x2 && g[1].status == 0x01));  // altered by SET TARGET PORT GROUPS
  // STMF keeps it (an LU restart or the admin listing sees it).
  bool listed = false;
  f.self->request(f.stmf, std::chrono::seconds(5), get_atom::value, alua_atom::value)
      .receive(
          [&](const tpg_listing& l) {
            for (auto& x : l)
              if (x.def.id == 2) listed = x.def.stpg_states.count("disk0") == 1;
          },
          [&](caf::error&) {});
  CHECK(listed);
}

TEST_CASE("stpg refuses unknown groups and states it cannot ask for", "[actors][alua]") {
  stmf_fixture f(kind::ram, two_groups());
  const std::vector<uint8_t> unknown = {0, 0, 0, 0, 0x02, 0, 0, 9};
  auto t = f.run(f.make_task(stpg(8), wire::Direction::WRITE, 8, unknown));
  CHECK(sense_of(t) == std::make_tuple(0x5, 0x26, 0x00));
  const std::vector<uint8_t> offline = {0, 0, 0, 0, 0x0E, 0, 0, 2};
  t = f.run(f.make_task(stpg(8), wire::Direction::WRITE, 8, offline));
  CHECK(sense_of(t) == std::make_tuple(0x5, 0x26, 0x00));
  const std::vector<uint8_t> partial = {0, 0, 0, 0, 0x02, 0};
  t = f.run(f.make_task(stpg(6), wire::Direction::WRITE, 6, partial));
  CHECK(sense_of(t) == std::make_tuple(0x5, 0x1A, 0x00));
  auto g = groups_of(f.run(f.make_task(rtpg(false), wire::Direction::READ, 256)));
  CHECK((g.size() == 2 && g[1].state == 0));  // nothing changed
}
