#pragma once
// Starting the admin plane from the daemon's config: the Unix socket and,
// when Config.admin.listen is set, the TLS + token TCP listener.
#include <optional>
#include <string>

#include "actors/admin/admin_server.hpp"
#include "wire/config.capnp.h"

namespace stmfd::admin {

// Config.admin as tcp_settings; nullopt when no TCP listener is configured.
std::optional<tcp_settings> tcp_settings_from(wire::cfg::Config::Reader config);

// Whether the token, certificate and key files can be read (a readable
// token of at least 16 characters). Empty when they can, else why not.
std::string check_tcp_files(const tcp_settings& tcp);

// Starts `server`. A Unix socket that cannot be bound is logged and served
// without (as before remote access existed); a TCP listener that cannot be
// set up is an error: empty on success, else why (the daemon must stop).
std::string start_admin(admin_server& server, admin_service& service, const std::string& socket_path,
                        const tcp_settings* tcp);

}  // namespace stmfd::admin
