#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <liburing.h>

#include <caf/actor.hpp>

#include "io/detail/request.hpp"

namespace stmfd::io::detail {

// What a submission call hands to the core; copied into a request slot.
struct request_args {
  op kind = op::read;
  int fd = -1;
  uint8_t* buf = nullptr;
  uint32_t len = 0;
  uint64_t offset = 0;
  bool datasync = false;  // fsync: IORING_FSYNC_DATASYNC; write: RWF_DSYNC
  const iovec* iov = nullptr;
  unsigned iovcnt = 0;
  uint64_t cookie = 0;
  uint64_t span = 0;  // punch_hole: bytes from offset; fsync: range length (0: whole file)
};

// The shared part of a ring: submission queue, slot pool, and the ring
// thread's loop. Owned jointly by `ring` and the ring thread, so the thread
// may outlive its `ring` when the last reference is dropped on the ring
// thread itself (then stop() cannot wait for it).
class ring_core {
 public:
  ring_core(unsigned entries, std::string name, unsigned spin_us);
  ~ring_core();

  // Starts the ring thread and waits until io_uring setup finished.
  static void start(const std::shared_ptr<ring_core>& self);
  void stop();

  int init_error() const { return init_error_; }

  // Thread-safe. Completes inline (from the caller) with `inline_result`
  // when non-zero, or when the ring is stopped or failed.
  void enqueue(const request_args& a, caf::actor target);

  // Sends the completion and counts it (any thread).
  void complete_now(const caf::actor& target, uint64_t cookie, int32_t res);
  void count_submitted() { submitted_.fetch_add(1, std::memory_order_relaxed); }

  uint64_t submitted() const { return submitted_.load(); }
  uint64_t completed() const { return completed_.load(); }

 private:
  // ring thread
  void run();
  int setup();
  void loop();
  void start_request(request* r);
  void issue(request* r);
  void arm_poll(request* r, unsigned mask);
  void arm_wake();
  void begin_drain();
  void mark_cancelled(int fd, bool all);
  void pump_backlog();
  void reap();
  bool work_ready() const;
  void on_cqe(uint64_t user_data, int32_t res);
  void on_result(request* r, int32_t res);
  void finish(request* r, int32_t res);  // completes, then release()
  void release(request* r);              // back to the pool at next lock
  void cancel_marked(int fd, bool all);  // per-request fallback
  io_uring_sqe* get_sqe();

  // user_data of SQEs that are not a request's operation. Request slots are
  // 8-aligned, so the low bits tell them apart:
  //   0             the eventfd READ
  //   fd << 32 | 1  ASYNC_CANCEL by fd (CANCEL_FD, 5.19)
  //   3             ASYNC_CANCEL of everything (CANCEL_ANY, 5.19)
  //   2             ASYNC_CANCEL of one request (fallback, any kernel)
  //   4             CLOSE after a cancel (close_fd)
  static constexpr uint64_t wake_tag = 0;
  static constexpr uint64_t cancel_one_tag = 2;
  static constexpr uint64_t cancel_any_tag = 3;
  static constexpr uint64_t close_tag = 4;
  static uint64_t cancel_fd_tag(int fd) { return (uint64_t{static_cast<uint32_t>(fd)} << 32) | 1; }

  const unsigned entries_;
  const std::string name_;
  const uint64_t spin_ns_;
  int efd_ = -1;

  // guarded by mu_
  std::mutex mu_;
  request_pool pool_;
  request* pending_head_ = nullptr;
  request* pending_tail_ = nullptr;
  bool sleeping_ = false;
  std::atomic<bool> queued_{false};  // pending_head_ != nullptr, for spinning
  bool stopping_ = false;

  // thread start/exit handshake
  std::mutex life_mu_;
  std::condition_variable life_cv_;
  bool init_done_ = false;
  bool exited_ = false;
  std::thread::id thread_id_;
  int init_error_ = 0;
  std::atomic<bool> failed_{false};

  // ring thread only
  io_uring ring_{};
  uint64_t wake_buf_ = 0;
  unsigned inflight_ = 0;  // SQEs whose CQE has not been reaped
  unsigned cap_ = 0;       // soft limit on inflight_ (CQ size)
  bool draining_ = false;
  request* backlog_head_ = nullptr;
  request* backlog_tail_ = nullptr;
  request* freed_head_ = nullptr;  // slots to return to pool_ at next lock
  request* freed_tail_ = nullptr;
  iov_block* freed_iov_head_ = nullptr;
  iov_block* freed_iov_tail_ = nullptr;

  std::atomic<uint64_t> submitted_{0};
  std::atomic<uint64_t> completed_{0};
};

}  // namespace stmfd::io::detail
