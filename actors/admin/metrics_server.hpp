#pragma once
// The Prometheus endpoint (config `metrics`, wire/config.capnp): GET
// /metrics over HTTP/1.1 on its own thread (a kj event loop), answering
// render_metrics() of what `source` returns (the daemon's: STMF's
// statistics through the admin link, asked from this thread, never from a
// CAF worker). Other paths answer 404, other methods 405; a source error
// answers 503 with the reason. Off unless the config names an address.
#include <functional>
#include <string>

#include "actors/admin/kj_thread.hpp"
#include "actors/stmf/stmf_stats.hpp"

namespace stmfd::admin {

class metrics_server {
 public:
  // Fills `out` or sets `error`.
  using source = std::function<void(stats_list& out, std::string& error)>;

  metrics_server() = default;
  metrics_server(const metrics_server&) = delete;
  metrics_server& operator=(const metrics_server&) = delete;
  ~metrics_server() = default;

  // Listens on `address` ("a.b.c.d:port", "[v6]:port"); empty on success,
  // else why not (nothing is left running then).
  std::string start(const std::string& address, source src);
  void stop() { loop_.stop(); }

 private:
  kj_thread loop_;
};

}  // namespace stmfd::admin
