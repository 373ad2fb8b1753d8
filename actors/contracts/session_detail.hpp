#pragma once
// Session details and forced logout (port provider contract, additive to
// version 3; issue 6 "Sessions and connections: list with negotiated
// parameters; force logout"). Both messages go from STMF to the actor that
// registered a nexus (the one that sent login_atom: the iSCSI connection,
// the FC remote port), never from the admin thread: the provider's state is
// read and changed only by its own actors.
//
//   (get_atom, session_detail_atom) -> session_detail
//       What the transport negotiated for this nexus, now. Optional: STMF
//       asks every nexus actor and lists one that does not answer within
//       2 s (or answers an error) with the framework's own facts only.
//   (session_logout_atom) -> void
//       An administrator ends this nexus (stmfadm logout-session). The
//       provider ends it the way its transport asks a peer to go: iSCSI
//       sends an Asynchronous Message "target requests logout" (RFC 7143
//       11.9.1, AsyncEvent 1, Parameter3 the seconds the initiator has)
//       and drops the connection when the initiator has not logged out by
//       then; FC sends LOGO to the remote port (FC-LS-3 4.3.7: an implicit
//       logout of its image pair). Either way the nexus ends as it does
//       when the initiator leaves: the actor deregisters it (logout_atom)
//       and the framework's teardown runs (tasks aborted, reservations'
//       rules for a lost nexus, the LUs told).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>

namespace stmfd {

using session_detail_atom = caf::atom_constant<caf::atom("sess_dtl")>;
using session_logout_atom = caf::atom_constant<caf::atom("sess_out")>;

// One transport connection of a nexus (iSCSI: a TCP connection; FC: none,
// the remote port's addresses are given in session_detail::session_id).
// Every field is set by the provider.
struct connection_detail {
  uint16_t cid = 0;    // iSCSI CID (RFC 7143 11.12.7)
  std::string local;   // "address:port" this side
  std::string remote;  // "address:port" of the initiator
};

// What the provider reports of one nexus. Every field is set by the
// provider; empty / 0 when its transport has no such thing.
struct session_detail {
  // The transport's session identity: iSCSI "isid=<12 hex>,tsih=<n>";
  // FC "port_id=<6 hex>,wwnn=<16 hex>".
  std::string session_id;
  uint16_t tpgt = 0;  // iSCSI: the target portal group tag of the login
  std::vector<connection_detail> connections;
  // The negotiated parameters as key/value text: iSCSI the operational
  // keys of RFC 7143 13 (HeaderDigest, DataDigest, MaxRecvDataSegmentLength
  // each way, MaxBurstLength, FirstBurstLength, ImmediateData, InitialR2T,
  // MaxOutstandingR2T, ErrorRecoveryLevel, ...); FC the PRLI service
  // parameters it accepted.
  std::vector<std::pair<std::string, std::string>> parameters;
  uint64_t login_time_ns = 0;  // CLOCK_REALTIME when the nexus was established
};

}  // namespace stmfd

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(stmfd::session_detail)
