#pragma once
// The framework's session layer for one I_T nexus (SAM-5 4.6.5): LUN
// routing through the nexus's view, the commands the framework answers for
// every port (REPORT LUNS, and INQUIRY / REQUEST SENSE / anything else to a
// LUN with no LU), the task actors that carry commands to LUs, and task
// management fanned out to the LUs involved.
//
// It is framework code hosted by the port provider's actor for the nexus
// (the iSCSI connection, an FC remote port), the way COMSTAR's
// stmf_post_task is a call from the port provider into STMF and not a
// message: a command costs no extra mailbox hop for the session layer. The
// host forwards the messages the layer depends on (see each method).
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <caf/event_based_actor.hpp>

#include "actors/common/fwd.hpp"
#include "actors/common/messages.hpp"
#include "wire/scsi/reply.hpp"

namespace stmfd {

class nexus_session {
 public:
  explicit nexus_session(caf::event_based_actor* host) : host_(host) {}

  // STMF granted the nexus (the reply to login_atom): the inventory, the
  // pool and the local port are taken from the grant (read in place).
  void open(const nexus_grant& g);
  bool is_open() const { return nexus_ != 0; }
  uint64_t id() const { return nexus_; }
  const lun_map& luns() const { return luns_; }

  // A fresh task context from the nexus's pool with the framework's fields
  // set (nexus, relative port); the port fills the transport's fields.
  task_ptr new_task();

  // SAM-5 4.7: the LU a LUN field addresses, or null when the framework
  // answers the command itself (answer()): REPORT LUNS to any LUN, and
  // every command to a LUN with no LU in this nexus's view.
  const lun_entry* route(const uint8_t* lun_field, const uint8_t* cdb) const;

  // Answers such a command into t (status, sense, Data-In bytes; SPC-4
  // 6.33 REPORT LUNS, 6.6.2 peripheral qualifier 011b for INQUIRY, 6.39
  // REQUEST SENSE reporting LOGICAL UNIT NOT SUPPORTED, otherwise CHECK
  // CONDITION 05h/25h/00h). The REPORT LUNS well known LUN (C101h, SPC-4
  // 8.2) answers INQUIRY (device type 1Eh), TEST UNIT READY, REQUEST SENSE
  // and REPORT LUNS, and INVALID COMMAND OPERATION CODE to the rest. The
  // task is complete on return; BUSY when no buffer memory is left.
  void answer(task_context& t, const uint8_t* lun_field);
  void answer_command(const uint8_t* cdb, size_t cdb_len, bool wlun, uint8_t* out, size_t cap, scsi::reply& r);

  // Carries a task to its LU on a task actor (pooled per nexus). The
  // completion arrives at the host as (done_atom, task_ptr): the host calls
  // finished() and then sends the result (nothing when t->aborted).
  void start(task_ptr t, const lun_entry& lu);
  void finished(const task_ptr& t);
  // The host's down handler passes every down_msg here. When it was a task
  // actor that died with a task not yet reported, that task is returned
  // (marked aborted, so the LU stops it): the host answers it with CHECK
  // CONDITION, HARDWARE ERROR / INTERNAL TARGET FAILURE (44h/00h) built
  // from its own bytes, never reading the task's status (the LU may still
  // be writing it). Otherwise null.
  task_ptr on_down(const caf::down_msg& m);
  // (lu_update_atom, lu_event, actor) from STMF: an LU's actor changed.
  void on_lu_update(const lu_event& e, const caf::actor& lu);
  // (luns_atom, lun_map) from STMF: the views changed and this nexus's LUN
  // inventory with them (actors/stmf/stmf_admin.hpp). Commands already on
  // their way keep their LU; new ones route through the new inventory.
  // The nexus's statistics (null when the grant carried none).
  const std::shared_ptr<io_counters>& stats() const { return stats_; }
  void set_luns(const nexus_grant& g) {
    luns_ = lun_map_of(g);
    luns_changed_ = true;
  }

  // SAM-5 7: `req` is the port's TaskManagementRequest (function, nexus,
  // tag, referencedTag; its lun is set here from lun_field before it is
  // sent). The same message goes by handle to the LUs in its scope (the LU
  // the LUN field addresses, or every LU of the view for target and I_T
  // nexus resets), and `done` is called in the host with one
  // TaskManagementResponse once each has answered that every affected task
  // stopped touching the medium (an LU that dies meanwhile counts as
  // answered: its tasks end with it): complete, tasksStopped the sum of
  // the LUs' counts. A LUN with no LU gives noSuchLun and an unknown
  // function notSupported, at once and with nothing sent. The host marks
  // the tasks of its own nexus that are still on their way
  // (task_context::aborted) before calling.
  void task_management(tmf_request req, const uint8_t* lun_field, std::function<void(const tmf_response&)> done);

  // The nexus ends: tell STMF, let the task actors go (tasks still at an LU
  // finish there and their contexts return to the pool).
  void close(const caf::actor& stmf);
  // The same, for a logout the initiator asked for: `detached` runs once STMF
  // confirms every LU of the nexus processed the I_T nexus loss (or could
  // not: STMF gone, no answer within detach_timeout), at once when there is
  // no nexus. The port answers the logout from it (RFC 7143 11.15: after the
  // response the initiator may act as if the session's state is gone).
  void close(const caf::actor& stmf, std::function<void()> detached);

 private:
  void count(const task_context& t);

  caf::event_based_actor* host_;
  uint64_t nexus_ = 0;
  lun_map luns_;
  bool luns_changed_ = false;  // set_luns since the last REPORT LUNS: its LUs hold 3Fh/0Eh
  std::shared_ptr<task_pool> pool_;
  std::shared_ptr<io_counters> stats_;  // from the login grant; written only here
  uint16_t relative_port_id_ = 0;       // the grant's local port (0: none)
  uint16_t target_port_group_ = 0;
  // Task actors of this nexus (monitored by the host), owned here (task
  // contexts only point at them): the task each one carries, or null when
  // idle; idle ones also wait in idle_ for the next command.
  struct worker {
    caf::actor actor;
    task_ptr task;
  };
  std::unordered_map<caf::actor_addr, worker> workers_;
  std::vector<caf::actor> idle_;
};

}  // namespace stmfd
