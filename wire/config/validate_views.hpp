#pragma once
// Cross-field checks of Config.hostGroups, Config.targetGroups and
// Config.views (internal to the loader): everything but the conflicts
// between views, which need the LUN map (actors/model/mapping.hpp).

#include <string>

#include "wire/config.capnp.h"

namespace stmfd::wire::cfg {

// Checks group names and members and the views' references against the
// already validated targets and LUs of `config`. Empty or "path: message".
std::string check_groups_and_views(Config::Reader config);

}  // namespace stmfd::wire::cfg
