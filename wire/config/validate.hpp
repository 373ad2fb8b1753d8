#pragma once
// The cross-field checks and derived defaults of a decoded Config: every
// "Checked:" and "Filled in:" clause of wire/config.capnp that a single
// field's annotations cannot state.

#include <string>

#include "wire/config.capnp.h"

namespace stmfd::wire::cfg {

// Checks `config` and completes it in place: resolves dataDir against
// `base_dir` (an absolute directory; empty means the current directory)
// and LU paths against dataDir, rewrites portals as host:port, fills
// empty serials and guids from LU names and upper-cases guids.
// Returns empty on success, else "path: message" for the first problem.
std::string validate_and_complete(Config::Builder config, const std::string& base_dir);

}  // namespace stmfd::wire::cfg
