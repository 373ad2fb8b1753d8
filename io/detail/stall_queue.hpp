#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

#include <caf/actor.hpp>

#include "io/detail/ring_core.hpp"

namespace stmfd::io::detail {

// The io_file fault point's `stall` action (io/faults.hpp): a file request
// enters the kernel `ms` later, with its buffer the ring's meanwhile, as on
// a slow device. One timer thread per ring, started at the first stall.
//
// Contract
// - hold(): the request goes to the core when its time is up, unless stop()
//   comes first. Thread-safe. false when the queue is stopped or
//   its thread could not start: the caller then enqueues the request itself.
// - stop(): idempotent. Completes every held request at once with
//   -ECANCELED (it never entered the kernel), then joins the timer thread, so no stalled request and no thread
//   of ours outlives the ring: its completion has been sent when stop()
//   returns (the ring stops this queue before its core). Called on the timer
//   thread itself (cannot happen today), it detaches instead of joining.
class stall_queue {
 public:
  explicit stall_queue(std::shared_ptr<ring_core> core) : core_(std::move(core)) {}
  ~stall_queue() { stop(); }

  stall_queue(const stall_queue&) = delete;
  stall_queue& operator=(const stall_queue&) = delete;

  bool hold(const request_args& a, caf::actor target, uint32_t ms);
  void stop();

  size_t held() const;  // requests waiting now (tests)

 private:
  using clock = std::chrono::steady_clock;
  struct entry {
    request_args args;
    caf::actor target;
  };
  void run();

  const std::shared_ptr<ring_core> core_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::multimap<clock::time_point, entry> held_;  // guarded by mu_; earliest first
  bool stopping_ = false;                         // guarded by mu_
  std::thread thread_;                            // started under mu_ by the first hold()
};

}  // namespace stmfd::io::detail
