#include "actors/common/messages.hpp"

namespace stmfd {

namespace {

wire::Transport to_wire(transport t) { return t == transport::fc ? wire::Transport::FC : wire::Transport::ISCSI; }

std::optional<transport> from_wire(wire::Transport t) {
  switch (t) {
    case wire::Transport::ISCSI: return transport::iscsi;
    case wire::Transport::FC: return transport::fc;
  }
  return std::nullopt;  // a transport a newer peer knows
}

capnp::Text::Reader text(const std::string& s) { return capnp::Text::Reader(s.c_str(), s.size()); }

}  // namespace

void to_wire(const remote_port& from, wire::RemotePort::Builder to) {
  to.setTransport(to_wire(from.kind));
  to.setInitiatorName(text(from.initiator_name));
  to.setPortName(text(from.port_name));
}

std::optional<remote_port> from_wire(wire::RemotePort::Reader from) {
  auto kind = from_wire(from.getTransport());
  if (!kind) return std::nullopt;
  return remote_port{*kind, from.getInitiatorName(), from.getPortName()};
}

void to_wire(const local_port& from, wire::LocalPort::Builder to) {
  to.setTransport(to_wire(from.kind));
  to.setTargetName(text(from.target_name));
  to.setRelativePortId(from.relative_port_id);
  to.setTargetPortGroup(from.target_port_group);
  to.setDesignators(capnp::Data::Reader(from.designators.data(), from.designators.size()));
}

std::optional<local_port> from_wire(wire::LocalPort::Reader from) {
  auto kind = from_wire(from.getTransport());
  if (!kind) return std::nullopt;
  auto d = from.getDesignators();
  return local_port{*kind, from.getTargetName(), from.getRelativePortId(), from.getTargetPortGroup(),
                    std::vector<uint8_t>(d.begin(), d.end())};
}

void to_wire(const nexus_request& from, wire::NexusRequest::Builder to) {
  to_wire(from.initiator, to.initInitiator());
  to.setRelativePortId(from.relative_port_id);
  to.setCommandWindow(from.cmd_window);
}

std::optional<nexus_request> from_wire(wire::NexusRequest::Reader from) {
  auto initiator = from_wire(from.getInitiator());
  if (!initiator) return std::nullopt;
  return nexus_request{std::move(*initiator), from.getRelativePortId(), from.getCommandWindow()};
}

void to_wire(const nexus_grant& from, wire::NexusGrant::Builder to) {
  to.setNexus(from.nexus);
  auto luns = to.initLuns(unsigned(from.luns.size()));
  for (unsigned i = 0; i < luns.size(); ++i) {
    luns[i].setLun(from.luns[i].lun);
    luns[i].setLuName(text(from.luns[i].lu_name));
  }
  if (from.port) to_wire(*from.port, to.initPort());
}

std::optional<remote_grant> from_wire(wire::NexusGrant::Reader from) {
  remote_grant g;
  g.nexus = from.getNexus();
  for (auto l : from.getLuns()) g.luns.push_back({l.getLun(), l.getLuName()});
  if (from.hasPort()) {
    auto port = from_wire(from.getPort());
    if (!port) return std::nullopt;
    g.port = std::move(*port);
  }
  return g;
}

void to_wire(const tmf_request& from, uint64_t lun, uint32_t own_tag, wire::TaskManagementRequest::Builder to) {
  to.setFunction(from.function);
  to.setNexus(from.nexus);
  to.setLun(lun);
  to.setTag(own_tag);
  to.setReferencedTag(uint32_t(from.tag));
}

std::optional<tmf_request> from_wire(wire::TaskManagementRequest::Reader from) {
  using fn = wire::TaskManagementFunction;
  switch (from.getFunction()) {
    case fn::ABORT_TASK:
    case fn::ABORT_TASK_SET:
    case fn::CLEAR_TASK_SET:
    case fn::LOGICAL_UNIT_RESET:
    case fn::TARGET_WARM_RESET:
    case fn::TARGET_COLD_RESET:
    case fn::IT_NEXUS_RESET: return tmf_request{from.getFunction(), from.getNexus(), from.getReferencedTag()};
  }
  return std::nullopt;  // a function a newer peer knows: answered notSupported
}

}  // namespace stmfd
