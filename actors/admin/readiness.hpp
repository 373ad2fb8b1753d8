#pragma once
// Service readiness for systemd (Type=notify, sd_notify(3)): READY=1 is
// sent only once the admin socket is served (the caller starts this after
// it) and every configured portal is listening in this process. A portal
// that cannot be bound (its port taken) keeps the daemon from reporting
// ready, with a STATUS= line saying which: systemd's start timeout then
// fails the unit rather than report a target that serves nothing.
// Without $NOTIFY_SOCKET (not started by systemd) nothing is done.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace stmfd::admin {

// Whether this process holds a listening TCP socket bound to each address
// ("a.b.c.d:port" or "[v6]:port", numeric, as the config loader stores
// portals; 0.0.0.0 and [::] are the wildcard binds). Reads /proc/net/tcp,
// /proc/net/tcp6 and /proc/self/fd. The first address not listening is
// put in `missing`.
bool listening_here(const std::vector<std::string>& addresses, std::string* missing = nullptr);

class readiness_notifier {
 public:
  readiness_notifier() = default;
  readiness_notifier(const readiness_notifier&) = delete;
  readiness_notifier& operator=(const readiness_notifier&) = delete;
  ~readiness_notifier() { stop(); }

  // Polls every 50 ms on a thread of its own until every portal listens,
  // then notifies READY=1 with a STATUS line. No-op without NOTIFY_SOCKET.
  void start(std::vector<std::string> portals);
  void stop();

 private:
  std::thread thread_;
  std::atomic<bool> stop_{false};
};

// sd_notify wrappers (no-ops without NOTIFY_SOCKET).
void notify_reloading();
void notify_ready(const std::string& status);
void notify_stopping();

}  // namespace stmfd::admin
