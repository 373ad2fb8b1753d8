@0xc1f0a3b5d2e49a61;
# The messages the data-path actors exchange about one SCSI task.
#
# A task's ScsiTask struct is built once, in place, in the preallocated
# scratch segment of its task context (actors/common/task_context.hpp): no heap
# allocation per command. Actors pass the context by handle and read this
# struct in place; bulk data never travels inside it, only the length of the
# data that sits in the context's pool buffer. Because the layout is Cap'n
# Proto, the same struct can cross a process boundary unchanged (a remote LU
# or port actor) by shipping its segment.

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("stmfd::wire");

# SAM-5 8.6 task attributes, as carried by iSCSI's ATTR field (RFC 7143 11.3.1.2).
enum TaskAttribute {
  untagged @0;
  simple @1;
  ordered @2;
  headOfQueue @3;
  aca @4;
}

# Data direction of the command as the transport announced it.
enum Direction {
  none @0;
  read @1;     # Data-In: target to initiator
  write @2;    # Data-Out: initiator to target
}

struct ScsiTask {
  # --- set by the port provider when the command arrives ---
  nexus @0 :UInt64;            # I_T nexus id, unique per session for the daemon's life
  lun @1 :UInt64;              # LUN number as mapped in the session's view
  taskTag @2 :UInt32;          # transport tag (iSCSI Initiator Task Tag)
  attribute @3 :TaskAttribute;
  cdb @4 :Data;                # the CDB bytes (16 for iSCSI, more with an AHS)
  expectedLength @5 :UInt32;   # Expected Data Transfer Length from the transport
  direction @6 :Direction;
  dataOutLength @7 :UInt32;    # write data bytes present in the task's data buffer
  relativePortId @8 :UInt16;   # SPC-4 relative target port identifier of the port
  targetPortGroup @9 :UInt16;  # target port group (iSCSI: the TPGT)

  # --- set by the LU when the command completes ---
  status @10 :UInt8;           # SAM-5 status byte
  sense @11 :Data;             # sense data when status is CHECK CONDITION
  dataInLength @12 :UInt32;    # bytes of Data-In ready in the data buffer
  completed @13 :Bool;         # true once status is final
  commandLength @14 :UInt32;   # bytes the CDB itself transfers (Data-In it produced or
                               # Data-Out it needed): residuals compare this to expectedLength
}

# A task management function (SAM-5 7) as the framework passes it to an LU.
# The transport's own codes (iSCSI function numbers, FCP_CMND flags) never
# reach an LU: the port provider maps them to these.
enum TaskManagementFunction {
  abortTask @0;         # the task (nexus, tag) only
  abortTaskSet @1;      # every task of the requesting nexus on the LU
  clearTaskSet @2;      # every task of every nexus on the LU; others get 2Fh/00h
  logicalUnitReset @3;  # every task on the LU; other nexuses get 29h/03h
  targetWarmReset @4;   # every task on every LU; other nexuses get 29h/02h
  targetColdReset @5;   # as warm, then the transport drops its connections
  itNexusReset @6;      # every task of the requesting nexus on every LU
}
