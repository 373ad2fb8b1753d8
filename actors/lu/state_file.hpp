#pragma once
// Small state files an LU shell keeps under the config's dataDir
// (reservations with APTPL, a library's element map). Writes are atomic:
// a temporary file, fsync, rename, fsync of the directory, so after a
// crash at any moment the file holds the old contents or the new ones.
#include <optional>
#include <string>
#include <vector>

namespace stmfd::state_file {

// The whole file; nullopt when it does not exist or cannot be read.
std::optional<std::vector<uint8_t>> read(const std::string& path);
// Empty on success, else why (strerror of the failing step).
std::string write_atomically(const std::string& path, const std::vector<uint8_t>& bytes);

}  // namespace stmfd::state_file
