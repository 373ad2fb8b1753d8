#pragma once
// The Fibre Channel port provider (COMSTAR's fct) behind the port provider
// contract (actors/contracts/port_provider.hpp): one local port per
// configured FC port, target name "wwn.<WWPN>", served on its HBA by a
// local port actor (lport_actor) under the provider's actor.
#include <memory>

#include "actors/contracts/port_provider.hpp"
#include "plugins/port/fc/port_config.hpp"
#include "wire/config.capnp.h"

namespace stmfd::fc {

// The provider's context from a validated config (its `fcPorts`).
std::shared_ptr<const provider_context> context_from(wire::cfg::Config::Reader cfg);

port_provider provider(std::shared_ptr<const provider_context> ctx);

// (get_atom, rports_atom, wwpn) to the provider's actor: that local port's
// port_stats (tests, diagnostics); an error when no port has that WWPN.
// (get_atom, port_detail_atom) to the provider's actor: the contract's
// port_detail_list, one entry per local port (lport_detail.cpp).

}  // namespace stmfd::fc
