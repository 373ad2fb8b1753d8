#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include <sys/socket.h>
#include <sys/uio.h>

#include <caf/actor.hpp>

namespace stmfd::io::detail {

enum class op : uint8_t {
  read,
  write,
  fsync,
  recv,
  sendv,
  accept,
  punch_hole,  // operations: complete once
  cancel_fd,
  close_fd,  // control: no completion
};

inline bool is_control(op k) { return k == op::cancel_fd || k == op::close_fd; }

// Who owns a slot: `idle` and `queued` slots are guarded by the core's mutex;
// the other states belong to the ring thread alone.
enum class phase : uint8_t {
  idle,     // on the free list
  queued,   // in the submission queue
  waiting,  // taken by the ring thread, held back by the in-flight cap
  issued,   // its operation SQE is in the kernel
  polling,  // got -EAGAIN; a POLL_ADD is in the kernel, then reissue
};

inline constexpr unsigned max_iov_entries = 64;

struct iov_block {
  iovec v[max_iov_entries];
  iov_block* next = nullptr;
};

// Per-request state. Slots are recycled, never freed while the ring lives.
struct request {
  op kind = op::read;
  phase state = phase::idle;
  bool datasync = false;   // fsync: IORING_FSYNC_DATASYNC; write: RWF_DSYNC
  bool cancelled = false;  // cancel_fd or stop(): end with -ECANCELED
  int fd = -1;
  uint8_t* buf = nullptr;
  uint32_t len = 0;   // read/write/recv: bytes wanted; sendv: total bytes
  uint32_t done = 0;  // bytes transferred so far
  uint64_t offset = 0;
  uint64_t span = 0;  // punch_hole: bytes to deallocate from offset; fsync: range length (0: whole file)
  uint64_t cookie = 0;
  caf::actor target;
  iov_block* iov = nullptr;  // sendv only: our copy of the caller's array
  unsigned iovcnt = 0;
  unsigned iov_first = 0;  // first entry not yet completely sent
  msghdr msg{};
  request* next = nullptr;
};

// Free lists of slots and iovec blocks. Not synchronized: the owner locks.
// Grows in chunks when empty, so steady state allocates nothing.
class request_pool {
 public:
  static constexpr size_t chunk = 256;

  // Preallocates at least n slots.
  void reserve(size_t n) {
    while (chunks_.size() * chunk < n) grow();
  }

  request* take() {
    if (!free_) grow();
    auto* r = free_;
    free_ = r->next;
    r->next = nullptr;
    return r;
  }

  iov_block* take_iov() {
    if (!free_iov_) {
      iov_chunks_.push_back(std::make_unique<iov_block[]>(16));
      for (size_t i = 0; i < 16; ++i) give_iov(&iov_chunks_.back()[i]);
    }
    auto* b = free_iov_;
    free_iov_ = b->next;
    b->next = nullptr;
    return b;
  }

  void give(request* r) {
    r->next = free_;
    free_ = r;
  }

  void give_iov(iov_block* b) {
    b->next = free_iov_;
    free_iov_ = b;
  }

  // Splices a singly linked list [head..tail] of idle slots back in.
  void give_list(request* head, request* tail) {
    if (!head) return;
    tail->next = free_;
    free_ = head;
  }

  void give_iov_list(iov_block* head, iov_block* tail) {
    if (!head) return;
    tail->next = free_iov_;
    free_iov_ = head;
  }

  template <class F>
  void for_each(F f) {
    for (auto& c : chunks_)
      for (size_t i = 0; i < chunk; ++i) f(c[i]);
  }

 private:
  void grow() {
    chunks_.push_back(std::make_unique<request[]>(chunk));
    for (size_t i = chunk; i-- > 0;) give(&chunks_.back()[i]);
  }

  std::vector<std::unique_ptr<request[]>> chunks_;
  std::vector<std::unique_ptr<iov_block[]>> iov_chunks_;
  request* free_ = nullptr;
  iov_block* free_iov_ = nullptr;
};

}  // namespace stmfd::io::detail
