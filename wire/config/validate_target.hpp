#pragma once
// Cross-field checks of Config.targets (internal to the loader).

#include <string>

#include "wire/config.capnp.h"

namespace stmfd::wire::cfg {

// Checks each target's name, portals (rewritten as host:port), auth and
// LUN mappings against the already validated `lus`. Empty or
// "targets[i]...: message".
std::string check_targets(capnp::List<Target>::Builder targets, capnp::List<LogicalUnit>::Reader lus);

}  // namespace stmfd::wire::cfg
