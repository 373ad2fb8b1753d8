#pragma once
// The framework's event stream (wire/admin.capnp `subscribe`): STMF
// publishes logins, logouts, LU state changes and recoveries; each admin
// subscription drains its own bounded queue on the admin thread.
//
// STMF never waits for a subscriber: publish() takes a short mutex, appends
// to each subscriber's queue (at most `capacity` events; when full the
// oldest is dropped and counted) and wakes the subscriber's thread through
// a callback it registered (the admin side fulfils a kj cross-thread
// promise there). A subscriber that stops reading only loses its own
// oldest events. Subscribers are held weakly: dropping the last handle
// ends the subscription.
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "actors/model/lu_state.hpp"

namespace stmfd {

struct event_record {
  enum class kind : uint8_t { login, logout, lu_state, recovery };
  kind what = kind::recovery;
  uint64_t time_ns = 0;  // CLOCK_REALTIME
  // login / logout
  uint64_t nexus = 0;
  std::string initiator_name, initiator_port, target;
  // lu_state
  std::string lu;
  lu_state state = lu_state::offline;
  std::string reason;  // lu_state: why not online; recovery: what was recovered
};

class event_subscriber {
 public:
  explicit event_subscriber(size_t capacity) : capacity_(capacity) {}
  // Moves the queued events into `out` and returns how many were dropped
  // since the last take (0 if none).
  uint64_t take(std::vector<event_record>& out);
  // Called (from the publishing thread) when the queue was empty and an
  // event arrived; replaced on each call, cleared with nullptr.
  void on_ready(std::function<void()> wake);

 private:
  friend class event_hub;
  void push(const event_record& e);
  std::mutex mutex_;
  std::deque<event_record> queue_;
  size_t capacity_;
  uint64_t dropped_ = 0;
  std::function<void()> wake_;
};

class event_hub {
 public:
  static constexpr size_t default_capacity = 1024;
  std::shared_ptr<event_subscriber> subscribe(size_t capacity = default_capacity);
  // Stamps time_ns when 0.
  void publish(event_record e);

 private:
  std::mutex mutex_;
  std::vector<std::weak_ptr<event_subscriber>> subscribers_;
};

// Convenience builders for STMF.
event_record lu_state_event(const std::string& lu, lu_state state, const std::string& reason);
event_record recovery_event(const std::string& what);

}  // namespace stmfd
