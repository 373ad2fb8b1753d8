// STMF's side of itadm's live changes (stmf_admin.hpp: ports_atom with a
// config_snapshot, target_online_atom): the provider registry rebuilds the
// local ports, STMF refreshes its list of them, and each provider's running
// actor is told (actors/contracts/port_provider.hpp "Live changes"); every
// LU gets the new port list and its ALUA view again, with a group whose
// ports are all offline (or their links down: port_link_atom) reported
// offline through the other ports (actors/model/alua.hpp).
#include <caf/all.hpp>

#include "actors/common/log.hpp"
#include "actors/stmf/stmf_actor.hpp"

namespace stmfd {

void stmf_actor::push_ports() {
  refresh_ports();
  for (auto& slot : ports_)
    if (slot.provider->update) slot.provider->update(*this, slot.actor, slot.provider->ports);
}

// Every running LU gets the new port list, then its ALUA view: a group
// whose ports all went down is offline (apply_port_states), and back.
void stmf_actor::refresh_ports() {
  local_ports_ = std::make_shared<const std::vector<local_port>>(defs_.providers->local_ports());
  for (auto& s : lus_)
    if (s.actor) send(s.actor, lu_ports_atom::value, local_ports_);
  push_alua_all();
}

// A provider's link report (port_provider.hpp, port_link_atom). The
// provider already logs out the nexuses of a port whose link went down;
// here only the port list and the ALUA views change.
void stmf_actor::on_port_link(uint16_t relative_port_id, bool up) {
  if (!defs_.providers || !defs_.providers->set_link(relative_port_id, up)) return;
  log::info("stmf: relative port {}: link {}", relative_port_id, up ? "up" : "down");
  if (local_ports_) refresh_ports();  // before start_children, it builds the list itself
}

std::string stmf_actor::reconfigure_ports(const config_snapshot& cfg) {
  if (!started_) return "the daemon is still starting; try again";
  if (!defs_.providers) return "this daemon has no port providers";
  if (!cfg || !cfg->ok) return "no configuration was given";
  if (!defs_.providers->reconfigure(cfg->root()))
    return "no relative target port identifiers are left (SPC-4 allows 65535)";
  push_ports();
  log::info("stmf: ports reconfigured: {} local port(s)", local_ports_->size());
  return {};
}

std::string stmf_actor::set_target_online(const std::string& name, bool online) {
  if (!started_) return "the daemon is still starting; try again";
  if (!defs_.providers || !defs_.providers->set_online(name, online)) return "there is no target '" + name + "'";
  push_ports();
  log::info("target {}: {} (administrator)", name, online ? "online" : "offline");
  return {};
}

}  // namespace stmfd
