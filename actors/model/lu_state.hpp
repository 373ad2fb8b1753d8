#pragma once
// The state of one LU as STMF keeps it and the admin interface reports it
// (COMSTAR's LU online/offline, plus the framework's recovery states), and
// the transitions STMF drives. Pure: time comes in as an argument.
//
//   offline -> online              started (the store opened, the provider made a core)
//   offline -> failed              the store could not be opened: tried again after a delay
//   failed -> online               a later attempt succeeded
//   online -> restarting -> online its actor died and was restarted at once
//   online -> failed               its actor died too often (restart_policy): tried again after a delay
//   any -> offline                 given up: no registered provider serves the definition
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "actors/model/restart_policy.hpp"

namespace stmfd {

enum class lu_state : uint8_t {
  online,      // its actor runs and serves
  restarting,  // its actor died; a new one is being started from the definition
  failed,      // not serving; brought up again after a back-off delay (reason says why)
  offline,     // not serving and not tried again (reason says why; "not started" at first)
};

std::string_view to_string(lu_state s);

class lu_status {
 public:
  using time_point = restart_policy::time_point;

  explicit lu_status(retry_limits limits = {}) : policy_(limits) {}

  lu_state state() const { return state_; }
  // Why the LU is not online (the last failure); empty when online.
  const std::string& reason() const { return reason_; }
  // Attempts that failed since the LU last served without failing for a
  // restart window.
  uint32_t failed_attempts() const { return policy_.delays(); }

  // Bringing the LU up failed before it ran: failed; returns the delay
  // before the next attempt.
  std::chrono::milliseconds attempt_failed(std::string reason);
  // Its actor was started: online.
  void started();
  // Its actor died at `now`: restarting, to be restarted at once (nullopt),
  // or, in a crash loop, failed with the delay before the next attempt.
  std::optional<std::chrono::milliseconds> crashed(const std::string& reason, time_point now);
  // Not tried again: offline.
  void offline(std::string reason);

 private:
  lu_state state_ = lu_state::offline;
  std::string reason_ = "not started";
  restart_policy policy_;
};

}  // namespace stmfd
