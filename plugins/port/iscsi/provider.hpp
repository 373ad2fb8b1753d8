#pragma once
// The iSCSI port provider (COMSTAR's iscsit) behind the port provider
// contract (actors/contracts/port_provider.hpp): built from the config's
// targets and iSCSI settings, registered by main. One local port per
// target (its SCSI target port, RFC 7143 4.2.7: "<name>,t,0x<TPGT>").
#include <memory>

#include "actors/contracts/port_provider.hpp"
#include "plugins/port/iscsi/port_config.hpp"
#include "wire/config.capnp.h"

namespace stmfd::iscsi {

// The provider's context from a validated config.
std::shared_ptr<const port_context> context_from(wire::cfg::Config::Reader cfg);

port_provider provider(std::shared_ptr<const port_context> ctx);

}  // namespace stmfd::iscsi
