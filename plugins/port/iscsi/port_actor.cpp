#include "plugins/port/iscsi/port_actor.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include <caf/all.hpp>

#include "actors/common/faults.hpp"
#include "actors/common/fwd.hpp"
#include "actors/common/log.hpp"
#include "io/buffer_pool.hpp"
#include "io/completion.hpp"
#include "io/socket.hpp"
#include "plugins/port/iscsi/atoms.hpp"
#include "plugins/port/iscsi/connection.hpp"

namespace stmfd::iscsi {

bool split_portal(const std::string& portal, std::string& host, uint16_t& port) {
  auto colon = portal.rfind(':');
  if (colon == std::string::npos || colon + 1 >= portal.size()) return false;
  host = portal.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  unsigned long v = 0;
  for (char c : portal.substr(colon + 1)) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + unsigned(c - '0');
    if (v > 65535) return false;
  }
  port = uint16_t(v);
  return true;
}

port_actor::port_actor(caf::actor_config& cfg, std::shared_ptr<io::ring> ring, caf::actor stmf,
                       std::shared_ptr<const port_context> ctx,
                       std::shared_ptr<const std::vector<local_port>> local_ports)
    : caf::event_based_actor(cfg),
      ring_(std::move(ring)),
      stmf_(std::move(stmf)),
      ctx_(std::move(ctx)),
      local_ports_(std::move(local_ports)) {}

port_actor::~port_actor() {
  for (auto& l : listeners_)
    if (l.fd >= 0) ::close(l.fd);
}

bool port_actor::add_listener(const std::string& portal) {
  std::string host;
  uint16_t port = 0;
  if (!split_portal(portal, host, port)) return false;
  listeners_.push_back({portal, -1, accept_backoff{}});
  // A portal that cannot be bound (its address not up yet, the port taken)
  // is reported and retried with back-off; the other portals serve.
  if (bind(listeners_.size() - 1)) accept_next(listeners_.size() - 1);
  return true;
}

void port_actor::reconfigure(port_context_ptr ctx, local_ports_ptr ports) {
  if (stopping_) return;
  for (auto& l : listeners_) {  // portals gone: closed (the slot stays: indices are accept cookies)
    if (l.portal.empty()) continue;
    if (std::find(ctx->portals.begin(), ctx->portals.end(), l.portal) != ctx->portals.end()) continue;
    log::info("iscsi: no longer listening on {}", l.portal);
    if (l.fd >= 0) ring_->close_fd(l.fd);
    l.fd = -1;
    l.portal.clear();
  }
  for (auto& portal : ctx->portals) {
    bool have = false;
    for (auto& l : listeners_) have = have || l.portal == portal;
    if (!have && !add_listener(portal)) log::error("iscsi: bad portal '{}'", portal);
  }
  // Targets gone or offline: their sessions are asked to log out.
  for (auto& t : ctx_->directory.targets()) {
    auto* now = ctx->directory.find(t.info.name);
    if (now != nullptr && now->online) continue;
    for (auto& [addr, logging_in] : connections_)
      if (auto c = caf::actor_cast<caf::actor>(addr)) send(c, reconfigure_atom::value, t.info.name);
  }
  ctx_ = std::move(ctx);
  local_ports_ = std::move(ports);
}

caf::behavior port_actor::make_behavior() {
  for (auto& portal : ctx_->portals)
    if (!add_listener(portal)) {
      log::error("iscsi: bad portal '{}'", portal);
      quit(caf::make_error(caf::sec::invalid_argument, "bad portal " + portal));
      return {};
    }
  set_exit_handler([this](caf::exit_msg& m) {
    // Links run both ways: a connection ending (even by failure) must not
    // take the provider down; only STMF's exit request does.
    if (m.source != stmf_.address()) return;
    quit(m.reason);
  });
  set_down_handler([this](caf::down_msg& m) {
    auto it = connections_.find(m.source);
    if (it == connections_.end()) return;
    if (it->second) --logging_in_;
    connections_.erase(it);
    io::buffer_pool::global().request_trim();  // its memory went back to the heap
  });
  delayed_send(this, std::chrono::seconds(1), tick_atom::value);
  return {
      [this](const io::completion& c) {
        if (stopping_) return;
        on_accepted(size_t(c.cookie), c.result);
      },
      [this](retry_atom, size_t i) {
        if (!stopping_ && i < listeners_.size()) accept_next(i);
      },
      [this](logged_in_atom) {
        auto it = connections_.find(caf::actor_cast<caf::actor_addr>(current_sender()));
        if (it != connections_.end() && it->second) {
          it->second = false;
          --logging_in_;
        }
      },
      [this](cold_reset_atom, const std::string& target) {
        for (auto& [addr, logging_in] : connections_)
          if (auto c = caf::actor_cast<caf::actor>(addr)) send(c, cold_reset_atom::value, target);
      },
      [this](tick_atom) {
        on_tick();
        if (!stopping_) delayed_send(this, std::chrono::seconds(1), tick_atom::value);
      },
      [this](get_atom, stats_atom) {
        return std::vector<uint64_t>{connections_.size(), logging_in_, refused_total_};
      },
      [this](shutdown_atom) { quit(); },
      [this](reconfigure_atom, port_context_ptr& ctx, local_ports_ptr& ports) {
        reconfigure(std::move(ctx), std::move(ports));
      },
  };
}

