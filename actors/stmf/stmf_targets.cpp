// STMF's side of itadm's live changes (stmf_admin.hpp: ports_atom with a
// config_snapshot, target_online_atom): the provider registry rebuilds the
// local ports, STMF refreshes its list of them, and each provider's running
// actor is told (actors/contracts/port_provider.hpp "Live changes"); every
// LU gets its ALUA view again, with a group whose ports are all offline
// reported offline through the other ports (actors/model/alua.hpp).
#include <caf/all.hpp>

#include "actors/common/log.hpp"
#include "actors/stmf/stmf_actor.hpp"

namespace stmfd {

void stmf_actor::push_ports() {
  local_ports_ = std::make_shared<const std::vector<local_port>>(defs_.providers->local_ports());
  for (auto& slot : ports_)
    if (slot.provider->update) slot.provider->update(*this, slot.actor, slot.provider->ports);
  push_alua_all();  // a group whose ports all went down is offline (apply_port_states), and back
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
