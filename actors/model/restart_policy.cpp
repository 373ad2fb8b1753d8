#include "actors/model/restart_policy.hpp"

#include <algorithm>

namespace stmfd {

std::optional<std::chrono::milliseconds> restart_policy::crashed(time_point now) {
  while (!recent_.empty() && now - recent_.front() > limits_.window) recent_.pop_front();
  if (recent_.empty()) delays_ = 0;  // it ran a whole window without failing
  recent_.push_back(now);
  if (recent_.size() <= limits_.max_restarts) return std::nullopt;
  return next_delay();
}

std::chrono::milliseconds restart_policy::attempt_failed() { return next_delay(); }

std::chrono::milliseconds restart_policy::next_delay() {
  auto d = limits_.first_delay;
  for (uint32_t i = 0; i < delays_ && d < limits_.max_delay; ++i) d *= 2;
  ++delays_;
  return std::min(d, limits_.max_delay);
}

}  // namespace stmfd
