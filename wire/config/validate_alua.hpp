#pragma once
// Checks of Config.targetPortGroups and the ports' group numbers (internal
// to the loader; the rules are written in wire/config.capnp).

#include <string>

#include "wire/config.capnp.h"

namespace stmfd::wire::cfg {

// Fills in Target.targetPortGroup (0 -> tpgt), then checks the groups:
// ids and names unique, luStates naming existing LUs once each, and (when
// the list is not empty) every target's and FC port's group listed. Empty
// or "path: message".
std::string check_target_port_groups(Config::Builder config);

}  // namespace stmfd::wire::cfg
