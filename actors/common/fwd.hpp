#pragma once
// Atoms and message types shared by the framework's actors. Every message
// between them is a Cap'n Proto struct of wire/ read in place (docs/messages.md):
//  - on the data path (atom, task_ptr): the ScsiTask in the context's scratch
//    segment, and the task's DataTransferRequest / DataTransferCompletion in
//    its transfer slot (task_context.hpp); nothing is copied into the message;
//  - every other kind is a wire::message_ref<T> (wire/stream/message_ref.hpp):
//    a handle to a pooled slot holding the struct. What cannot be Cap'n Proto
//    (actor handles, the task-context pool) travels beside it in the same
//    actor message, as each atom below says.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>

#include "actors/common/io_counters.hpp"
#include "actors/common/task_context.hpp"
#include "actors/contracts/port_identity.hpp"
#include "actors/model/lu_state.hpp"
#include "wire/copy.capnp.h"
#include "wire/lu_event.capnp.h"
#include "wire/nexus.capnp.h"
#include "wire/stream/message_ref.hpp"
#include "wire/tmf.capnp.h"

namespace stmfd {

// session layer -> task actor, task actor -> LU: execute the task.
using execute_atom = caf::atom_constant<caf::atom("execute")>;
// LU -> task actor, then task actor -> port: the task has its final status
// (or was aborted: task_context::aborted, and the port sends nothing).
using done_atom = caf::atom_constant<caf::atom("done")>;
// session layer -> LU (request): (tmf_atom, tmf_request) task management
// (the same message to every LU in scope); the LU answers a tmf_response
// (tasksStopped: the requester's tasks it stopped) once every affected task
// has stopped touching the medium.
using tmf_atom = caf::atom_constant<caf::atom("tmf")>;
// LU -> port (request): (xfer_atom, task_ptr): the task's transfer slot
// holds a DataTransferRequest (wire/transfer.capnp; read it with
// transfer_request(*t)): move the Data-Out bytes [bufferOffset, bufferOffset
// + length) from the initiator into the task's data buffer at the same
// offset (the port solicits them: R2T, FCP_XFER_RDY). When the buffer is
// smaller than bufferOffset + length the port replaces it with one that
// holds it, keeping the bytes before bufferOffset (task_context::grow_data):
// the port takes it as it solicits the data, under its own limits (per
// session, the daemon-wide cap), so a task the task set holds has no buffer
// for data not yet asked for. The port answers (xfer_atom, task_ptr) with a
// DataTransferCompletion built in the same slot (complete_transfer(*t,
// ...)): ok once the bytes are there, aborted or transportFailed when it
// cannot (task aborted, connection gone, bad data, no progress within its
// Data-Out time limit); a port that dies answers with an error. The port
// provider contract's "move data" verb.
using xfer_atom = caf::atom_constant<caf::atom("xfer")>;
// port -> STMF (request): register an I_T nexus ((login_atom,
// nexus_request) -> nexus_grant); port -> STMF: the nexus ended
// (logout_atom, nexus_detach). STMF -> LU: (login_atom, nexus_attach_msg) a
// nexus can reach the LU now; (logout_atom, nexus_detach) it is gone: drop
// its unit attentions. The request form (logout_atom, nexus_detach,
// done_atom) -> done_atom, port -> STMF and STMF -> LU, answers once every LU
// of the nexus has processed the I_T nexus loss (SAM-5 6.3.4: its RESERVE(6)
// released, its unit attentions and held copy results dropped), so a port
// can hold its logout response until no later command meets what the nexus
// held.
using login_atom = caf::atom_constant<caf::atom("login")>;
using logout_atom = caf::atom_constant<caf::atom("logout")>;
// STMF -> session: (lu_update_atom, lu_event, caf::actor) an LU's actor
// changed: the LuStateEvent (name, state, POWER ON when it restarted) and,
// beside it, the actor now serving it (null while it does not serve).
using lu_update_atom = caf::atom_constant<caf::atom("lu_update")>;
// STMF -> session host: (luns_atom, nexus_grant) the nexus's new LUN inventory
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
// interface, tests), in definition order (a LuStateList).
using lu_state_atom = caf::atom_constant<caf::atom("lu_state")>;
// ALUA (actors/model/alua.hpp): STMF -> LU (alua_atom, lu_access) the LU's
// access state in every target port group (an implicit transition: 2Ah/06h
// to every nexus when a state changed); LU -> STMF (alua_atom, lu name,
// group, state as uint8_t) a SET TARGET PORT GROUPS took effect; admin ->
// STMF (get_atom, alua_atom) and (alua_atom, tpg_change): stmf_admin.hpp.
using alua_atom = caf::atom_constant<caf::atom("alua")>;
// Issue 7: STMF -> LU (lu_ports_atom, port_list) the registered local ports
// changed (a live reconfig added, removed or regrouped one; a port's state
// changed): the LU reports them from then on (VPD 83h, REPORT TARGET PORT
// GROUPS, reservations' target ports) without a restart. Sent before the
// LU's new ALUA view.
using lu_ports_atom = caf::atom_constant<caf::atom("lu_ports")>;
using port_list = std::shared_ptr<const std::vector<local_port>>;

// Third-party copy (wire/copy.capnp, docs/framework.md "Third-party copy"):
// LU shell -> STMF (request) (copy_atom, copy_request, task_ptr) -> a
// copy_result with done = true, answered by the copy-manager actor STMF
// spawned for the operation; copy manager -> LU shell (copy_atom,
// copy_result) with done = false: progress.
using copy_atom = caf::atom_constant<caf::atom("copy")>;

// Issue 8, a library's drive operations (lu_outcome::drive_op):
// changer LU -> STMF (request): (drive_op_atom, std::string drive LU name,
// uint8_t op, std::string path, std::string barcode, uint64_t capacity) ->
// int32_t; STMF forwards it to the drive LU (request): (drive_op_atom,
// uint8_t op, path, barcode, capacity) -> int32_t, 0 or -errno (-ENODEV:
// the drive LU is not online). op: drive_op_load or drive_op_unload. (A
// restarting changer no longer empties its drives: it asks them what they
// hold, stmf_library.cpp spawn_changer.)
using drive_op_atom = caf::atom_constant<caf::atom("drive_op")>;
constexpr uint8_t drive_op_load = 0, drive_op_unload = 1;

// Issue 8 admin verbs (lu_provider.hpp library_change; stmf_admin.hpp):
// STMF -> changer LU (request) (library_atom, library_change) ->
// library_change_result and (get_atom, library_atom) ->
// std::vector<library_element> (their CAF declarations: stmf_admin.hpp);
// STMF -> a drive LU (request) (get_atom,
// medium_atom) -> medium_state.
using library_atom = caf::atom_constant<caf::atom("library")>;
using medium_atom = caf::atom_constant<caf::atom("medium")>;
// A tape drive LU's medium as the admin plane sees it (set by its shell).
struct medium_state {
  bool loaded = false;     // a medium file is open
  bool prevented = false;  // an initiator's PREVENT ALLOW MEDIUM REMOVAL holds it
  bool busy = false;       // commands are using it now
  // The medium file the drive holds: loaded, or unloaded by an initiator
  // (LOAD UNLOAD) but not yet taken out by its changer; empty: none. A
  // restarting changer builds its drive elements from it.
  std::string path;
};

// The framework's messages that are not part of a task (wire/*.capnp).
using nexus_request = wire::message_ref<wire::NexusRequest>;           // port -> STMF
using nexus_attach_msg = wire::message_ref<wire::NexusAttach>;         // STMF -> LU
using nexus_detach = wire::message_ref<wire::NexusDetach>;             // port -> STMF, STMF -> LU
using tmf_request = wire::message_ref<wire::TaskManagementRequest>;    // session layer -> LU
using tmf_response = wire::message_ref<wire::TaskManagementResponse>;  // LU -> session layer
using lu_event = wire::message_ref<wire::LuStateEvent>;                // STMF -> session
using lu_state_list = wire::message_ref<wire::LuStateList>;            // STMF -> asker
using copy_request = wire::message_ref<wire::CopyRequest>;             // LU -> STMF -> copy manager
using copy_result = wire::message_ref<wire::CopyResult>;               // copy manager -> LU

// STMF's answer to a nexus_request: the NexusGrant (nexus id, LUN
// inventory, local port), and beside it what cannot be Cap'n Proto.
struct nexus_grant {
  wire::message_ref<wire::NexusGrant> msg;
  // lus[i] serves msg.get().getLuns()[i] (null while that LU does not serve).
  std::vector<caf::actor> lus;
  // The nexus's task contexts, sized by STMF from the command window.
  std::shared_ptr<task_pool> tasks;
  // The nexus's statistics block (actors/common/io_counters.hpp), set by
  // STMF in the reply to login_atom and written only by the session layer;
  // null in a grant that carries only a new inventory (luns_atom), and in
  // grants made without STMF (tests): then nothing is counted.
  std::shared_ptr<io_counters> stats;
};

// One LUN of a nexus's inventory as the session layer keeps it (state built
// from the grant, not a message): LUN number -> LU actor (and the LU's name).
struct lun_entry {
  uint16_t lun = 0;
  std::string lu_name;
  caf::actor lu;
  // The LU's state as STMF last reported it to this nexus: in the grant
  // (LunAssignment.luState, at login and after a change of the views), then
  // in every lu_update. With a null `lu` it decides what the LU's commands
  // get: restarting (STMF brings it back by itself: the restart waits for
  // its io ring or, for a changer, its drives' answers) NOT READY 04h/01h,
  // which the initiator retries; failed or offline (an administrator must
  // act) 04h/03h (nexus_session::start, task_context::lu_becoming_ready).
  lu_state state = lu_state::online;
};
using lun_map = std::vector<lun_entry>;

// An I_T nexus as an LU keeps it (state built from a NexusAttach): the
// identity its reservations and unit attentions belong to.
struct nexus_attach {
  uint64_t nexus = 0;
  remote_port initiator;
  uint16_t relative_port_id = 0;
};

}  // namespace stmfd

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(stmfd::task_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(stmfd::port_list)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(stmfd::medium_state)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(stmfd::nexus_request)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(stmfd::nexus_grant)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(stmfd::nexus_attach_msg)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(stmfd::nexus_detach)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(stmfd::tmf_request)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(stmfd::tmf_response)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(stmfd::lu_event)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(stmfd::lu_state_list)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(stmfd::copy_request)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(stmfd::copy_result)
