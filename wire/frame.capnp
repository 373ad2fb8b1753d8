@0xa9da53e0010ab9b8;
# Framing of the framework's messages on a byte stream (a socket between a
# port in one process and the LU side in another: the remote-LU path the HA
# work needs). Code: wire/stream/ (frame.hpp lays out the header, fd_stream.hpp
# writes and reads frames on a file descriptor).
#
# A stream is a sequence of frames. Each frame is:
#
#   offset  size  field
#   0       4     magic "STMF" (53 54 4D 46)
#   4       1     version, 1
#   5       1     reserved, 0
#   6       2     kind: a MessageKind, little-endian
#   8       4     messageBytes, little-endian: the length of what follows,
#                 a multiple of 8, at least 8
#   12      4     payloadBytes, little-endian: raw bytes after the message
#   16      messageBytes   one Cap'n Proto message in the standard stream
#                          framing (segment table, then the segments)
#   16+messageBytes  payloadBytes  payload (bulk data; see each kind)
#
# A reader refuses, and the stream ends at, the first frame with a wrong
# magic, version or reserved byte, an unknown kind, a message larger than
# the reader's buffer or a payload larger than its limit, a segment table
# that does not add up to messageBytes, or a message that is not a valid
# instance of the kind's struct. A stream that ends inside a frame is
# truncated. A reader never allocates more than its fixed limits.

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("stmfd::wire");

# Which struct a frame's message is, and what its payload holds.
enum MessageKind {
  none @0;
  # Never sent: a frame with kind 0 is refused (a zeroed header is garbage).

  nexusRequest @1;            # NexusRequest (nexus.capnp), port -> LU side, first frame; no payload
  nexusGrant @2;              # NexusGrant (nexus.capnp), LU side -> port; no payload

  scsiTask @3;
  # ScsiTask (task.capnp), port -> LU side: a new command. Payload: the
  # first ScsiTask.dataOutLength bytes of write data (immediate data); the
  # LU side fetches the rest with DataTransferRequests.

  dataTransferRequest @4;
  # DataTransferRequest (transfer.capnp), LU side -> port. Payload: the
  # request's `length` bytes for Data-In; none for Data-Out.

  dataTransferCompletion @5;
  # DataTransferCompletion (transfer.capnp), port -> LU side. Payload: the
  # `bytesMoved` bytes fetched for Data-Out; none for Data-In.

  taskStatus @6;              # TaskStatus (status.capnp), LU side -> port; no payload
  taskManagementRequest @7;   # TaskManagementRequest (tmf.capnp), port -> LU side; no payload
  taskManagementResponse @8;  # TaskManagementResponse (tmf.capnp), LU side -> port; no payload
  luStateEvent @9;            # LuStateEvent (lu_event.capnp), LU side -> port; no payload

  # The framework's other in-process messages, which a stream between two
  # parts of the framework (STMF and a remote LU, a test) may carry too:
  nexusAttach @10;            # NexusAttach (nexus.capnp), STMF -> LU; no payload
  nexusDetach @11;            # NexusDetach (nexus.capnp), port -> STMF, STMF -> LU; no payload
  luStateList @12;            # LuStateList (lu_event.capnp), STMF -> asker; no payload
}
