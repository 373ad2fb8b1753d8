#pragma once
// Checks of Config.metrics (internal to the loader).
#include <string>

#include "wire/config.capnp.h"

namespace stmfd::wire::cfg {

// listen: empty (off), or a numeric address with an explicit port,
// rewritten in canonical form; a loopback address unless allowRemote.
// Empty or "metrics.listen: message".
std::string check_metrics(Metrics::Builder metrics);

}  // namespace stmfd::wire::cfg
