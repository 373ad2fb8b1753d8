#pragma once
// Provider registry (COMSTAR's lpif/portif registration): the daemon's main
// registers every LU and port provider explicitly; STMF starts LUs and ports
// only through these entries, so a new provider (tape, changer, FC) is one
// registration, not a change to STMF. No global constructors.
//
// The contracts themselves are actors/contracts/lu_provider.hpp and
// actors/contracts/port_provider.hpp. The registry refuses a provider of
// another interface version or a duplicate name, and assigns every local
// port its relative target port identifier (SPC-4: unique in the target
// device, from 1), then asks the provider to describe it.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "actors/contracts/lu_provider.hpp"
#include "actors/contracts/port_provider.hpp"

namespace stmfd {

class provider_registry {
 public:
  // False (and nothing registered) for a duplicate name, another version,
  // or a provider without its functions.
  bool add(lu_provider p);
  bool add(port_provider p);
  const lu_provider* lu(std::string_view name) const;
  const std::vector<port_provider>& ports() const { return ports_; }
  // Every registered local port, in registration order.
  std::vector<local_port> local_ports() const;

  // Live changes (port_provider::reconfigure): each provider that takes
  // them gets `cfg` and its ports are replaced by the ones it returns. A
  // target name the registry knew keeps its relative port identifier (also
  // one deleted and created again), its online and link state; new names get the
  // next free one; identifiers are never given to another name. False when
  // the identifiers ran out (nothing changed then).
  bool reconfigure(wire::cfg::Config::Reader cfg);
  // stmfadm online-target / offline-target: sets local_port::online of the
  // port named `target` (case-insensitive); false when there is none.
  bool set_online(std::string_view target, bool online);
  // A provider's link report (port_provider.hpp port_link_atom): sets
  // local_port::link_up of the port with this relative identifier. True
  // when that changed it; false for no change or no such port.
  bool set_link(uint16_t relative_port_id, bool up);

 private:
  uint16_t id_for(const std::string& target_name);
  std::vector<lu_provider> lus_;
  std::vector<port_provider> ports_;
  uint16_t next_relative_port_ = 1;
  std::map<std::string, uint16_t> ids_;  // folded target name -> its relative port identifier
};

}  // namespace stmfd
