#pragma once
// Checks of Config.fcPorts (internal to the loader).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "wire/config.capnp.h"

namespace stmfd::wire::cfg {

// A WWN written as 16 hex digits, "wwn." + 16 hex digits, or 8
// colon-separated hex bytes; nullopt otherwise.
std::optional<uint64_t> parse_wwn(std::string_view text);

// Checks each FC port (WWNs parsed and rewritten as "wwn.<16 lower-case hex
// digits>", interface name, driver) and that WWPNs are unique. Empty or
// "fcPorts[i].field: message".
std::string check_fc_ports(capnp::List<FcPort>::Builder ports);

}  // namespace stmfd::wire::cfg
