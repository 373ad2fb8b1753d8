// The ALUA model from a loaded config (wire/config.capnp, already checked
// by the loader: states are valid names, ids unique).
#include <algorithm>

#include "actors/model/alua.hpp"

namespace stmfd {

namespace {
access_state state_from(capnp::Text::Reader t) {
  return scsi::alua::parse_state(std::string_view(t.cStr(), t.size())).value_or(access_state::active_optimized);
}
}  // namespace

target_port_groups alua_from_config(wire::cfg::Config::Reader cfg) {
  std::vector<tpg_definition> groups;
  for (auto g : cfg.getTargetPortGroups()) {
    tpg_definition d;
    d.id = g.getId();
    d.name = g.getName();
    d.state = state_from(g.getState());
    for (auto e : g.getLuStates()) d.lu_states[std::string(e.getLogicalUnit())] = state_from(e.getState());
    groups.push_back(std::move(d));
  }
  return target_port_groups(std::move(groups));
}

std::vector<uint16_t> port_groups_of(wire::cfg::Config::Reader cfg) {
  std::vector<uint16_t> out;
  for (auto t : cfg.getTargets()) out.push_back(t.getTargetPortGroup() ? t.getTargetPortGroup() : t.getTpgt());
  for (auto p : cfg.getFcPorts()) out.push_back(p.getTargetPortGroup());
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace stmfd
