// The ALUA verbs: stmfadm list-tpg-alua (target port groups, their
// asymmetric access states, the state in force (offline while all of a
// group's ports are down) and ports) and set-alua-state (an implicit
// transition, saved in the config file). itadm's list-tpg is the iSCSI
// target portal groups, another thing.
#include <cstdio>
#include <memory>

#include "actors/stmfadm/print.hpp"
#include "actors/stmfadm/verbs.hpp"

namespace stmfd::stmfadm {

using namespace wire::admin;

runner list_tpg_alua(CLI::App& app, std::shared_ptr<context> c) {
  app.add_flag("-v,--verbose", c->verbose, "the ports of each group");
  return [c](connection& conn) {
    auto resp = conn.admin().listAluaGroupsRequest().send().wait(conn.wait_scope());
    if (c->json) return print_json(resp), report(c->program, resp.getStatus());
    if (!ok(resp.getStatus())) return report(c->program, resp.getStatus());  // no listing on an error
    for (auto g : resp.getGroups()) {
      std::printf("Target Port Group: %u%s%s\n", g.getId(), g.getName().size() ? "  " : "", g.getName().cStr());
      std::printf("    Access State       : %s\n", g.getState().cStr());
      std::printf("    Effective State    : %s\n", g.getEffectiveState().cStr());
      for (auto s : g.getLuStates())
        std::printf("    LU %-16s : %s%s\n", s.getLogicalUnit().cStr(), s.getState().cStr(),
                    s.getByStpg() ? " (SET TARGET PORT GROUPS)" : "");
      if (!c->verbose) continue;
      for (auto p : g.getPorts())
        std::printf("    Port               : %s (relative port %u)%s\n", p.getTarget().cStr(), p.getRelativePortId(),
                    p.getUp() ? "" : " down");
    }
    return report(c->program, resp.getStatus());
  };
}

runner set_alua_state(CLI::App& app, std::shared_ptr<context> c) {
  struct args {
    uint16_t group = 0;
    std::string state, lu;
  };
  auto a = std::make_shared<args>();
  app.add_option("group", a->group, "the target port group (1..65535)")->required();
  app.add_option("state", a->state,
                 "active-optimized, active-nonoptimized, standby, unavailable, offline or transitioning")
      ->required();
  app.add_option("-l,--lu", a->lu, "only for this LU (name or GUID); default every LU");
  return [c, a](connection& conn) {
    auto req = conn.admin().setAluaStateRequest();
    req.setGroup(a->group);
    req.setState(a->state);
    req.setLogicalUnit(a->lu);
    return report(c->program, req.send().wait(conn.wait_scope()).getStatus());
  };
}

}  // namespace stmfd::stmfadm
