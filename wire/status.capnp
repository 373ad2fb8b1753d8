@0x8782160344deaccf;
# The final status of a task (COMSTAR's stmf_send_scsi_status): what the
# port reports to the initiator once the task's data has moved (iSCSI SCSI
# Response or the status folded into the last Data-In, RFC 7143 11.4; FCP_RSP).
#
# In one process the LU writes these fields into the task's own ScsiTask
# (status, sense, dataInLength, commandLength) and the port reads them in
# place; a TaskStatus is the same result as a separate message, for a port
# that does not share the task's memory (a stream, wire/stream/). It is
# derived from a completed ScsiTask by wire/message/task_messages.hpp.
# A task that was aborted gets no TaskStatus (SAM-5 5.6, TAS=0).

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("stmfd::wire");

# How the bytes the command transferred compare with what the initiator
# expected (SAM-5 5.4.2, iSCSI O/U bits, FCP_RESID_OVER/UNDER).
enum Residual {
  none @0;       # exactly the expected length
  underflow @1;  # fewer bytes than expected: residualCount is the shortfall
  overflow @2;   # the command wanted more than expected: residualCount is the excess
}

# LU side -> port. Every field is set by the framework from the LU's result.
struct TaskStatus {
  nexus @0 :UInt64;
  taskTag @1 :UInt32;
  # The task (ScsiTask.nexus, ScsiTask.taskTag).

  status @2 :UInt8;
  # SAM-5 status byte: GOOD 00h, CHECK CONDITION 02h, BUSY 08h,
  # RESERVATION CONFLICT 18h, TASK SET FULL 28h.

  sense @3 :Data;
  # Sense data (fixed or descriptor format, SPC-4 4.5) when status is
  # CHECK CONDITION; empty otherwise.

  residual @4 :Residual;
  residualCount @5 :UInt32;
  # For the command's one data direction (bidirectional commands are refused
  # today; their read residual would be a new field). Computed from
  # ScsiTask.commandLength against ScsiTask.expectedLength.

  dataInLength @6 :UInt32;
  # Bytes of Data-In the task produced (all moved by DataTransferRequests
  # before this status). 0 for writes and for CHECK CONDITION.
}
