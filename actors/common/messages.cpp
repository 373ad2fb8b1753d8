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

nexus_request make_nexus_request(const remote_port& initiator, uint16_t relative_port_id, uint32_t command_window) {
  auto m = nexus_request::make();
  auto b = m.edit();
  to_wire(initiator, b.initInitiator());
  b.setRelativePortId(relative_port_id);
  b.setCommandWindow(command_window);
  return m;
}

nexus_grant make_grant(uint64_t nexus, const lun_map& luns, std::shared_ptr<task_pool> tasks, const local_port* port) {
  nexus_grant g;
  g.msg = decltype(g.msg)::make();
  auto b = g.msg.edit();
  b.setNexus(nexus);
  auto list = b.initLuns(unsigned(luns.size()));
  g.lus.reserve(luns.size());
  for (unsigned i = 0; i < list.size(); ++i) {
    list[i].setLun(luns[i].lun);
    list[i].setLuName(text(luns[i].lu_name));
    list[i].setLuState(to_wire(luns[i].state));
    g.lus.push_back(luns[i].lu);
  }
  if (port) to_wire(*port, b.initPort());
  g.tasks = std::move(tasks);
  return g;
}

lun_map lun_map_of(const nexus_grant& g) {
  lun_map out;
  if (!g.msg) return out;
  auto luns = g.msg.get().getLuns();
  out.reserve(luns.size());
  for (unsigned i = 0; i < luns.size(); ++i) {
    if (luns[i].getLun() > 0xFFFF) continue;
    // A state this side does not know (a newer peer) counts as offline:
    // waiting is not known to help.
    out.push_back({uint16_t(luns[i].getLun()), luns[i].getLuName(), i < g.lus.size() ? g.lus[i] : caf::actor{},
                   from_wire(luns[i].getLuState()).value_or(lu_state::offline)});
  }
  return out;
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

nexus_attach_msg make_attach(const nexus_attach& a) {
  auto m = nexus_attach_msg::make();
  auto b = m.edit();
  b.setNexus(a.nexus);
  to_wire(a.initiator, b.initInitiator());
  b.setRelativePortId(a.relative_port_id);
  return m;
}

std::optional<nexus_attach> from_wire(wire::NexusAttach::Reader from) {
  auto initiator = from_wire(from.getInitiator());
  if (!initiator) return std::nullopt;
  return nexus_attach{from.getNexus(), std::move(*initiator), from.getRelativePortId()};
}

nexus_detach make_detach(uint64_t nexus) {
  auto m = nexus_detach::make();
  m.edit().setNexus(nexus);
  return m;
}

tmf_request make_tmf_request(wire::TaskManagementFunction fn, uint64_t nexus, uint64_t lun, uint32_t tag,
                             uint32_t referenced_tag) {
  auto m = tmf_request::make();
  auto b = m.edit();
  b.setFunction(fn);
  b.setNexus(nexus);
  b.setLun(lun);
  b.setTag(tag);
  b.setReferencedTag(fn == wire::TaskManagementFunction::ABORT_TASK ? referenced_tag : 0);
  return m;
}

tmf_response make_tmf_response(uint32_t tag, wire::TaskManagementResult result, uint32_t tasks_stopped) {
  auto m = tmf_response::make();
  auto b = m.edit();
  b.setTag(tag);
  b.setResult(result);
  b.setTasksStopped(tasks_stopped);
  return m;
}

bool known_function(wire::TaskManagementFunction fn) {
  using f = wire::TaskManagementFunction;
  switch (fn) {
    case f::ABORT_TASK:
    case f::ABORT_TASK_SET:
    case f::CLEAR_TASK_SET:
    case f::LOGICAL_UNIT_RESET:
    case f::TARGET_WARM_RESET:
    case f::TARGET_COLD_RESET:
    case f::IT_NEXUS_RESET: return true;
  }
  return false;
}

bool whole_target(wire::TaskManagementFunction fn) {
  using f = wire::TaskManagementFunction;
  return fn == f::TARGET_WARM_RESET || fn == f::TARGET_COLD_RESET || fn == f::IT_NEXUS_RESET;
}

wire::LuState to_wire(lu_state s) {
  switch (s) {
    case lu_state::online: return wire::LuState::ONLINE;
    case lu_state::restarting: return wire::LuState::RESTARTING;
    case lu_state::failed: return wire::LuState::FAILED;
    case lu_state::offline: break;
  }
  return wire::LuState::OFFLINE;
}

std::optional<lu_state> from_wire(wire::LuState s) {
  switch (s) {
    case wire::LuState::ONLINE: return lu_state::online;
    case wire::LuState::RESTARTING: return lu_state::restarting;
    case wire::LuState::FAILED: return lu_state::failed;
    case wire::LuState::OFFLINE: return lu_state::offline;
  }
  return std::nullopt;
}

lu_event make_lu_event(const std::string& lu_name, lu_state state, const std::string& reason, bool power_on) {
  auto m = lu_event::make();
  auto b = m.edit();
  b.setLuName(text(lu_name));
  b.setState(to_wire(state));
  b.setReason(text(reason));
  b.setPowerOn(power_on);
  return m;
}

}  // namespace stmfd
