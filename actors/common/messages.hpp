#pragma once
// Builders and readers of the framework's messages (actors/common/fwd.hpp,
// wire/*.capnp): every one is built here, in a pooled slot, by whoever sends
// it, and read in place by its receiver. The conversions to and from the
// plain C++ identities (remote_port, local_port in
// actors/contracts/port_identity.hpp) are the only copies, and they happen
// where a receiver keeps a message's content as state (STMF's session list,
// an LU's nexus identities, the session layer's LUN inventory).
//
// Readers never throw: a message read here was built in this process or
// checked against its schema when it arrived (wire/stream/frame.hpp). An
// enum value this side does not know (a newer peer) makes them return
// nullopt.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "actors/common/fwd.hpp"

namespace stmfd {

void to_wire(const remote_port& from, wire::RemotePort::Builder to);
std::optional<remote_port> from_wire(wire::RemotePort::Reader from);

void to_wire(const local_port& from, wire::LocalPort::Builder to);
std::optional<local_port> from_wire(wire::LocalPort::Reader from);

// --- nexus registration (nexus.capnp) ---

nexus_request make_nexus_request(const remote_port& initiator, uint16_t relative_port_id, uint32_t command_window);

// STMF's grant: luns[i].lu goes beside the message as grant.lus[i]; `port`
// may be null (the request named no port STMF knows).
nexus_grant make_grant(uint64_t nexus, const lun_map& luns, std::shared_ptr<task_pool> tasks, const local_port* port);
// The session layer's inventory from a grant (numbers beyond the
// single-level range, which STMF never grants, are left out).
lun_map lun_map_of(const nexus_grant& g);

// A grant as a process without the LU actors sees it.
struct remote_grant {
  struct lun {
    uint64_t number = 0;
    std::string lu_name;
  };
  uint64_t nexus = 0;
  std::vector<lun> luns;
  std::optional<local_port> port;  // absent when the request named no port STMF knows
};
std::optional<remote_grant> from_wire(wire::NexusGrant::Reader from);

nexus_attach_msg make_attach(const nexus_attach& a);
std::optional<nexus_attach> from_wire(wire::NexusAttach::Reader from);
nexus_detach make_detach(uint64_t nexus);

// --- task management (tmf.capnp) ---

// referenced_tag: abortTask's task; 0 for the other functions.
tmf_request make_tmf_request(wire::TaskManagementFunction fn, uint64_t nexus, uint64_t lun, uint32_t tag,
                             uint32_t referenced_tag);
tmf_response make_tmf_response(uint32_t tag, wire::TaskManagementResult result, uint32_t tasks_stopped);
// The functions this side knows (wire/task.capnp); a newer peer's other
// values are answered notSupported.
bool known_function(wire::TaskManagementFunction fn);
// Functions whose scope is every LU of the nexus (the LUN is ignored).
bool whole_target(wire::TaskManagementFunction fn);

// --- LU state (lu_event.capnp) ---

wire::LuState to_wire(lu_state s);
std::optional<lu_state> from_wire(wire::LuState s);
// An LU's actor changed: power_on when it (re)started and established
// POWER ON 29h/00h for every nexus.
lu_event make_lu_event(const std::string& lu_name, lu_state state, const std::string& reason, bool power_on);

}  // namespace stmfd
