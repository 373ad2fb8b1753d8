// A local port's live state for the admin plane (the port provider
// contract's port_detail_atom; stmfadm list-fc-port, like COMSTAR's fcinfo
// hba-port and remote-port): its names, HBA, link state and N_Port ID, and
// each remote port logged in with its names, N_Port ID and I_T nexus.
#include <net/if.h>

#include <caf/all.hpp>

#include "plugins/port/fc/lport_actor.hpp"

namespace stmfd::fc {

local_port_detail lport_actor::detail() const {
  local_port_detail d;
  d.target_name = identity_.target_name;
  d.node_name = wwn_name(cfg_.wwnn);
  d.interface = cfg_.interface;
  d.driver = cfg_.driver;
  // The FCoE HBA exists from the start and waits for its interface itself:
  // "absent" asks the kernel whether the interface is there.
  bool present = hba_ != nullptr && (cfg_.driver != "fcoe" || ::if_nametoindex(cfg_.interface.c_str()) != 0);
  if (!present)
    d.state = "absent";
  else if (hba_->link_up())
    d.state = "online";
  else
    d.state = "offline";
  d.address = d.state == "online" ? hba_->port_id() : 0;
  for (auto& [id, r] : rports_)
    d.remotes.push_back(remote_port_detail{wwn_name(r.wwpn), wwn_name(r.wwnn), id, r.nexus});
  return d;
}

void lport_actor::on_rport_nexus(uint64_t nexus) {
  // Only the remote port actor this port holds now counts: a message from
  // one that a new login already replaced finds no entry.
  auto from = current_sender();
  for (auto& [id, r] : rports_)
    if (r.actor.address() == from) r.nexus = nexus;
}

}  // namespace stmfd::fc
