// stmfadm list-fc-port: the daemon's Fibre Channel local ports, as COMSTAR's
// fcinfo hba-port prints them (and, with -v, fcinfo remote-port: the
// initiators logged in to each, with the I_T nexus their FCP image pair
// is). --json prints the listFcPorts answer (wire/admin.capnp FcPortInfo).
#include <cstdio>
#include <memory>

#include "actors/stmfadm/print.hpp"
#include "actors/stmfadm/verbs.hpp"

namespace stmfd::stmfadm {

runner list_fc_port(CLI::App& app, std::shared_ptr<context> c) {
  app.add_flag("-v,--verbose", c->verbose, "the remote ports logged in to each port");
  return [c](connection& conn) {
    auto resp = conn.admin().listFcPortsRequest().send().wait(conn.wait_scope());
    if (c->json) return print_json(resp), report(c->program, resp.getStatus());
    if (!ok(resp.getStatus())) return report(c->program, resp.getStatus());  // no listing on an error
    for (auto p : resp.getPorts()) {
      std::printf("HBA Port WWN: %s\n", p.getWwpn().cStr());
      std::printf("        Node WWN: %s\n", p.getWwnn().cStr());
      std::printf("        Interface: %s (%s)\n", p.getInterface().cStr(), p.getDriver().cStr());
      std::printf("        State: %s\n", p.getState().cStr());
      std::printf("        Port ID: %06x\n", p.getPortId());
      std::printf("        Relative Port ID: %u\n", p.getRelativePortId());
      std::printf("        Remote Ports: %u\n", p.getRemotePorts().size());
      if (!c->verbose) continue;
      for (auto r : p.getRemotePorts()) {
        std::printf("        Remote Port WWN: %s\n", r.getWwpn().cStr());
        std::printf("                Node WWN: %s\n", r.getWwnn().cStr());
        std::printf("                Port ID: %06x\n", r.getPortId());
        if (r.getNexus())
          std::printf("                Nexus: %llu\n", static_cast<unsigned long long>(r.getNexus()));
        else
          std::printf("                Nexus: - (no FCP process login)\n");
      }
    }
    return report(c->program, resp.getStatus());
  };
}

}  // namespace stmfd::stmfadm
