#include "actors/admin/login_throttle.hpp"

#include <algorithm>

namespace stmfd::admin {

std::chrono::milliseconds login_throttle::locked_for(const std::string& peer, clock::time_point now) const {
  auto it = peers_.find(peer);
  if (it == peers_.end() || it->second.locked_until <= now) return std::chrono::milliseconds(0);
  // Rounded up: a caller told "0 ms" may try again at once.
  return std::chrono::ceil<std::chrono::milliseconds>(it->second.locked_until - now);
}

void login_throttle::failed(const std::string& peer, clock::time_point now) {
  prune(now);
  if (!peers_.count(peer) && peers_.size() >= limits_.max_peers) {
    auto oldest = std::min_element(peers_.begin(), peers_.end(),
                                   [](auto& a, auto& b) { return a.second.last_failure < b.second.last_failure; });
    peers_.erase(oldest);
  }
  auto& p = peers_[peer];
  ++p.failures;
  p.last_failure = now;
  if (p.failures < limits_.free_failures) return;
  // The free_failures-th failure locks for first_lockout, each later one
  // for twice the previous, up to max_lockout.
  auto lockout = limits_.first_lockout;
  for (uint32_t i = limits_.free_failures; i < p.failures && lockout < limits_.max_lockout; ++i) lockout *= 2;
  p.locked_until = now + std::min(lockout, limits_.max_lockout);
}

void login_throttle::prune(clock::time_point now) {
  for (auto it = peers_.begin(); it != peers_.end();) {
    bool stale = it->second.last_failure + limits_.forget_after <= now && it->second.locked_until <= now;
    it = stale ? peers_.erase(it) : std::next(it);
  }
}

}  // namespace stmfd::admin
