#pragma once
// Messages private to the iSCSI port provider: between its port actor and
// its connection actors, and the connection's state for tests.
#include <cstdint>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>

namespace stmfd::iscsi {

// connection -> port actor: this connection reached the full feature phase
// (it no longer counts against limits.maxLoggingIn).
using logged_in_atom = caf::atom_constant<caf::atom("loggedin")>;
// connection -> port actor: (cold_reset_atom, target name) this connection
// answered a TARGET COLD RESET; port actor -> every connection: the same,
// and each full-feature connection to that target closes. RFC 7143 11.5.1:
// after a cold reset the target closes all of its TCP connections to all
// initiators (every session of the target ends).
using cold_reset_atom = caf::atom_constant<caf::atom("coldreset")>;
// STMF (through the provider's update) -> port actor: (reconfigure_atom,
// shared_ptr<const port_context>, shared_ptr<const vector<local_port>>)
// the context and ports new connections get (actors/contracts/
// port_provider.hpp "Live changes"). Port actor -> connection:
// (reconfigure_atom, target name) the target is gone or offline: a
// full-feature session to it is asked to log out (RFC 7143 11.9.1,
// AsyncEvent 1) and dropped when it has not within logout_grace_s.
using reconfigure_atom = caf::atom_constant<caf::atom("reconfig")>;
constexpr uint32_t logout_grace_s = 3;
// to self: try again what waits for buffer memory (connection), or accept
// again after a resource error (port actor, with the listener's index).
using retry_atom = caf::atom_constant<caf::atom("retry")>;

// (get_atom, stats_atom) -> connection_stats: a connection's resource state,
// for tests and diagnostics.
struct connection_stats {
  uint64_t rx_capacity = 0;      // bytes of receive buffer held now
  uint64_t tx_backlog = 0;       // bytes queued and not yet sent
  uint64_t session_buffers = 0;  // data-buffer bytes this session's commands hold
  uint32_t tasks = 0;            // commands in progress (immediate ones included)
  uint32_t waiting_memory = 0;   // commands waiting for a buffer (R2T or dispatch held)
  uint32_t exp_cmd_sn = 0, max_cmd_sn = 0;
  bool receiving = false;  // a receive is posted
  bool full_feature = false;
};

}  // namespace stmfd::iscsi

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(stmfd::iscsi::connection_stats)
