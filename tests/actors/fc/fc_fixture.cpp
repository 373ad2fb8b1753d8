#include "tests/actors/fc/fc_fixture.hpp"

#include <atomic>
#include <thread>

namespace stmfd::test {

fc_fixture::fc_fixture(options o) : opts(o) {
  static std::atomic<int> n{0};
  ifname = "fc-test-" + std::to_string(n++);
  auto ctx = std::make_shared<fc::provider_context>();
  fc::port_config pc;
  pc.wwnn = fc_target_wwnn;
  pc.wwpn = fc_target_wwpn;
  pc.interface = ifname;
  ctx->ports.push_back(pc);
  ctx->settings.max_burst = o.max_burst;
  ctx->settings.cmd_window = o.cmd_window;
  ctx->settings.open_retry_ms = 20;
  std::string target = fc::wwn_name(fc_target_wwpn);
  auto captured = std::make_shared<caf::actor_addr>();  // weak: the registry must not keep the actor alive
  stmf = std::make_unique<stmf_fixture>(lu_definition::backing_kind::ram, [&](stmf_definitions& d,
                                                                              provider_registry& reg) {
    auto p = fc::provider(ctx);
    auto spawn = p.spawn;
    p.spawn = [spawn, captured](caf::local_actor& s, const port_start& ps) {
      auto a = spawn(s, ps);
      *captured = a.address();
      return a;
    };
    REQUIRE(reg.add(std::move(p)));
    std::vector<host_group> hgs;
    std::string hg;
    if (!o.host_group_member.empty()) {
      hgs.push_back(host_group{"fc-hosts", {o.host_group_member}});
      hg = "fc-hosts";
    }
    REQUIRE_FALSE(d.views.replace(
        hgs, {}, {view_entry{"disk0", "", "", "iqn.2026-11.org.stmfd:test", 0}, view_entry{"disk0", hg, "", target, 0}},
        {"disk0"}));
  });
  for (int i = 0; i < 250 && !*captured; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  REQUIRE(*captured);
  provider = caf::actor_cast<caf::actor>(*captured);
  if (!o.interface_later) make_interface();
}

void fc_fixture::make_interface() {
  pair = fc::hba::make_loopback(ifname, 0x0000EF, 0x0000E8, opts.queue_capacity);
  ini = std::make_unique<fc_initiator>(pair.initiator, fc_initiator_wwpn, pair.target->port_id());
  // The provider binds its HBA asynchronously: wait for the link to be seen.
  stats([](const fc::port_stats& s) { return s.link_up; });
}

port_detail_list fc_fixture::details() {
  port_detail_list out;
  stmf->self->request(stmf->stmf, std::chrono::seconds(10), get_atom::value, port_detail_atom::value)
      .receive([&](port_detail_list& l) { out = std::move(l); },
               [&](caf::error& e) { FAIL("no port details: " << to_string(e)); });
  return out;
}

fc_fixture::~fc_fixture() {
  ini.reset();
  provider = nullptr;  // no actor handle may outlive the actor system
  stmf.reset();
  fc::hba::remove_loopback(ifname);
}

fc::port_stats fc_fixture::stats(const std::function<bool(const fc::port_stats&)>& until) {
  fc::port_stats out;
  for (int i = 0; i < 250; ++i) {
    stmf->self->request(provider, std::chrono::seconds(5), get_atom::value, fc::rports_atom::value, fc_target_wwpn)
        .receive([&](fc::port_stats& s) { out = s; }, [&](caf::error& e) { FAIL("no port stats: " << to_string(e)); });
    if (!until || until(out)) return out;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  FAIL("the FC port did not reach the expected state");
  return out;
}

}  // namespace stmfd::test
