// The FC provider's port details (the port provider contract's
// port_detail_atom, asked through STMF as the admin plane does for
// stmfadm list-fc-port): the port's names, HBA, link state and port ID, the
// initiators logged in with their names, port IDs and I_T nexus; and the
// port's life when its interface is absent at start, goes down and returns.
#include <thread>

#include "tests/actors/fc/fc_fixture.hpp"

using namespace stmfd;
using namespace stmfd::test;
using namespace stmfd::fc;

namespace {

// The one local port's details once `until` holds (up to 5 s).
local_port_detail port_when(fc_fixture& f, const std::function<bool(const local_port_detail&)>& until) {
  local_port_detail last;
  for (int i = 0; i < 250; ++i) {
    auto all = f.details();
    REQUIRE(all.size() == 1);
    last = all[0];
    if (until(last)) return last;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  FAIL("the port did not reach the expected state; last: " << last.state << ", " << last.remotes.size()
                                                           << " remote port(s)");
  return last;
}

}  // namespace

TEST_CASE("fc_port_details_name_the_port_and_each_logged_in_initiator", "[actors][fc][admin]") {
  fc_fixture f;
  auto p = port_when(f, [](auto& d) { return d.state == "online"; });
  CHECK(p.target_name == wwn_name(fc_target_wwpn));
  CHECK(p.node_name == wwn_name(fc_target_wwnn));
  CHECK(p.interface == f.ifname);
  CHECK(p.driver == "loopback");
  CHECK(p.address == 0x0000EF);
  CHECK(p.remotes.empty());

  REQUIRE(f.ini->login());
  p = port_when(f, [](auto& d) { return d.remotes.size() == 1 && d.remotes[0].nexus != 0; });
  auto& r = p.remotes[0];
  CHECK(r.port_name == wwn_name(fc_initiator_wwpn));
  CHECK(r.node_name == wwn_name(f.ini->login_payload(els::cmd::plogi).node_name));
  CHECK(r.address == 0x0000E8);
  uint64_t nexus = r.nexus;

  // PRLO ends the image pair (the nexus), the N_Port login stands.
  els::prli prlo;
  prlo.code = els::cmd::prlo;
  prlo.pages.push_back(els::prli_page{type::fcp, 0, 0, 0, 0, 0, 0});
  REQUIRE_FALSE(f.ini->els(els::encode(prlo)).empty());
  p = port_when(f, [](auto& d) { return d.remotes.size() == 1 && d.remotes[0].nexus == 0; });
  CHECK(p.remotes[0].port_name == wwn_name(fc_initiator_wwpn));

  // A new login gets a new nexus; LOGO removes the remote port.
  REQUIRE(f.ini->login());
  p = port_when(f, [](auto& d) { return d.remotes.size() == 1 && d.remotes[0].nexus != 0; });
  CHECK(p.remotes[0].nexus != nexus);
  REQUIRE_FALSE(f.ini->els(els::encode(els::logo{f.ini->id(), fc_initiator_wwpn})).empty());
  port_when(f, [](auto& d) { return d.remotes.empty(); });
}

TEST_CASE("fc_port_absent_at_start_then_down_and_back", "[actors][fc][admin]") {
  fc_fixture::options o;
  o.interface_later = true;
  fc_fixture f(o);
  // No interface of that name yet: the port waits for it.
  auto p = port_when(f, [](auto& d) { return d.state == "absent"; });
  CHECK(p.address == 0);
  CHECK(p.interface == f.ifname);

  f.make_interface();
  port_when(f, [](auto& d) { return d.state == "online"; });
  REQUIRE(f.ini->login());
  REQUIRE(f.ini->command({0x00}, 0, false, false).rsp->status == 0);
  port_when(f, [](auto& d) { return d.remotes.size() == 1; });

  // The link goes: the port is offline, its initiators logged out.
  f.pair.set_link(false);
  p = port_when(f, [](auto& d) { return d.state == "offline" && d.remotes.empty(); });
  CHECK(p.address == 0);
  CHECK(p.remotes.empty());

  // And back: a fresh login works.
  f.pair.set_link(true);
  port_when(f, [](auto& d) { return d.state == "online"; });
  REQUIRE(f.ini->login());
  auto r = f.ini->command({0x00}, 0, false, false);
  REQUIRE(r.rsp);
  CHECK(r.rsp->status == 0);
}
