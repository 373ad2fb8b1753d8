@0xb86f7120bba1138e;
# Task management (SAM-5 7) between a port and the framework. The port maps
# its transport's function (iSCSI Task Management Function Request, RFC 7143
# 11.5; FCP_CMND task management flags) to a TaskManagementFunction, marks
# the tasks of its own nexus in scope that are still on their way, and sends
# a TaskManagementRequest; the framework fans the function out to the LUs in
# scope and answers with one TaskManagementResponse once every affected task
# has stopped touching the medium. Only then may the port answer the
# initiator (SAM-5 7.1).
#
# In one process this is (tmf_atom, tmf_request) from the session layer to
# each LU (actors/common/fwd.hpp), answered by a bool; across a stream
# (wire/stream/) it is one request frame and one response frame.

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("stmfd::wire");

using Task = import "task.capnp";

# Port -> framework. Every field is set by the port provider.
struct TaskManagementRequest {
  function @0 :Task.TaskManagementFunction;
  # What to do (SAM-5 7.2-7.9). A value this side does not know (a newer
  # peer) is answered notSupported.

  nexus @1 :UInt64;
  # The requesting I_T nexus (NexusGrant.nexus). The scope of every function
  # and the unit attentions it establishes for other nexuses are relative
  # to it.

  lun @2 :UInt64;
  # The LUN the function addresses (as ScsiTask.lun). Ignored by the
  # functions whose scope is the whole target or nexus (targetWarmReset,
  # targetColdReset, itNexusReset).

  tag @3 :UInt32;
  # This request's own transport tag (iSCSI: the TMF PDU's Initiator Task
  # Tag). The response echoes it; it names no task.

  referencedTag @4 :UInt32;
  # abortTask only: the taskTag of the task to abort (iSCSI: Referenced
  # Task Tag). 0 and ignored for the other functions.
}

# How a function ended, as the port reports it to the initiator (iSCSI
# response codes 0, 1, 2 and 5 of RFC 7143 11.6.1).
enum TaskManagementResult {
  complete @0;
  # Done: every task in scope stopped (or there were none).

  noSuchLun @1;
  # The function addressed a LUN with no LU in the nexus's view; nothing
  # was done.

  noSuchTask @2;
  # abortTask named a task the framework does not hold (never received, or
  # it already completed); nothing was done.

  notSupported @3;
  # The function is unknown to this side; nothing was done.
}

# Framework -> port: the function ended.
struct TaskManagementResponse {
  tag @0 :UInt32;
  # TaskManagementRequest.tag of the request this answers.

  result @1 :TaskManagementResult;

  tasksStopped @2 :UInt32;
  # How many tasks of the requesting nexus the function aborted on this
  # side (tasks of other nexuses on the same LUs are stopped too but are
  # not counted here: their ports learn of it through unit attentions).
  # The port sends no status for any of them (SAM-5 5.6, TAS=0).
}
