// Task management in the LU shell (SAM-5 7; LU provider contract,
// actors/contracts/lu_provider.hpp): the functions the session layer fans
// out to each LU in scope (tmf_atom). Contract:
//  - a function's scope picks tasks by nexus and tag: ABORT TASK one task of
//    the requester, ABORT TASK SET and I_T NEXUS RESET the requester's
//    tasks, CLEAR TASK SET and the resets (LU, target warm / cold) every
//    nexus's tasks;
//  - tasks in scope that never started (held in the task set, or parked
//    behind a held medium load) leave at once, reported aborted (the port
//    sends nothing for them: TAS=0);
//  - running tasks are marked aborted and stop before their next medium
//    step (start_step), a Data-Out fetch when the port answers (on_data_out),
//    an EXTENDED COPY before its next command; the answer is delivered only
//    once every one of them stopped touching the medium (tmf_wait). A long
//    operation (SANITIZE, FORMAT UNIT) goes on (SBC-4 4.11.2): only its task
//    ends, reporting nothing;
//  - the side effects follow SAM-5 6.3 and SPC-4: resets release SPC-2
//    reservations (never persistent ones) and reset the core; I_T NEXUS
//    RESET is a nexus loss for that nexus; unit attentions as on_tmf says;
//  - the answer is FUNCTION COMPLETE with the count of the requester's own
//    tasks the function stopped (TaskManagementResponse.tasksStopped), or
//    NOT SUPPORTED, with nothing done, for a function this side does not know.
// The shell's task entry, step runner and completions are in lu_actor.cpp.
#include <caf/all.hpp>

#include "actors/common/log.hpp"
#include "actors/common/messages.hpp"
#include "actors/lu/lu_actor.hpp"
#include "wire/scsi/sense.hpp"

