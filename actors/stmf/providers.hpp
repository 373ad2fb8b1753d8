#pragma once
// Provider registry (COMSTAR's lpif/portif registration): the daemon's main
// registers every LU and port provider explicitly; STMF starts LUs and ports
// only through these entries, so a new provider (tape, changer, FC) is one
// registration, not a change to STMF. No global constructors.
//
// Interface version 1. Fields are set by the provider when it registers;
// STMF never changes them. A spawned actor is monitored by STMF, which
// restarts it through the same entry.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <caf/actor.hpp>
#include <caf/local_actor.hpp>

#include "actors/lu/backing_store.hpp"
#include "actors/lu/lu_definition.hpp"
#include "io/ring.hpp"

namespace stmfd {

constexpr uint32_t provider_interface_version = 1;

// What STMF hands an LU provider to start (or restart) one LU.
struct lu_start {
  const lu_definition& def;
  std::shared_ptr<backing_store> store;  // owned by STMF: survives restarts
  std::shared_ptr<io::ring> ring;        // the ring this LU submits to
  bool power_on_ua;                      // a restart: report POWER ON 29/00 to every nexus
};

struct lu_provider {
  std::string name;  // matched against lu_definition::provider ("sbd")
  uint32_t version = provider_interface_version;
  std::function<caf::actor(caf::local_actor& stmf, const lu_start&)> spawn;
};

struct port_provider {
  std::string name;  // "iscsi"
  uint32_t version = provider_interface_version;
  // The provider's own configuration is captured at registration.
  std::function<caf::actor(caf::local_actor& stmf, std::shared_ptr<io::ring> ring, caf::actor stmf_handle)> spawn;
};

class provider_registry {
 public:
  // False (and nothing registered) for a duplicate name or another version.
  bool add(lu_provider p);
  bool add(port_provider p);
  const lu_provider* lu(std::string_view name) const;
  const std::vector<port_provider>& ports() const { return ports_; }

 private:
  std::vector<lu_provider> lus_;
  std::vector<port_provider> ports_;
};

}  // namespace stmfd
