#pragma once
// Host checks of a portal itadm create-tpg is given (admin plane only; the
// loader stays pure): the address is one of this host's (or a wildcard),
// and no other program listens on it.
#include <string>

namespace stmfd::admin {

// Empty when `host` (numeric, as wire/config/names.hpp parse_portal gives
// it) is 0.0.0.0, ::, or an address of a local interface; else a message.
std::string check_local_address(const std::string& host, bool ipv6);

// Empty when host:port can be bound now (it is released at once); else a
// message saying why (in use: "is in use").
std::string probe_bind(const std::string& host, uint16_t port, bool ipv6);

}  // namespace stmfd::admin
