#pragma once
// The admin server: wire/admin.capnp served over a Unix socket on a thread
// of its own (a kj event loop), so admin calls never run on, or wait for,
// the CAF workers and io rings of the data path.
//
// The socket: its directory is created 0700 when missing, the socket is
// made 0600 (only the daemon's user, root in production, may connect). A
// socket file left by a dead daemon is replaced; one a live daemon answers
// on is left alone and start() fails (the caller logs it and serves
// without an admin interface).
//
// TCP (Config.admin.listen): served on the same thread, only with TLS and
// a token (admin_tcp.hpp); a TCP listener that cannot be set up fails
// start(), and the daemon refuses to run.
#include <functional>
#include <string>

#include "actors/admin/admin_service.hpp"
#include "actors/admin/admin_tcp.hpp"
#include "actors/admin/kj_thread.hpp"

namespace stmfd::admin {

class admin_server {
 public:
  admin_server() = default;
  admin_server(const admin_server&) = delete;
  admin_server& operator=(const admin_server&) = delete;
  ~admin_server() { stop(); }

  // Binds `socket_path` (empty: no Unix socket) and, when `tcp` is given,
  // the TCP listener, and starts serving `service` (which must outlive
  // stop()). Empty on success, else why not (then nothing is served).
  std::string start(const std::string& socket_path, admin_service& service, const tcp_settings* tcp = nullptr);
  // The TCP listener's port (0 when none).
  unsigned tcp_port() const { return tcp_port_; }
  // Stops serving, joins the thread and removes the socket file.
  void stop();
  // Runs `fn` on the admin thread between two requests and waits for it
  // (the admin service is not thread-safe: SIGHUP's reload goes through
  // here); runs it on the calling thread when the server is not running.
  void run_exclusive(const std::function<void()>& fn);

 private:
  kj_thread loop_;
  std::string path_;
  unsigned tcp_port_ = 0;
};

}  // namespace stmfd::admin
