#pragma once
// The iSCSI port provider actor (COMSTAR iscsit): listens on every portal,
// accepts connections through the io ring and spawns one connection actor
// per accepted socket, linked to itself so that a provider failure drops its
// connections (architecture.md: "a port provider fails -> its connections
// drop, the listener comes back" when STMF restarts it).
#include <memory>
#include <string>
#include <vector>

#include <caf/event_based_actor.hpp>

#include "actors/contracts/port_identity.hpp"
#include "io/ring.hpp"
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
  void stop_listening();

  struct listener {
    std::string portal;
    int fd = -1;
  };
  std::shared_ptr<io::ring> ring_;
  caf::actor stmf_;
  std::shared_ptr<const port_context> ctx_;
  std::shared_ptr<const std::vector<local_port>> local_ports_;  // one per target, ids from the framework
  std::vector<listener> listeners_;
  bool stopping_ = false;
};

// Splits "host:port" / "[v6]:port"; false when malformed.
bool split_portal(const std::string& portal, std::string& host, uint16_t& port);

}  // namespace stmfd::iscsi
