// wire/admin.capnp `listFcPorts`: the FC local ports as FcPortInfo. Names
// go out as 16 hex digits (the "wwn." of the framework's names dropped).
#include <string>

#include "actors/admin/admin_rpc_ops.hpp"

namespace stmfd::admin {
namespace {

std::string hex_of(const std::string& wwn_name) {
  return wwn_name.rfind("wwn.", 0) == 0 ? wwn_name.substr(4) : wwn_name;
}

}  // namespace

void serve_list_fc_ports(admin_service& service, wire::admin::Admin::ListFcPortsResults::Builder results) {
  std::vector<fc_port_listing> ports;
  auto st = service.list_fc_ports(ports);
  auto status = results.initStatus();
  status.setCode(st.code);
  status.setMessage(st.message);
  auto out = results.initPorts(unsigned(ports.size()));
  for (unsigned i = 0; i < ports.size(); ++i) {
    auto& d = ports[i].detail;
    auto o = out[i];
    o.setTarget(d.target_name);
    o.setWwpn(hex_of(d.target_name));
    o.setWwnn(hex_of(d.node_name));
    o.setInterface(d.interface);
    o.setDriver(d.driver);
    o.setState(d.state);
    o.setPortId(d.address);
    o.setRelativePortId(ports[i].relative_port_id);
    auto rs = o.initRemotePorts(unsigned(d.remotes.size()));
    for (unsigned j = 0; j < d.remotes.size(); ++j) {
      auto& r = d.remotes[j];
      rs[j].setWwpn(hex_of(r.port_name));
      rs[j].setWwnn(hex_of(r.node_name));
      rs[j].setPortId(r.address);
      rs[j].setNexus(r.nexus);
    }
  }
}

}  // namespace stmfd::admin
