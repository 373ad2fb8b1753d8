#pragma once
// Atoms and message types shared by the framework's actors. Every message on
// the data path is (atom, task_ptr): the Cap'n Proto ScsiTask inside the
// context is the payload, read in place; nothing is copied into the message.
#include <cstdint>
#include <string>
#include <memory>
#include <vector>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>
#include <caf/actor.hpp>

#include "actors/common/task_context.hpp"

namespace stmfd {

// port -> task actor: start (carried at spawn); task -> LU: execute.
using execute_atom = caf::atom_constant<caf::atom("execute")>;
// LU -> task actor, then task actor -> port: the task has its final status.
using done_atom = caf::atom_constant<caf::atom("done")>;
// port -> LU: task management (function code, nexus, tag).
using tmf_atom = caf::atom_constant<caf::atom("tmf")>;
// session -> STMF: register a logged-in session; STMF -> session: LUN map.
using login_atom = caf::atom_constant<caf::atom("login")>;
using logout_atom = caf::atom_constant<caf::atom("logout")>;
// STMF -> session: an LU was (re)started and has a new actor.
using lu_update_atom = caf::atom_constant<caf::atom("lu_update")>;
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

// One LUN of a session's view: LUN number -> LU actor (and the LU's name).
struct lun_entry {
  uint64_t lun = 0;
  std::string lu_name;
  caf::actor lu;
};
using lun_map = std::vector<lun_entry>;

// What a session tells STMF at login (RFC 7143 session identity: initiator
// name + ISID, plus the target it logged in to).
struct session_identity {
  std::string initiator_name;
  std::string target_name;
  uint64_t isid = 0;  // 48-bit ISID
  uint32_t cmd_window = 32;  // commands the session may have outstanding
};

// STMF's answer to login: the session's nexus id, TSIH, view, and the pool
// of task contexts STMF allocated for it (sized by the command window; it
// grows past that only if the initiator overruns the window).
struct session_grant {
  uint64_t nexus = 0;
  uint16_t tsih = 0;
  lun_map luns;
  std::shared_ptr<task_pool> tasks;
};

// A task-management request as passed to an LU (SAM-5 7).
struct tmf_request {
  uint8_t function = 0;  // iscsi::tmf codes are SAM's order; see wire/task.capnp
  uint64_t nexus = 0;
  uint32_t tag = 0;       // ABORT TASK: the referenced task tag
};

}  // namespace stmfd

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(stmfd::task_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(stmfd::lun_map)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(stmfd::session_identity)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(stmfd::session_grant)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(stmfd::tmf_request)
