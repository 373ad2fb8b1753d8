#pragma once
// How long a listener waits before accepting again after accept() failed.
// Errors that mean the daemon itself is short of descriptors or memory
// (EMFILE, ENFILE, ENOBUFS, ENOMEM) would fail again at once: the delay
// starts at 10 ms and doubles up to 1 s, and the first success resets it.
// Any other error belongs to the one connection that failed (ECONNABORTED,
// EPERM from a firewall, ...): accept again at once.
#include <algorithm>
#include <cerrno>
#include <chrono>

namespace stmfd::iscsi {

class accept_backoff {
 public:
  using duration = std::chrono::milliseconds;
  static constexpr duration first = duration(10);
  static constexpr duration most = duration(1000);

  static bool is_resource_error(int err) { return err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM; }
  // The wait before the next accept after one failed with errno `err`.
  duration after_error(int err) {
    if (!is_resource_error(err)) return duration(0);
    next_ = next_.count() == 0 ? first : std::min(next_ * 2, most);
    return next_;
  }
  void after_success() { next_ = duration(0); }
  duration current() const { return next_; }

 private:
  duration next_{0};
};

}  // namespace stmfd::iscsi
