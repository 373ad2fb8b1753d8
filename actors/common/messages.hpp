#pragma once
// Conversions between the framework's in-process message structs
// (actors/common/fwd.hpp, actors/contracts/port_identity.hpp) and their
// Cap'n Proto forms in wire/ (nexus.capnp, tmf.capnp), for messages that
// leave the process. In one process the structs travel by handle and none
// of this runs.
//
// What cannot cross is dropped on the way out and absent on the way in:
// a grant's LU actor handles and task pool (a remote grant names LUs by
// name; the LU side keeps the pool). Readers take values from a checked
// frame (wire/stream/frame.hpp): they never throw; an enum value this side
// does not know makes them return nullopt.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "actors/common/fwd.hpp"
#include "wire/nexus.capnp.h"
#include "wire/tmf.capnp.h"

namespace stmfd {

void to_wire(const remote_port& from, wire::RemotePort::Builder to);
std::optional<remote_port> from_wire(wire::RemotePort::Reader from);

void to_wire(const local_port& from, wire::LocalPort::Builder to);
std::optional<local_port> from_wire(wire::LocalPort::Reader from);

void to_wire(const nexus_request& from, wire::NexusRequest::Builder to);
std::optional<nexus_request> from_wire(wire::NexusRequest::Reader from);

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

void to_wire(const nexus_grant& from, wire::NexusGrant::Builder to);
std::optional<remote_grant> from_wire(wire::NexusGrant::Reader from);

// The request as an LU takes it; `lun` and `own_tag` are the transport's
// (the LUN it addresses, the request's own tag), which tmf_request does
// not carry (the session layer routes by LUN; the port answers by tag).
void to_wire(const tmf_request& from, uint64_t lun, uint32_t own_tag, wire::TaskManagementRequest::Builder to);
std::optional<tmf_request> from_wire(wire::TaskManagementRequest::Reader from);

}  // namespace stmfd