void port_actor::on_accepted(size_t i, int32_t result) {
  if (i >= listeners_.size()) return;
  auto& l = listeners_[i];
  if (result == -ECANCELED) return;
  if (l.portal.empty()) {  // removed by a live change while this accept was in flight
    if (result >= 0) ::close(result);
    return;
  }
  if (result < 0) {
    auto delay = l.backoff.after_error(-result);
    if (delay.count() == 0) {
      log::warn("iscsi: accept on {} failed: {}", l.portal, std::strerror(-result));
      accept_next(i);
    } else {
      // Out of descriptors or memory: accepting again at once would fail
      // again at once. Wait, longer each time, until one succeeds.
      log::warn("iscsi: accept on {} failed: {}; next try in {} ms", l.portal, std::strerror(-result), delay.count());
      delayed_send(this, delay, retry_atom::value, i);
    }
    return;
  }
  l.backoff.after_success();
  int fd = result;
  if (faults::hit(faults::point::port_iscsi)) {  // the provider fails; its linked connections go with it
    ::close(fd);
    quit(caf::make_error(caf::sec::runtime_error, "fault injected: port.iscsi"));
    return;
  }
  auto& s = ctx_->settings;
  if (connections_.size() >= s.max_connections || logging_in_ >= s.max_logging_in) {
    // Over limits.maxConnections / maxLoggingIn: closed before it costs
    // anything; logged once here, then summed up every second.
    if (refused_total_++ == 0 || refused_ == 0)
      log::warn("iscsi: {} connections ({} logging in): refusing {} (limits {}/{})", connections_.size(), logging_in_,
                socket_address(fd, false), s.max_connections, s.max_logging_in);
    ++refused_;
    ::close(fd);
  } else {
    io::set_tcp_options(fd);
    auto conn = spawn<connection, caf::linked>(fd, ring_, stmf_, ctx_, local_ports_, socket_address(fd, false),
                                               address(), listeners_[i].portal);
    monitor(conn);
    connections_.emplace(conn.address(), true);
    ++logging_in_;
  }
  accept_next(i);
}

bool port_actor::bind(size_t i) {
  auto& l = listeners_[i];
  std::string host;
  uint16_t port = 0;
  split_portal(l.portal, host, port);  // checked when the provider started
  auto res = io::listen_tcp(host, port);
  if (res.fd >= 0) {
    l.fd = res.fd;
    l.bind_delay_s = 1;
    log::info("iscsi: listening on {}", l.portal);
    return true;
  }
  l.bind_countdown_s = l.bind_delay_s;
  log::error("iscsi: cannot listen on {}: {}; trying again in {} s", l.portal, res.error, l.bind_delay_s);
  l.bind_delay_s = std::min<uint32_t>(l.bind_delay_s * 2, 60);
  return false;
}

void port_actor::on_tick() {
  for (size_t i = 0; i < listeners_.size(); ++i) {
    auto& l = listeners_[i];
    if (l.fd < 0 && !stopping_ && !l.portal.empty() && l.bind_countdown_s > 0 && --l.bind_countdown_s == 0 && bind(i))
      accept_next(i);
  }
  for (auto& [addr, logging_in] : connections_)  // login timeouts, NOP-In pings
    if (auto c = caf::actor_cast<caf::actor>(addr)) send(c, tick_atom::value);
  if (refused_ > 1)
    log::warn("iscsi: refused {} more connections in the last second ({} open, {} logging in)", refused_ - 1,
              connections_.size(), logging_in_);
  refused_ = 0;
  io::buffer_pool::global().trim_if_idle();
}

void port_actor::on_exit() {
  stop_listening();
  stmf_ = nullptr;  // STMF holds ours: no cycle once we are gone
}

// Each listener leaves the LISTEN state here, before this actor's down
// message goes out (on_exit runs first): STMF restarts the provider at once
// and its new listener binds the same portal at the first try (SO_REUSEADDR
// allows it once no socket listens there). The pending accept fails then.
// The ring cancels the pending accepts and closes each listener after the
// cancel ran, so a reused fd number can never be hit by a late cancel.
void port_actor::stop_listening() {
  stopping_ = true;
  for (auto& l : listeners_) {
    if (l.fd >= 0) {
      ::shutdown(l.fd, SHUT_RDWR);
      ring_->close_fd(l.fd);
    }
    l.fd = -1;
  }
}

void port_actor::accept_next(size_t i) {
  if (listeners_[i].fd < 0) return;  // closed (removed portal) or not bound yet
  ring_->accept(listeners_[i].fd, caf::actor_cast<caf::actor>(this), uint64_t(i));
}

}  // namespace stmfd::iscsi
