#pragma once
// What the admin plane does with cartridge files that no drive needs to
// have loaded (lu_provider::inspect_medium, set_medium_write_protect):
// read a file's header and find its end of data through the same loader a
// drive uses (read-only: nothing is written), and flip its write-protect
// flag. Plain file I/O on the caller's thread (the admin thread).
#include <string>

#include "actors/contracts/lu_provider.hpp"

namespace stmfd::ssc::media {

medium_info inspect_file(const std::string& path);

// Rewrites both header copies with the flag set or cleared (copy A, fsync,
// then copy B, fsync: a crash leaves one valid copy either way). Refused
// for a file that is not a cartridge. Empty, or why not.
std::string set_write_protect(const std::string& path, bool write_protect);

}  // namespace stmfd::ssc::media
