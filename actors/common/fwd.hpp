#pragma once
// Atoms and message types shared by the framework's actors. Every message on
// the data path is (atom, task_ptr): the Cap'n Proto ScsiTask inside the
// context is the payload, read in place; nothing is copied into the message.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>

#include "actors/common/task_context.hpp"
#include "actors/contracts/port_identity.hpp"
#include "actors/model/lu_state.hpp"

namespace stmfd {

// session layer -> task actor, task actor -> LU: execute the task.
using execute_atom = caf::atom_constant<caf::atom("execute")>;
// LU -> task actor, then task actor -> port: the task has its final status
// (or was aborted: task_context::aborted, and the port sends nothing).
using done_atom = caf::atom_constant<caf::atom("done")>;
// session layer -> LU (request): task management; the LU answers once
// every affected task has stopped touching the medium.
using tmf_atom = caf::atom_constant<caf::atom("tmf")>;
// LU -> port (request): (xfer_atom, task_ptr, offset, length): move the
// task's Data-Out bytes [offset, offset + length) from the initiator into
// the task's data buffer at the same offset (the port solicits them: R2T,
// FCP_XFER_RDY). The port answers true once they are there, false when it
// cannot (task aborted, connection gone, bad data); a port that dies
// answers with an error. The port provider contract's "move data" verb.
using xfer_atom = caf::atom_constant<caf::atom("xfer")>;
// port -> STMF (request): register an I_T nexus (nexus_request ->
// nexus_grant); port -> STMF: the nexus ended (logout_atom, nexus id).
// STMF -> LU: (login_atom, nexus_attach) a nexus can reach the LU now;
// (logout_atom, nexus) it is gone: drop its unit attentions.
using login_atom = caf::atom_constant<caf::atom("login")>;
using logout_atom = caf::atom_constant<caf::atom("logout")>;
// STMF -> session: an LU was (re)started and has a new actor.
using lu_update_atom = caf::atom_constant<caf::atom("lu_update")>;
// STMF -> session host: (luns_atom, lun_map) the nexus's new LUN inventory
// after an admin change of the views (nexus_session::set_luns); STMF -> LU:
// (luns_atom, nexus) establish REPORTED LUNS DATA HAS CHANGED for it.
using luns_atom = caf::atom_constant<caf::atom("luns")>;
// session layer -> LU: (luns_seen_atom, nexus) the nexus was sent REPORT
// LUNS data: its REPORTED LUNS DATA HAS CHANGED condition is cleared (SPC-4
// 6.33; the session layer answers REPORT LUNS, so it tells the LUs).
using luns_seen_atom = caf::atom_constant<caf::atom("luns_seen")>;
// STMF -> LU at restart: establish POWER ON RESET unit attention for all nexuses.
using power_on_atom = caf::atom_constant<caf::atom("power_on")>;
// stop everything gracefully (SIGTERM)
using shutdown_atom = caf::atom_constant<caf::atom("shutdown")>;
// periodic timer ticks (NOP-In pings, login timeout)
using tick_atom = caf::atom_constant<caf::atom("tick")>;
using get_atom = caf::atom_constant<caf::atom("get")>;
// (get_atom, io_atom / port_atom) -> the current io or port provider actor (tests, admin)
using io_atom = caf::atom_constant<caf::atom("io")>;
using port_atom = caf::atom_constant<caf::atom("port")>;
using stats_atom = caf::atom_constant<caf::atom("stats")>;
// STMF -> itself, after a back-off delay: bring a failed child up again,
// (retry_atom, lu_atom, index) an LU, (retry_atom, port_atom, index) a
// port provider.
using retry_atom = caf::atom_constant<caf::atom("retry")>;
using lu_atom = caf::atom_constant<caf::atom("lu")>;
// (get_atom, lu_state_atom) -> lu_state_list: every LU's state (the admin
// interface, tests), in definition order.
using lu_state_atom = caf::atom_constant<caf::atom("lu_state")>;

// One LUN of a nexus's view: LUN number -> LU actor (and the LU's name).
struct lun_entry {
  uint16_t lun = 0;
  std::string lu_name;
  caf::actor lu;
};
using lun_map = std::vector<lun_entry>;

// What a port provider tells STMF to register an I_T nexus (SAM-5 4.6.5).
// Registering a nexus with the same remote port name on the same local port
// as a live one ends the old one (iSCSI session reinstatement, RFC 7143
// 6.3.5; an FC PLOGI from a logged-in WWPN).
struct nexus_request {
  remote_port initiator;
  uint16_t relative_port_id = 0;  // the local port (its registered identifier)
  uint32_t cmd_window = 32;       // commands the nexus may have outstanding
};

// STMF's answer: the nexus id, the LUN inventory the views give this I_T
// pair, and the pool of task contexts STMF allocated for it (sized by the
// command window).
struct nexus_grant {
  uint64_t nexus = 0;
  lun_map luns;
  std::shared_ptr<task_pool> tasks;
  std::shared_ptr<const local_port> port;  // the local port's identity (VPD 83h)
};

// STMF -> LU (login_atom, nexus_attach): an I_T nexus that can reach the LU
// now, with the identity its reservations and unit attentions belong to.
struct nexus_attach {
  uint64_t nexus = 0;
  remote_port initiator;
  uint16_t relative_port_id = 0;
};

// A task-management request as passed to an LU (SAM-5 7).
struct tmf_request {
  wire::TaskManagementFunction function = wire::TaskManagementFunction::ABORT_TASK;
  uint64_t nexus = 0;  // the requesting I_T nexus
  uint64_t tag = 0;    // ABORT TASK: the referenced task's transport tag
};

// One LU's state as STMF reports it (actors/model/lu_state.hpp).
struct lu_state_entry {
  std::string name;
  lu_state state = lu_state::offline;
  std::string reason;  // why it is not online; empty when online
};
using lu_state_list = std::vector<lu_state_entry>;

}  // namespace stmfd

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(stmfd::task_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(stmfd::lun_map)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(stmfd::nexus_request)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(stmfd::nexus_grant)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(stmfd::tmf_request)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(stmfd::nexus_attach)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(stmfd::lu_state_list)
