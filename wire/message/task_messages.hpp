#pragma once
// Pure conversions between the task-related wire messages (no CAF): what a
// port-side copy of a command must hold, and the TaskStatus a completed
// ScsiTask reports. The in-process path reads ScsiTask in place and needs
// none of this; these serve a port that does not share the task's memory.
#include <cstdint>
#include <string>

#include "wire/lu_event.capnp.h"
#include "wire/status.capnp.h"
#include "wire/task.capnp.h"

namespace stmfd::wire {

// The largest CDB a ScsiTask may carry (SPC-4 4.2.3: variable-length CDBs
// up to 260 bytes), so it fits a task context's scratch segment.
constexpr size_t max_cdb_bytes = 260;

// Why a command from another process cannot be taken; nullptr when it can.
// Checks the fields a port sets: a CDB of 1..max_cdb_bytes, a known
// direction and task attribute, and no more Data-Out than expected.
const char* command_problem(ScsiTask::Reader command);

// Copies the fields a port sets when a command arrives (lun, taskTag,
// attribute, cdb, expectedLength, direction, dataOutLength) into `to`. The
// framework's own fields (nexus, relativePortId, targetPortGroup: set by
// the session layer) and the LU's (status and after) are left as they are.
void copy_command(ScsiTask::Reader from, ScsiTask::Builder to);

// Bytes of Data-In a completed task sends: what it produced, never beyond
// expectedLength; 0 for writes.
uint32_t data_in_bytes(ScsiTask::Reader task);

// The final status of a completed task, as the in-process iSCSI port
// computes it (plugins/port/iscsi/conn_result.cpp): the bytes the command
// moved are commandLength for writes and dataInLength otherwise, compared
// with expectedLength for the residual; Data-In beyond expectedLength is
// never sent.
void build_status(ScsiTask::Reader task, TaskStatus::Builder out);

// The event a port hears when STMF restarted an LU after a failure: online
// again, with POWER ON (29h/00h) pending for every nexus.
void build_lu_restarted(const std::string& lu_name, LuStateEvent::Builder out);

}  // namespace stmfd::wire
