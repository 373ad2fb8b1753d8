#pragma once
// Frames (wire/frame.capnp) over a file descriptor: a stream socket or a
// pipe in blocking mode. Writing gathers header, segment table, segments
// and payload into one sendmsg/writev and finishes partial writes; reading
// takes whatever partial reads the kernel gives until a frame is whole.
// Neither side allocates: a frame is read into the caller's message_slot
// and its payload into the caller's buffer, both bounded before any byte of
// them is read. On an io_error, errno is the failing call's.
#include <cstdint>

#include <capnp/message.h>

#include "wire/stream/frame.hpp"
#include "wire/stream/message_slot.hpp"

namespace stmfd::wire {

// Writes one frame: `message` (all its segments) and payload_bytes bytes of
// payload. SIGPIPE is never raised (MSG_NOSIGNAL on sockets). Returns
// oversized_message, writing nothing, when the message has more than
// frame_max_segments segments or 4 GiB; io_error when the fd fails (the
// frame may then be partly written: the stream is unusable).
frame_error write_frame(int fd, MessageKind kind, capnp::MessageBuilder& message, const void* payload = nullptr,
                        uint32_t payload_bytes = 0);
frame_error write_frame(int fd, MessageKind kind, message_slot& slot, const void* payload = nullptr,
                        uint32_t payload_bytes = 0);

class frame_reader {
 public:
  static constexpr uint32_t default_max_payload = 1u << 20;

  explicit frame_reader(int fd, uint32_t max_payload_bytes = default_max_payload)
      : fd_(fd), max_payload_(max_payload_bytes) {}

  // Reads the next frame's header and message into `slot` (first skipping
  // what is left of the previous frame's payload) and checks it (frame.hpp:
  // check_message), so typed reads of slot never throw. A message larger
  // than the slot is oversized_message, a payload beyond the limit
  // oversized_payload, both refused before their bytes are read. Any
  // error but wrong_kind leaves the reader failed: every later call
  // returns it again.
  frame_error next(message_slot& slot, frame_header& header);
  // next(), and wrong_kind for a valid frame of another kind (then the
  // reader stays usable and the frame is consumed).
  frame_error expect(message_slot& slot, MessageKind want, frame_header& header);

  // Payload of the frame next() returned: payload_left() bytes remain.
  uint32_t payload_left() const { return payload_left_; }
  // Reads len bytes of it; more than payload_left() is oversized_payload
  // and reads nothing.
  frame_error read_payload(void* dst, uint32_t len);
  frame_error skip_payload();

 private:
  frame_error read_exact(void* dst, size_t len, bool at_frame_start);
  frame_error fail(frame_error e) { return failed_ = e; }

  int fd_;
  uint32_t max_payload_;
  uint32_t payload_left_ = 0;
  frame_error failed_ = frame_error::none;
};

}  // namespace stmfd::wire