namespace stmfd {

namespace {
using tmf = wire::TaskManagementFunction;
}  // namespace

std::vector<uint64_t> lu_actor::abort_held(const std::function<bool(uint64_t nexus, uint64_t tag)>& in_scope) {
  std::vector<uint64_t> nexuses;
  std::vector<task_ptr> dropped;
  set_.remove_waiting_if(
      [&](uint64_t h, uint64_t nexus, uint64_t tag) {
        if (!in_scope(nexus, tag)) return false;
        auto it = held_.find(h);
        if (it != held_.end()) {
          nexuses.push_back(nexus);
          it->second.t->aborted.store(true, std::memory_order_release);
          dropped.push_back(std::move(it->second.t));
          held_.erase(it);
        }
        return true;
      },
      runnable_);
  for (auto& t : dropped) complete_aborted(t);
  for (uint64_t n : abort_parked(in_scope)) nexuses.push_back(n);  // issue 10: behind a held load
  return nexuses;
}

// SAM-5 7: the function's scope picks the tasks; each is marked aborted so
// it stops before its next medium step; the answer waits for the ones whose
// I/O is in the kernel. Unit attentions follow SAM-5 6.3 (resets reach
// every nexus, the requester's included) and SPC-4 7.5.8 TAS=0 (tasks
// cleared by another initiator).
caf::result<tmf_response> lu_actor::on_tmf(const tmf_request& msg) {
  auto m = msg.get();
  if (!known_function(m.getFunction()))  // a newer peer's function: nothing done
    return make_tmf_response(m.getTag(), wire::TaskManagementResult::NOT_SUPPORTED, 0);
  struct {
    wire::TaskManagementFunction function;
    uint64_t nexus, tag;
  } r{m.getFunction(), m.getNexus(), m.getReferencedTag()};
  uint32_t own_stopped = 0;  // the requester's tasks this function stops (TaskManagementResponse)
  bool all_nexuses = false;
  switch (r.function) {
    case tmf::CLEAR_TASK_SET:
    case tmf::LOGICAL_UNIT_RESET:
    case tmf::TARGET_WARM_RESET:
    case tmf::TARGET_COLD_RESET: all_nexuses = true; break;
    default: break;
  }
  std::vector<uint64_t> cleared_nexuses;
  auto in_scope = [&](uint64_t nexus, uint64_t tag) {
    if (all_nexuses) return true;
    return r.function == tmf::ABORT_TASK ? (nexus == r.nexus && tag == r.tag) : nexus == r.nexus;
  };
  // Held tasks never started: they leave the task set at once (SAM-5 7).
  for (uint64_t n : abort_held(in_scope))
    if (n != r.nexus)
      cleared_nexuses.push_back(n);
    else
      ++own_stopped;
  auto wait = std::make_shared<tmf_wait>();
  // A running task in scope: marked aborted (it stops before its next
  // medium step), and the function waits for it.
  auto stop = [&](uint64_t nexus, task_context& t, std::vector<std::shared_ptr<tmf_wait>>& waiters) {
    t.aborted.store(true, std::memory_order_release);
    waiters.push_back(wait);
    ++wait->remaining;
    if (nexus != r.nexus)
      cleared_nexuses.push_back(nexus);
    else
      ++own_stopped;
  };
  for (auto& [h, f] : fetching_)  // waiting for their Data-Out: they stop when the port answers
    if (in_scope(f.t->task.getNexus(), f.t->task.getTaskTag())) stop(f.t->task.getNexus(), *f.t, fetch_waiters_[h]);
  for (auto& [h, c] : copying_)  // at the copy manager: it stops before its next command
    if (in_scope(c.nexus, c.t->task.getTaskTag())) stop(c.nexus, *c.t, c.waiters);
  for (auto& [cookie, p] : inflight_) {
    if (!p.t || !in_scope(p.nexus, p.tag)) continue;
    if (p.long_op) {  // SBC-4 4.11.2: the operation goes on; its task ends now, reporting nothing
      p.t->aborted.store(true, std::memory_order_release);
      complete_aborted(p.t);
      if (p.nexus != r.nexus)
        cleared_nexuses.push_back(p.nexus);
      else
        ++own_stopped;
      continue;
    }
    stop(p.nexus, *p.t, p.waiters);
  }
  switch (r.function) {  // SPC-4 5.13.1: resets release SPC-2 reservations, never persistent ones
    case tmf::LOGICAL_UNIT_RESET:
    case tmf::TARGET_WARM_RESET:
    case tmf::TARGET_COLD_RESET:
      pr_.lu_reset();
      core_->reset();
      break;
    case tmf::IT_NEXUS_RESET:
      pr_.it_nexus_reset(identity_of(r.nexus));
      core_->nexus_gone(r.nexus);  // SAM-5 6.3.4: an I_T nexus loss for that nexus
      break;
    default: break;
  }
  switch (r.function) {
    case tmf::CLEAR_TASK_SET:
      for (uint64_t n : cleared_nexuses) ua_.post(n, scsi::sense::commands_cleared_by_another_initiator());
      break;
    case tmf::LOGICAL_UNIT_RESET:  // SAM-5 6.3.3: every I_T nexus, the requester's too
      ua_.post_all(scsi::sense::bus_device_reset());
      break;
    // SAM-5 6.3.2: a hard reset reaches every I_T nexus. Its additional
    // sense code is transport specific (SCSI BUS RESET OCCURRED is the
    // parallel bus's); iSCSI and FC define none, so the generic POWER ON,
    // RESET, OR BUS DEVICE RESET OCCURRED (29h/00h) is reported.
    case tmf::TARGET_WARM_RESET:
    case tmf::TARGET_COLD_RESET: ua_.post_all(scsi::sense::power_on_reset()); break;
    default: break;
  }
  drain();  // what the removed tasks held may run now
  wait->answer = make_tmf_response(m.getTag(), wire::TaskManagementResult::COMPLETE, own_stopped);
  if (wait->remaining == 0) return wait->answer;
  log::debug("lu {}: task management waits for {} task(s) to stop", def_.name, wait->remaining);
  wait->rp = make_response_promise();
  return caf::delegated<tmf_response>{};
}

}  // namespace stmfd
