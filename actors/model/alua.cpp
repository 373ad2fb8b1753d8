#include "actors/model/alua.hpp"

#include <algorithm>

namespace stmfd {

access_state lu_access::state_of(uint16_t group) const {
  for (auto& e : groups)
    if (e.group == group) return e.state;
  return access_state::active_optimized;
}

void lu_access::set(uint16_t group, access_state s) {
  auto it =
      std::lower_bound(groups.begin(), groups.end(), group, [](const entry& e, uint16_t g) { return e.group < g; });
  if (it != groups.end() && it->group == group)
    it->state = s;
  else
    groups.insert(it, entry{group, s});
}

target_port_groups::target_port_groups(std::vector<tpg_definition> groups) : groups_(std::move(groups)) {
  std::sort(groups_.begin(), groups_.end(), [](auto& a, auto& b) { return a.id < b.id; });
}

const tpg_definition* target_port_groups::find(uint16_t id) const {
  for (auto& g : groups_)
    if (g.id == id) return &g;
  return nullptr;
}

tpg_definition& target_port_groups::slot(uint16_t id) {
  auto it = std::lower_bound(groups_.begin(), groups_.end(), id, [](auto& g, uint16_t i) { return g.id < i; });
  if (it == groups_.end() || it->id != id) {
    tpg_definition d;
    d.id = id;
    it = groups_.insert(it, std::move(d));
  }
  return *it;
}

std::string target_port_groups::set_state(uint16_t group, access_state s, const std::string& lu) {
  if (group == 0) return "target port group 0 is reserved (SPC-4: groups are 1..65535)";
  auto& g = slot(group);
  if (lu.empty()) {
    g.state = s;
    g.lu_states.clear();
    g.stpg_states.clear();
  } else {
    g.lu_states[lu] = s;
    g.stpg_states.erase(lu);
  }
  return {};
}

void target_port_groups::set_by_stpg(uint16_t group, const std::string& lu, access_state s) {
  slot(group).stpg_states[lu] = s;
}

void target_port_groups::forget_lu(const std::string& lu) {
  for (auto& g : groups_) {
    g.lu_states.erase(lu);
    g.stpg_states.erase(lu);
  }
}

lu_access target_port_groups::view_for(const std::string& lu, const std::vector<uint16_t>& port_groups) const {
  lu_access v;
  for (uint16_t id : port_groups) v.set(id, access_state::active_optimized);
  for (auto& g : groups_) {
    access_state s = g.state;
    if (auto it = g.lu_states.find(lu); it != g.lu_states.end()) s = it->second;
    if (auto it = g.stpg_states.find(lu); it != g.stpg_states.end()) s = it->second;
    v.set(g.id, s);
  }
  return v;
}

void apply_port_states(lu_access& v, const std::vector<local_port>& ports) {
  std::map<uint16_t, bool> any_up;  // group -> one of its ports is up
  for (auto& p : ports) any_up[p.target_port_group] |= p.online && p.link_up;
  for (auto& [group, up] : any_up)
    if (!up) v.set(group, access_state::offline);
}

std::optional<scsi::sense_code> access_check(access_state s, const command_info& info) {
  using scsi::sense;
  if (!info.known) return std::nullopt;
  switch (s) {
    case access_state::active_optimized:
    case access_state::active_non_optimized: return std::nullopt;
    case access_state::standby:
      if (info.allowed_on_standby) return std::nullopt;
      return sense::not_ready_standby();
    case access_state::unavailable:
      if (info.allowed_on_unavailable) return std::nullopt;
      return sense::not_ready_unavailable();
    case access_state::transitioning:
      if (info.allowed_on_transitioning) return std::nullopt;
      return sense::not_ready_transitioning();
    case access_state::offline:
      if (info.allowed_on_transitioning) return std::nullopt;
      return sense::not_ready_offline();
  }
  return std::nullopt;
}

}  // namespace stmfd
