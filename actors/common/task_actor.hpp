#pragma once
// The task actor: one per SCSI command in flight (architecture.md, "the
// life of one command"). A session keeps a few idle ones and hands each new
// command to an idle one, so a busy session does not pay an actor spawn per
// command; an actor runs exactly one task at a time. The session layer sends
// the task to the LU and to this actor at once (the LU must see one
// nexus's commands in the order they were sent, which two hops through
// different task actors would not keep: SAM-5 8.6 ORDERED), and the LU
// answers the task's port directly (one mailbox delivery fewer than a relay:
// docs/messages.md). This actor watches the LU so that the command is
// answered exactly once whatever fails:
//  - the LUN's LU does not serve (a null LU handle): NOT READY, BECOMING
//    READY (02h/04h/01h) while STMF restarts it by itself, MANUAL
//    INTERVENTION REQUIRED (02h/04h/03h) when an administrator must act
//    (its store is not open, it exceeded its restart budget, it is offline,
//    no provider serves it); INQUIRY answered with peripheral qualifier
//    001b, REQUEST SENSE with that sense as data;
//  - LU answered: nothing to do;
//  - LU died before completing it: CHECK CONDITION, HARDWARE ERROR /
//    INTERNAL TARGET FAILURE (44h/00h) to the port (never silence);
//  - the task actor itself fails: the port, which monitors it, answers the
//    command with the same sense; no other command is affected.
// Messages: (execute_atom, task_ptr) from the session layer; it sends the
// port (done_atom, task_ptr) only for a task its LU left unanswered.
#include <caf/event_based_actor.hpp>

#include "actors/common/fwd.hpp"
#include "wire/scsi/sense.hpp"

namespace stmfd {

caf::behavior task_actor(caf::event_based_actor* self);

// Marks the task CHECK CONDITION with the given sense in fixed format.
void set_check_condition(task_context& t, scsi::sense_code code);

// Completes a task the framework answers itself (no LU involved): status,
// sense in fixed format when given, and data_len bytes of Data-In already
// in t.data (also the command's length, for residuals).
void complete_task(task_context& t, uint8_t status, const scsi::sense_info* sense, uint32_t data_len);

}  // namespace stmfd
