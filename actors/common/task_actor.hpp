#pragma once
// The task actor: one per SCSI command (architecture.md, "the life of one
// command"). Spawned by the port's session with the task context, it asks
// the LU to execute, watches the LU, and reports the final status to the
// port exactly once:
//  - LU answered: forwards done;
//  - LU died first: CHECK CONDITION, HARDWARE ERROR / INTERNAL TARGET
//    FAILURE (44h/00h) (never silence);
//  - the task actor itself fails: the port, which monitors it, answers the
//    command with the same sense; no other command is affected.
#include <caf/event_based_actor.hpp>

#include "actors/common/fwd.hpp"
#include "wire/scsi/sense.hpp"

namespace stmfd {

caf::behavior task_actor(caf::event_based_actor* self, task_ptr t);

// Marks the task CHECK CONDITION with the given sense in fixed format.
void set_check_condition(task_context& t, scsi::sense_code code);

}  // namespace stmfd
