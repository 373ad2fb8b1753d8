#include "actors/model/lu_state.hpp"

namespace stmfd {

namespace {
std::string duration_text(std::chrono::milliseconds d) {
  if (d.count() % 1000 == 0) return std::to_string(d.count() / 1000) + " s";
  return std::to_string(d.count()) + " ms";
}
}  // namespace

std::string_view to_string(lu_state s) {
  switch (s) {
    case lu_state::online: return "online";
    case lu_state::restarting: return "restarting";
    case lu_state::failed: return "failed";
    case lu_state::offline: return "offline";
  }
  return "unknown";
}

std::chrono::milliseconds lu_status::attempt_failed(std::string reason) {
  state_ = lu_state::failed;
  reason_ = std::move(reason);
  return policy_.attempt_failed();
}

void lu_status::started() {
  state_ = lu_state::online;
  reason_.clear();
}

std::optional<std::chrono::milliseconds> lu_status::crashed(const std::string& reason, time_point now) {
  auto delay = policy_.crashed(now);
  if (!delay) {
    state_ = lu_state::restarting;
    reason_ = reason;
    return std::nullopt;
  }
  state_ = lu_state::failed;
  reason_ = "too many restarts (limit " + std::to_string(policy_.limits().max_restarts) + " within " +
            duration_text(policy_.limits().window) + "); last failure: " + reason;
  return delay;
}

void lu_status::offline(std::string reason) {
  state_ = lu_state::offline;
  reason_ = std::move(reason);
}

}  // namespace stmfd
