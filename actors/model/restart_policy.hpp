#pragma once
// When STMF tries a failed child again (architecture.md, "Supervision and
// failed-operation recovery"). Pure: time comes in as an argument.
//
// Two kinds of failure:
//  - a child that ran and died (an LU or port actor): restarted at once,
//    unless it died more than `max_restarts` times within `window`; then
//    it waits a back-off delay first, so a crash loop costs little and the
//    rest of the daemon keeps serving;
//  - an attempt that could not start at all (a backing store that cannot
//    be opened, a portal that cannot be bound): always waits a delay.
// Delays start at `first_delay` and double with each one handed out, up
// to `max_delay`. They start over once the child has run a whole `window`
// without failing.
#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>

namespace stmfd {

struct retry_limits {
  std::chrono::milliseconds first_delay{1000};
  std::chrono::milliseconds max_delay{60000};
  size_t max_restarts = 5;  // immediate restarts allowed within window
  std::chrono::milliseconds window{30000};
};

class restart_policy {
 public:
  using time_point = std::chrono::steady_clock::time_point;

  explicit restart_policy(retry_limits limits = {}) : limits_(limits) {}

  // The child died at `now`: nullopt to restart it at once, else the delay
  // to wait before restarting it.
  std::optional<std::chrono::milliseconds> crashed(time_point now);
  // An attempt failed before the child ran: the delay before the next one.
  std::chrono::milliseconds attempt_failed();

  // Delays handed out since the back-off last started over.
  uint32_t delays() const { return delays_; }
  const retry_limits& limits() const { return limits_; }

 private:
  std::chrono::milliseconds next_delay();

  retry_limits limits_;
  std::deque<time_point> recent_;  // crashes within the last window
  uint32_t delays_ = 0;
};

}  // namespace stmfd
