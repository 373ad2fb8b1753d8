#pragma once
// The admin interface over TCP (Config.admin, wire/config.capnp): TLS
// (kj-tls; the server presents the configured certificate) and a token
// gate per connection (admin_auth.hpp). Lives on the admin server's kj
// thread. Bounded: at most `max_connections` clients at once (more are
// closed at accept), and a TLS handshake that does not finish within
// 10 s is dropped. Failed token logins are rate limited per client
// address (login_throttle.hpp).
#include <memory>
#include <string>

#include <kj/async-io.h>
#include <kj/compat/tls.h>

#include "actors/admin/admin_auth.hpp"
#include "actors/admin/login_throttle.hpp"
#include "wire/admin.capnp.h"

namespace stmfd::admin {

// Config.admin, as loaded (paths absolute).
struct tcp_settings {
  std::string listen;  // "a.b.c.d:port" or "[v6]:port"
  std::string certificate_path, key_path, token_path;
};

class tcp_admin : private kj::TaskSet::ErrorHandler {
 public:
  static constexpr unsigned max_connections = 16;

  // `inner` serves the calls a connection's gate lets through; it must
  // outlive this object.
  tcp_admin(kj::AsyncIoContext& io, wire::admin::Admin::Server& inner);
  ~tcp_admin();

  // Reads the certificate, key and token and binds the listener. Empty on
  // success, else why not (nothing is served then).
  std::string setup(const tcp_settings& settings);
  // Accepts clients until the promise is dropped.
  kj::Promise<void> run();
  // The bound port (after setup; useful when `listen` asked for port 0).
  unsigned port();

 private:
  void taskFailed(kj::Exception&& e) override;
  kj::Promise<void> accept_loop();
  kj::Promise<void> serve(kj::Own<kj::AsyncIoStream> stream);

  kj::AsyncIoContext& io_;
  wire::admin::Admin::Server& inner_;
  std::unique_ptr<admin_token> token_;
  login_throttle throttle_;  // failed token logins per client address
  kj::Maybe<kj::TlsKeypair> keypair_;
  kj::Own<kj::TlsContext> tls_;
  kj::Own<kj::ConnectionReceiver> listener_;
  unsigned connections_ = 0;
  kj::TaskSet tasks_;
};

}  // namespace stmfd::admin
