// ALUA and the local ports' own state (issue 7): a port provider's link
// report (port_link_atom) makes a group whose ports are all down offline as
// seen through the other groups' ports, and a live reconfig that regroups,
// adds or removes ports reaches the running LU (REPORT TARGET PORT GROUPS,
// VPD 83h, INQUIRY DATA HAS CHANGED) without restarting it.
#include "tests/actors/fixture.hpp"
#include "wire/config/loader.hpp"
#include "wire/scsi/cdb.hpp"

using namespace stmfd;
using namespace stmfd::test;
using kind = lu_definition::backing_kind;

namespace {

const std::string second_target = "iqn.2026-11.org.stmfd:ports2";
const std::string third_target = "iqn.2026-11.org.stmfd:ports3";

// A target port group designator (SPC-4 7.8.6.6: association 01b, type 5).
std::vector<uint8_t> group_designator(uint16_t group) {
  return {0x01, 0x15, 0x00, 0x04, 0x00, 0x00, uint8_t(group >> 8), uint8_t(group)};
}

// The fixture's port (relative port 1, group 1) plus a provider whose port
// (relative port 2) is in group 2. Its reconfigure gives what `next` holds
// when STMF is asked (ports_atom), so a test can regroup and add ports.
struct second_provider {
  std::shared_ptr<std::vector<local_port>> next = std::make_shared<std::vector<local_port>>();
  stmf_fixture::edit_fn edit() {
    auto n = next;
    return [n](stmf_definitions&, provider_registry& reg) {
      port_provider p;
      p.name = "ports2";
      p.ports.push_back(local_port{transport::iscsi, second_target, 0, 2, {}});
      p.spawn = [](caf::local_actor& stmf, const port_start&) {
        return stmf.spawn([](caf::event_based_actor*) -> caf::behavior { return {[](int) {}}; });
      };
      p.describe = [](local_port& lp) { lp.designators = group_designator(lp.target_port_group); };
      p.reconfigure = [n](wire::cfg::Config::Reader) { return *n; };
      REQUIRE(reg.add(std::move(p)));
    };
  }
};

std::vector<uint8_t> rtpg() { return {0xA3, 0x0A, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0}; }
std::vector<uint8_t> vpd83() { return {0x12, 0x01, 0x83, 0x01, 0x00, 0x00}; }

task_ptr via(task_ptr t, uint16_t port, uint64_t nexus) {
  t->task.setRelativePortId(port);
  t->task.setNexus(nexus);
  return t;
}

struct group_seen {
  uint16_t id;
  uint8_t state;
  std::vector<uint16_t> ports;
  bool operator==(const group_seen&) const = default;
};
std::vector<group_seen> groups_of(const task_ptr& t) {
  REQUIRE(t->task.getStatus() == 0);
  const uint8_t* d = t->data.data;
  const size_t n = t->task.getDataInLength();
  REQUIRE(n >= 4);
  std::vector<group_seen> out;
  for (size_t at = 4; at + 8 <= n;) {
    group_seen g{scsi::get_be16(d + at + 2), uint8_t(d[at] & 0x0F), {}};
    for (unsigned i = 0; i < d[at + 7]; ++i) g.ports.push_back(scsi::get_be16(d + at + 8 + 4 * i + 2));
    at += 8 + 4 * d[at + 7];
    out.push_back(g);
  }
  return out;
}

// The target port group designator VPD 83h reports (0: none).
uint16_t vpd_group(const task_ptr& t) {
  REQUIRE(t->task.getStatus() == 0);
  const uint8_t* d = t->data.data;
  const size_t n = t->task.getDataInLength();
  for (size_t at = 4; at + 4 <= n; at += 4 + d[at + 3])
    if ((d[at + 1] & 0x0F) == 0x5 && at + 8 <= n) return scsi::get_be16(d + at + 6);
  return 0;
}

// Answered by STMF after everything sent to it before: the LUs have had
// whatever it sent them (CAF keeps each sender's order).
tpg_listing listing(stmf_fixture& f) {
  tpg_listing out;
  f.self->request(f.stmf, std::chrono::seconds(5), get_atom::value, alua_atom::value)
      .receive([&](const tpg_listing& l) { out = l; }, [&](caf::error& e) { FAIL(to_string(e)); });
  return out;
}

const local_port* port_in(const tpg_listing& l, uint16_t rel) {
  for (auto& g : l)
    for (auto& p : g.ports)
      if (p.relative_port_id == rel) return &p;
  return nullptr;
}

}  // namespace

