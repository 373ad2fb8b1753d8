@0x900b3d047919b6a2;
# Moving a task's data (COMSTAR's stmf_xfer_data / data transfer done): the
# LU side asks the port to move one piece of Data-In (to the initiator) or
# Data-Out (from the initiator), and the port answers when it has. A task
# may need several pieces; each has its own request and completion.
#
# The bytes never travel inside these structs. In one process the buffer
# handle names a buffer in the daemon's buffer pool (io/buffer_pool.hpp)
# that both sides can reach. Across a stream (wire/stream/) the bytes ride
# as the frame's payload: a Data-In request frame carries `length` payload
# bytes; a Data-Out completion frame carries `bytesMoved` payload bytes.

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("stmfd::wire");

using Task = import "task.capnp";

# LU side -> port. Every field is set by the framework for the LU.
struct DataTransferRequest {
  nexus @0 :UInt64;
  # The task's I_T nexus (ScsiTask.nexus).

  taskTag @1 :UInt32;
  # The task's transport tag (ScsiTask.taskTag): with the nexus it names
  # the task on the port.

  direction @2 :Task.Direction;
  # read: Data-In, the port sends these bytes to the initiator (iSCSI
  # Data-In PDUs). write: Data-Out, the port fetches them from the
  # initiator (iSCSI R2T and Data-Out PDUs). Never none.

  bufferOffset @3 :UInt32;
  # Where the piece starts in the task's data, in bytes from the start of
  # the command's transfer (iSCSI Buffer Offset, FCP relative offset).

  length @4 :UInt32;
  # Bytes in the piece, at least 1. bufferOffset + length never exceeds
  # ScsiTask.expectedLength.

  bufferId @5 :UInt64;
  # The handle of the data buffer, chosen by the LU side. In one process it
  # names the pool buffer the port reads from (Data-In) or writes into
  # (Data-Out); across a stream the bytes are the frame's payload and the
  # id only pairs this request with its completion. Unique among the
  # transfers of one task that are outstanding at the same time.

  last @6 :Bool;
  # The last piece the task will move: the port may fold the status that
  # follows into it (iSCSI phase collapse, RFC 7143 11.7.4).
}

# How a transfer ended.
enum TransferStatus {
  ok @0;
  # bytesMoved bytes moved.

  aborted @1;
  # The port dropped the task meanwhile (task management, the nexus ended):
  # the LU side sends no status for it.

  transportFailed @2;
  # The connection failed mid-transfer; the task cannot complete.
}

# Port -> LU side: one DataTransferRequest ended. Every field is set by the
# port provider.
struct DataTransferCompletion {
  nexus @0 :UInt64;
  taskTag @1 :UInt32;
  bufferId @2 :UInt64;
  # The three copied from the request this completes.

  bytesMoved @3 :UInt32;
  # Bytes moved: the request's length when status is ok, fewer (possibly
  # 0) otherwise.

  status @4 :TransferStatus;
}
