#pragma once
// The iSCSI port provider actor (COMSTAR iscsit): listens on every portal,
// accepts connections through the io ring and spawns one connection actor
// per accepted socket, linked to itself so that a provider failure drops its
// connections (architecture.md: "a port provider fails -> its connections
// drop, the listener comes back" when STMF restarts it).
//
// Bounds (config `limits`): at most maxConnections connections and, of
// those, maxLoggingIn still in the login phase; a socket accepted beyond
// either is closed at once (and counted in the log). After an accept error
// that means the daemon is short of descriptors or memory the listener
// waits (accept_backoff) instead of retrying in a tight loop. Every second
// it lets the buffer pool give idle memory back to the kernel.
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/event_based_actor.hpp>

#include "actors/common/fwd.hpp"
#include "actors/contracts/port_identity.hpp"
#include "io/ring.hpp"
#include "plugins/port/iscsi/accept_backoff.hpp"
#include "plugins/port/iscsi/port_config.hpp"

namespace stmfd::iscsi {

class port_actor : public caf::event_based_actor {
 public:
  port_actor(caf::actor_config& cfg, std::shared_ptr<io::ring> ring, caf::actor stmf,
             std::shared_ptr<const port_context> ctx, std::shared_ptr<const std::vector<local_port>> local_ports);
  ~port_actor() override;
  caf::behavior make_behavior() override;
  // Any ending (exit request, failure, kill) closes the listeners.
  void on_exit() override;
  const char* name() const override { return "iscsi_port"; }

 private:
  void accept_next(size_t listener);
  void on_accepted(size_t listener, int32_t result);
  void on_tick();
  void stop_listening();
  // A live change (atoms.hpp reconfigure_atom): new connections get `ctx`
  // and `ports`; portals new to it listen, portals gone close; sessions
  // of targets gone or offline are logged out. Others are untouched.
  void reconfigure(std::shared_ptr<const port_context> ctx, std::shared_ptr<const std::vector<local_port>> ports);
  // Adds a listener for `portal` (bound at once, or retried); false when
  // the portal is malformed.
  bool add_listener(const std::string& portal);

  struct listener {
    std::string portal;
    int fd = -1;  // -1: not bound yet (retried on ticks) or closed
    accept_backoff backoff;
    uint32_t bind_delay_s = 1;      // next wait before binding again (doubles to 60 s)
    uint32_t bind_countdown_s = 0;  // seconds until the next try
  };
  // Binds listener i; on failure schedules the next try. True when bound.
  bool bind(size_t i);
  std::shared_ptr<io::ring> ring_;
  caf::actor stmf_;
  std::shared_ptr<const port_context> ctx_;
  std::shared_ptr<const std::vector<local_port>> local_ports_;  // one per target, ids from the framework
  std::vector<listener> listeners_;
  bool stopping_ = false;
  // Live connections (monitored): true while still logging in.
  std::unordered_map<caf::actor_addr, bool> connections_;
  size_t logging_in_ = 0;
  uint64_t refused_ = 0;  // sockets closed at a limit since the last log line
  uint64_t refused_total_ = 0;
};

using port_context_ptr = std::shared_ptr<const port_context>;
using local_ports_ptr = port_list;  // a message type of actors/common/fwd.hpp

// Splits "host:port" / "[v6]:port"; false when malformed.
bool split_portal(const std::string& portal, std::string& host, uint16_t& port);

}  // namespace stmfd::iscsi

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(stmfd::iscsi::port_context_ptr)