TEST_CASE("a port whose link goes down makes its group offline for the others", "[actors][alua]") {
  second_provider prov;
  stmf_fixture f(kind::ram, prov.edit());
  const uint64_t a = f.grant.nexus;
  auto tur = [&] { return f.run(via(f.make_task(test_unit_ready(), wire::Direction::NONE, 0), 1, a)); };
  REQUIRE(tur()->task.getStatus() == 0);

  f.self->send(f.stmf, port_link_atom::value, uint16_t(2), false);
  auto l = listing(f);
  REQUIRE(port_in(l, 2) != nullptr);
  CHECK_FALSE(port_in(l, 2)->link_up);
  CHECK(sense_of(tur()) == std::make_tuple(0x6, 0x2A, 0x06));  // ASYMMETRIC ACCESS STATE CHANGED
  auto g = groups_of(f.run(via(f.make_task(rtpg(), wire::Direction::READ, 256), 1, a)));
  CHECK((g == std::vector<group_seen>{{1, 0x0, {1}}, {2, 0xE, {2}}}));  // group 2 offline
  CHECK(f.run(via(f.make_task(read10(0, 1), wire::Direction::READ, 512), 1, a))->task.getStatus() == 0);

  // The same report again changes nothing; one for a port nobody has is ignored.
  f.self->send(f.stmf, port_link_atom::value, uint16_t(2), false);
  f.self->send(f.stmf, port_link_atom::value, uint16_t(99), true);
  listing(f);
  CHECK(tur()->task.getStatus() == 0);

  f.self->send(f.stmf, port_link_atom::value, uint16_t(2), true);
  CHECK(port_in(listing(f), 2)->link_up);
  CHECK(sense_of(tur()) == std::make_tuple(0x6, 0x2A, 0x06));
  g = groups_of(f.run(via(f.make_task(rtpg(), wire::Direction::READ, 256), 1, a)));
  CHECK((g == std::vector<group_seen>{{1, 0x0, {1}}, {2, 0x0, {2}}}));
}

TEST_CASE("a live reconfig regrouping and adding ports reaches the running lu", "[actors][alua]") {
  second_provider prov;
  stmf_fixture f(kind::ram, prov.edit());
  const uint64_t a = f.grant.nexus;
  auto tur = [&] { return f.run(via(f.make_task(test_unit_ready(), wire::Direction::NONE, 0), 1, a)); };
  REQUIRE(tur()->task.getStatus() == 0);
  CHECK(vpd_group(f.run(via(f.make_task(vpd83(), wire::Direction::READ, 256), 2, a))) == 2);
  caf::actor lu;
  f.self->request(f.stmf, std::chrono::seconds(5), get_atom::value, std::string("disk0"))
      .receive([&](const caf::actor& x) { lu = x; }, [&](caf::error& e) { FAIL(to_string(e)); });
  REQUIRE(lu);

  // Port 2 moves to group 3; a new port (relative port 3) joins group 2.
  *prov.next = {local_port{transport::iscsi, second_target, 0, 3, {}},
                local_port{transport::iscsi, third_target, 0, 2, {}}};
  auto cfg = std::make_shared<wire::cfg::load_result>(wire::cfg::load_text("{}", "test", f.dir));
  REQUIRE(cfg->ok);
  std::string err = "no answer";
  f.self->request(f.stmf, std::chrono::seconds(5), ports_atom::value, config_snapshot(cfg))
      .receive([&](const std::string& e) { err = e; }, [&](caf::error& e) { err = to_string(e); });
  REQUIRE(err.empty());

  // Port 2's VPD 83h changed: INQUIRY DATA HAS CHANGED, once (SPC-4 7.8.1).
  CHECK(sense_of(tur()) == std::make_tuple(0x6, 0x3F, 0x03));
  CHECK(tur()->task.getStatus() == 0);
  auto g = groups_of(f.run(via(f.make_task(rtpg(), wire::Direction::READ, 256), 1, a)));
  CHECK((g == std::vector<group_seen>{{1, 0x0, {1}}, {2, 0x0, {3}}, {3, 0x0, {2}}}));
  CHECK(vpd_group(f.run(via(f.make_task(vpd83(), wire::Direction::READ, 256), 2, a))) == 3);
  CHECK(vpd_group(f.run(via(f.make_task(vpd83(), wire::Direction::READ, 256), 3, a))) == 2);

  // Port 3 goes away again: group 2 has no port, RTPG no longer lists it.
  *prov.next = {local_port{transport::iscsi, second_target, 0, 3, {}}};
  f.self->request(f.stmf, std::chrono::seconds(5), ports_atom::value, config_snapshot(cfg))
      .receive([&](const std::string& e) { err = e; }, [&](caf::error& e) { err = to_string(e); });
  REQUIRE(err.empty());
  g = groups_of(f.run(via(f.make_task(rtpg(), wire::Direction::READ, 256), 1, a)));
  CHECK((g == std::vector<group_seen>{{1, 0x0, {1}}, {3, 0x0, {2}}}));
  // All without restarting the LU.
  caf::actor still;
  f.self->request(f.stmf, std::chrono::seconds(5), get_atom::value, std::string("disk0"))
      .receive([&](const caf::actor& x) { still = x; }, [&](caf::error& e) { FAIL(to_string(e)); });
  CHECK(still == lu);
}
