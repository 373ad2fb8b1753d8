#pragma once
// Checks of Config.libraries (internal to the loader): virtual tape
// libraries, their changer and drive LUs and their cartridges.

#include <set>
#include <string>

#include "wire/config.capnp.h"

namespace stmfd::wire::cfg {

// The names of the LUs some library lists as a drive (they have no path).
std::set<std::string> library_drive_names(Config::Reader config);

// Each library's name, changer, drives, slot count and cartridges (see
// wire/config.capnp Library), and that every "smc" LU is the changer of a
// library. The LUs were checked already. Empty or "libraries[i].field:
// message".
std::string check_libraries(Config::Reader config);

}  // namespace stmfd::wire::cfg
