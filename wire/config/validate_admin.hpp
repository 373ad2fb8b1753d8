#pragma once
// The checks and filled-in values of Config.admin (wire/config.capnp
// AdminSettings): remote admin access only with TLS and a token.
#include <filesystem>
#include <string>

#include "wire/config.capnp.h"

namespace stmfd::wire::cfg {

// Canonicalises `listen` (host:port), requires tlsCertificate, tlsKey and
// tokenFile when it is set, and resolves those paths against `base` (the
// config file's directory). Empty on success, else "admin.<key>: message".
std::string check_admin(AdminSettings::Builder admin, const std::filesystem::path& base);

}  // namespace stmfd::wire::cfg
