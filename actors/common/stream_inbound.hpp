#pragma once
// The receiving half of a stream bridge (stream_bridge.hpp): a thread of its
// own that reads frames from the stream (a blocking read must not hold a
// CAF worker) into a fixed set of preallocated frames and hands each to
// the bridge actor by handle, (frame_atom, inbound_ptr). When every frame
// is in the actor's hands the thread stops reading, so the peer's writes
// stall instead of memory growing. The stream ending or failing reaches the
// actor as (closed_atom, uint8_t frame_error); the thread then exits.
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_addr.hpp>
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>
#include <caf/intrusive_ptr.hpp>

#include "io/buffer_pool.hpp"
#include "wire/stream/frame.hpp"
#include "wire/stream/message_slot.hpp"

namespace stmfd {

// reader thread -> bridge: one checked frame, (frame_atom, inbound_ptr);
// the stream ended, (closed_atom, uint8_t frame_error).
using frame_atom = caf::atom_constant<caf::atom("frame")>;
using closed_atom = caf::atom_constant<caf::atom("closed")>;

class inbound_pool;

// One received frame: its header, its message in place in the slot (2 KiB:
// every port -> LU side kind fits with room to spare), its payload in a
// pool buffer. Returns to its pool when the last handle goes.
struct inbound_frame {
  static constexpr size_t slot_words = 256;
  std::atomic<uint32_t> refs{0};
  std::shared_ptr<inbound_pool> pool;
  wire::frame_header header;
  wire::fixed_message_slot<slot_words> slot;
  io::buffer payload;  // header.payload_bytes bytes; a handler may take it (leave it empty)
};
using inbound_ptr = caf::intrusive_ptr<inbound_frame>;
void intrusive_ptr_add_ref(inbound_frame* f);
void intrusive_ptr_release(inbound_frame* f);

// A fixed set of frames. Thread-safe.
class inbound_pool : public std::enable_shared_from_this<inbound_pool> {
 public:
  explicit inbound_pool(size_t frames);
  ~inbound_pool();
  // Blocks until a frame is free; null once closed.
  inbound_ptr acquire();
  void recycle(inbound_frame* f);
  void close();  // wakes a blocked acquire()

 private:
  std::mutex mtx_;
  std::condition_variable cv_;
  std::vector<inbound_frame*> free_;
  std::vector<inbound_frame*> all_;
  bool closed_ = false;
};

// The reader thread. stop() closes nothing but the pool: the owner shuts
// the fd down (shutdown(2)) so a blocked read returns, then joins.
class stream_inbound {
 public:
  stream_inbound(int fd, caf::actor_addr bridge, size_t frames, uint32_t max_payload);
  ~stream_inbound();
  void stop_and_join();

 private:
  void run();

  int fd_;
  caf::actor_addr bridge_;
  uint32_t max_payload_;
  std::shared_ptr<inbound_pool> pool_;
  std::thread thread_;
};

}  // namespace stmfd

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(stmfd::inbound_ptr)
