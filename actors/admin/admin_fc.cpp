// The admin service's Fibre Channel listing (wire/admin.capnp listFcPorts,
// stmfadm list-fc-port; COMSTAR's fcinfo hba-port and remote-port): STMF's
// FC local ports, each with the live details its provider reports.
#include "actors/admin/admin_service.hpp"

namespace stmfd::admin {

status admin_service::list_fc_ports(std::vector<fc_port_listing>& out) {
  out.clear();
  std::string error;
  auto details = stmf_.port_details(error);
  if (!error.empty()) return {error_code::FAILED, error};
  auto ports = stmf_.ports(error);
  if (!error.empty()) return {error_code::FAILED, error};
  for (auto& p : ports) {
    if (p.port.kind != transport::fc) continue;
    fc_port_listing l;
    l.relative_port_id = p.port.relative_port_id;
    l.detail.target_name = p.port.target_name;
    l.detail.state = "unknown";  // the provider did not report it (restarting)
    for (auto& d : details)
      if (d.target_name == p.port.target_name) l.detail = d;
    out.push_back(std::move(l));
  }
  return {};
}

}  // namespace stmfd::admin
