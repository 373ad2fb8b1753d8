#pragma once
// Small state files the LU shell keeps under the config's dataDir: the
// APTPL reservation image (`<lu>.pr`), a provider's durable record
// (`<lu>.lu-state`, lu_outcome::durable) and a library's element map. Read
// whole; written so that after a crash at any moment the file holds the old
// content or the new one.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace stmfd::state_file {

// The whole file; nullopt when it does not exist or cannot be read
// (errno tells which).
std::optional<std::vector<uint8_t>> read(const std::string& path);

// Replaces the file with `image` (temp file, fsync, rename, fsync of the
// directory); an empty image removes it. False, with errno, on failure.
bool write(const std::string& path, const std::vector<uint8_t>& image);
// write(), reporting why it failed (empty: success) as text.
std::string write_atomically(const std::string& path, const std::vector<uint8_t>& bytes);

}  // namespace stmfd::state_file
