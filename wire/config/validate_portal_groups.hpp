#pragma once
// Cross-field checks of Config.portalGroups, Config.initiators and
// Config.iscsiDefaults, and the fill-in they drive in Config.targets
// (internal to the loader). Runs before check_targets.

#include <string>

#include "wire/config.capnp.h"

namespace stmfd::wire::cfg {

// Checks the portal groups (names, unique tags, portals rewritten as
// host:port, no portal in two groups) and the initiator records (names,
// secrets), then completes each target: a target with portalGroups gets
// their portals and the first group's tag as `tpgt`; an auth method
// "default" becomes iscsiDefaults.auth. Empty or "key[i]...: message".
std::string check_portal_groups(Config::Builder config);

}  // namespace stmfd::wire::cfg
