#include "io/detail/stall_queue.hpp"

#include <cerrno>
#include <system_error>
#include <vector>

namespace stmfd::io::detail {

bool stall_queue::hold(const request_args& a, caf::actor target, uint32_t ms) {
  std::lock_guard<std::mutex> lk(mu_);
  if (stopping_) return false;
  if (!thread_.joinable()) {
    try {
      thread_ = std::thread([this] { run(); });
    } catch (const std::system_error&) {
      return false;
    }
  }
  held_.emplace(clock::now() + std::chrono::milliseconds(ms), entry{a, std::move(target)});
  cv_.notify_one();
  return true;
}

void stall_queue::stop() {
  std::thread t;
  {
    std::lock_guard<std::mutex> lk(mu_);
    stopping_ = true;
    t = std::move(thread_);
  }
  cv_.notify_one();
  if (!t.joinable()) return;
  if (t.get_id() == std::this_thread::get_id())
    t.detach();
  else
    t.join();
}

size_t stall_queue::held() const {
  std::lock_guard<std::mutex> lk(mu_);
  return held_.size();
}

// Waits for the earliest deadline (or stop), then hands what is due to the
// core outside the lock (enqueue may complete inline and send a message);
// once stopping, what is still held completes with -ECANCELED instead.
void stall_queue::run() {
  std::vector<entry> due;
  std::unique_lock<std::mutex> lk(mu_);
  for (;;) {
    if (!stopping_) {
      if (held_.empty())
        cv_.wait(lk);
      else
        cv_.wait_until(lk, held_.begin()->first);
    }
    const auto now = clock::now();
    while (!held_.empty() && (stopping_ || held_.begin()->first <= now)) {
      due.push_back(std::move(held_.begin()->second));
      held_.erase(held_.begin());
    }
    const bool done = stopping_ && held_.empty();
    const bool cancel = stopping_;
    lk.unlock();
    for (auto& e : due) {
      if (!cancel) {
        core_->enqueue(e.args, std::move(e.target));
        continue;
      }
      core_->count_submitted();  // never entered the kernel: cancelled, as the ring's contract says
      core_->complete_now(e.target, e.args.cookie, -ECANCELED);
    }
    due.clear();
    if (done) return;
    lk.lock();
  }
}

}  // namespace stmfd::io::detail
