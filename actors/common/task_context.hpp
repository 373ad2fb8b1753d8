#pragma once
// The task context: everything the framework keeps about one SCSI command
// while it travels port -> task -> LU -> task -> port (architecture.md "the
// life of one command"). It is allocated from a per-session task_pool (STMF
// sizes the pool from the session's command window), carries its ScsiTask
// message built in place in a preallocated scratch segment, and owns the
// command's data buffer. Actors hand it around as a task_ptr (intrusive,
// thread-safe refcount); when the last handle goes, the context returns to its
// pool and its buffer to the buffer pool.
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include <capnp/message.h>
#include <caf/actor.hpp>
#include <caf/actor_addr.hpp>
#include <caf/actor_cast.hpp>
#include <caf/intrusive_ptr.hpp>

#include "io/buffer_pool.hpp"
#include "wire/stream/message_slot.hpp"
#include "wire/task.capnp.h"
#include "wire/transfer.capnp.h"

namespace stmfd {

class task_pool;

// A non-owning actor handle. Contexts must not keep actors alive: an actor
// that holds a context (a session's task set, an LU's in-flight I/O) while
// the context holds the actor would never be freed after it fails.
class weak_actor {
 public:
  weak_actor() = default;
  weak_actor(const caf::actor& a) : addr_(a.address()) {}
  weak_actor& operator=(std::nullptr_t) {
    addr_ = caf::actor_addr{};
    return *this;
  }
  caf::actor get() const { return caf::actor_cast<caf::actor>(addr_); }  // null once the actor is gone
  explicit operator bool() const { return static_cast<bool>(addr_); }
  const caf::actor_addr& address() const { return addr_; }

 private:
  caf::actor_addr addr_;
};

struct task_context {
  // --- framework-owned ---
  std::atomic<uint32_t> refs{0};
  std::shared_ptr<task_pool> pool;  // keeps the pool alive while the task lives

  // The ScsiTask message lives in this scratch segment (128 words = 1 KiB:
  // the struct, a 16-byte CDB and up to 252 bytes of sense fit).
  alignas(8) capnp::word scratch[128];
  std::optional<capnp::MallocMessageBuilder> message;
  wire::ScsiTask::Builder task{nullptr};

  // The task's data-transfer messages (wire/transfer.capnp), one at a time:
  // the LU builds a DataTransferRequest here and sends (xfer_atom, task);
  // the port reads it, then builds the DataTransferCompletion here and
  // answers (xfer_atom, task). 16 words hold either: no heap, no lock.
  wire::fixed_message_slot<16> transfer;

  io::buffer data;  // Data-Out collected, or Data-In produced
  // Set (once, never cleared while the task lives) by whoever aborts the
  // task: the session layer for its own nexus, the LU for its task set. An
  // LU checks it before every step that touches the medium; a port sends
  // nothing for an aborted task (SAM-5 5.6, TAS=0).
  std::atomic<bool> aborted{false};
  weak_actor port;   // receives the completion (the session actor)
  weak_actor lu;     // the LU actor executing it
  weak_actor actor;  // the task actor running it
  // Set by the session layer with `lu` for every task: the LUN's LU does
  // not serve now but STMF is bringing it up by itself (no actor, and
  // lun_entry::state restarting), so a task with no LU is answered NOT
  // READY, BECOMING READY (04h/01h) rather than MANUAL INTERVENTION
  // REQUIRED (04h/03h).
  bool lu_becoming_ready = false;
  // Statistics (actors/common/io_counters.hpp), CLOCK_MONOTONIC ns, 0 when
  // not taken: start_ns set by the session layer when it hands the task to
  // its LU, done_ns by the LU shell when it completes it. Both cleared by
  // reset_message().
  uint64_t start_ns = 0;
  uint64_t done_ns = 0;

  // Starts a fresh ScsiTask in the scratch segment.
  wire::ScsiTask::Builder reset_message();
  void release_data();
  // Makes `data` hold at least n bytes: kept when large enough, otherwise
  // replaced by a pool buffer (its contents are not kept). False when the
  // pool refuses (the daemon-wide cap): the caller answers BUSY.
  bool ensure_data(uint32_t n);
  // Makes `data` hold at least n bytes, keeping its first `keep` bytes (a
  // write's Data-Out already received). False when the pool refuses; the
  // old buffer is kept then.
  bool grow_data(uint32_t n, uint32_t keep);
};

using task_ptr = caf::intrusive_ptr<task_context>;

// The LU side: a DataTransferRequest for Data-Out [offset, offset + length)
// of this task (nexus, tag from its ScsiTask) in its transfer slot.
void request_data_out(task_context& t, uint32_t offset, uint32_t length, bool last);
// The port: the request the LU put in the transfer slot.
wire::DataTransferRequest::Reader transfer_request(task_context& t);
// The port: answers the request in the transfer slot with a completion
// (bytes moved, how it ended), replacing the request.
void complete_transfer(task_context& t, wire::TransferStatus status, uint32_t bytes_moved);
// The LU side: the completion the port put in the transfer slot.
wire::DataTransferCompletion::Reader transfer_completion(task_context& t);

void intrusive_ptr_add_ref(task_context* t);
void intrusive_ptr_release(task_context* t);

// A free list of task contexts. Thread-safe: contexts come back from
// whichever worker thread drops the last handle.
class task_pool : public std::enable_shared_from_this<task_pool> {
 public:
  explicit task_pool(size_t prealloc);
  ~task_pool();
  task_ptr acquire();
  void recycle(task_context* t);
  size_t live() const { return live_.load(); }

 private:
  std::mutex mtx_;
  std::vector<task_context*> free_;
  std::atomic<size_t> live_{0};
};

}  // namespace stmfd
