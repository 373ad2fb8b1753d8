// STMF's side of ALUA (stmf_actor.hpp, actors/model/alua.hpp): the model of
// target port groups lives here; each LU shell holds its LU's view and gets
// a new one whenever the admin plane changes a state. SET TARGET PORT
// GROUPS is applied by the LU shell that received it, which reports it here.
#include <algorithm>

#include <caf/all.hpp>

#include "actors/common/log.hpp"
#include "actors/lu/lu_actor.hpp"
#include "actors/stmf/stmf_actor.hpp"

namespace stmfd {

std::vector<uint16_t> stmf_actor::alua_port_groups() const {
  std::vector<uint16_t> out;
  if (local_ports_)
    for (auto& p : *local_ports_) out.push_back(p.target_port_group);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// The model's states with the ports' state over them (apply_port_states):
// a group whose ports are all down is offline as seen from the others.
lu_access stmf_actor::alua_view(const std::string& lu) const {
  lu_access v = defs_.alua.view_for(lu, alua_port_groups());
  if (local_ports_) apply_port_states(v, *local_ports_);
  return v;
}

void stmf_actor::push_alua_all() {
  for (size_t i = 0; i < lus_.size(); ++i) push_alua(i);
}

void stmf_actor::push_alua(size_t i) {
  auto& s = lus_[i];
  if (s.actor && !s.def.name.empty()) send(s.actor, alua_atom::value, alua_view(s.def.name));
}

std::string stmf_actor::set_alua_state(const tpg_change& c) {
  auto groups = alua_port_groups();
  if (defs_.alua.find(c.group) == nullptr && !std::binary_search(groups.begin(), groups.end(), c.group))
    return "there is no target port group " + std::to_string(c.group);
  size_t lu_index = lus_.size();
  if (!c.lu.empty()) {
    for (size_t i = 0; i < lus_.size(); ++i)
      if (!lus_[i].def.name.empty() && lus_[i].def.name == c.lu) lu_index = i;
    if (lu_index == lus_.size()) return "there is no LU '" + c.lu + "'";
  }
  if (auto err = defs_.alua.set_state(c.group, c.state, c.lu); !err.empty()) return err;
  log::info("target port group {} is {}{}", c.group, scsi::alua::name_of(c.state),
            c.lu.empty() ? std::string(" for every LU") : " for lu " + c.lu);
  for (size_t i = 0; i < lus_.size(); ++i)
    if (c.lu.empty() || i == lu_index) push_alua(i);
  return {};
}

// An LU applied a SET TARGET PORT GROUPS: keep it in the model (an LU
// restart keeps it; the admin plane lists it) and confirm the LU's view,
// which also settles an admin change that crossed the report.
void stmf_actor::on_stpg(const std::string& lu, uint16_t group, uint8_t state) {
  if (!scsi::alua::settable_by_stpg(state)) return;
  defs_.alua.set_by_stpg(group, lu, access_state(state));
  for (size_t i = 0; i < lus_.size(); ++i)
    if (lus_[i].def.name == lu) push_alua(i);
}

tpg_listing stmf_actor::alua_listing() const {
  tpg_listing out;
  std::vector<uint16_t> ids = alua_port_groups();
  for (auto& g : defs_.alua.groups()) ids.push_back(g.id);
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  for (uint16_t id : ids) {
    tpg_info info;
    if (auto* g = defs_.alua.find(id))
      info.def = *g;
    else
      info.def.id = id;
    if (local_ports_)
      for (auto& p : *local_ports_)
        if (p.target_port_group == id) info.ports.push_back(p);
    out.push_back(std::move(info));
  }
  return out;
}

}  // namespace stmfd
