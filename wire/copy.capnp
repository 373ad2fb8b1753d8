@0xd4a7c3e1b2f09a57;
# Third-party copy (SPC-4 5.17, EXTENDED COPY) between the LU shell that
# received the command and the framework's copy manager
# (docs/framework.md, "Third-party copy"). In one process:
#  - LU shell -> STMF (request): (copy_atom, copy_request, task_ptr), the
#    EXTENDED COPY's task beside it (the copy manager stops when it is
#    aborted); STMF resolves the CSCD descriptors to LUs and hands the
#    request to a copy-manager actor, which answers with a CopyResult
#    (done = true);
#  - copy manager -> LU shell, while it runs: (copy_atom, copy_result) with
#    done = false after each segment (RECEIVE COPY RESULTS, COPY STATUS).

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("stmfd::wire");

# Set by the LU shell.
struct CopyRequest {
  nexus @0 :UInt64;
  # The I_T nexus that sent the EXTENDED COPY. Only LUs of its LUN
  # inventory (its views) are reachable copy targets, and the copy
  # manager's own commands carry its initiator port and target port, so
  # the targets' reservations and ALUA states apply as to that initiator.

  luName @1 :Text;
  # The LU that received the command (CSCD descriptor ID FFFFh).

  token @2 :UInt64;
  # The LU shell's handle of the operation, echoed in every CopyResult.

  parameterList @3 :Data;
  # The parameter list as received, already checked by the LU shell with
  # wire/scsi/xcopy.hpp parse_extended_copy_cdb (LID1 or LID4); the copy
  # manager parses it again with parse_accepted_list, which tells the two
  # formats apart by the header. It is small: at most 48 + 4096 bytes.
}

# Set by the copy manager.
struct CopyResult {
  token @0 :UInt64;
  # CopyRequest.token.

  done @1 :Bool;
  # false: progress while the copy runs; true: the final result.

  status @2 :UInt8;
  # SAM-5 status of the EXTENDED COPY (GOOD, CHECK CONDITION, BUSY).

  senseKey @3 :UInt8;
  asc @4 :UInt8;
  ascq @5 :UInt8;
  # CHECK CONDITION: the sense (COPY ABORTED, or ILLEGAL REQUEST for a
  # parameter list the copy targets make invalid: a block length or
  # segment length they cannot take).

  failedSegment @6 :Int32 = -1;
  # COPY ABORTED: the number of the segment descriptor that failed
  # (COMMAND-SPECIFIC INFORMATION); -1 when none.

  fieldPointer @7 :Int32 = -1;
  # ILLEGAL REQUEST: the byte of the parameter list in error; -1 when none.

  segmentsProcessed @8 :UInt16;
  # Segment descriptors completed.

  bytesCopied @9 :UInt64;
  # Bytes written to copy destinations.
}
