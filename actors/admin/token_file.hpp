#pragma once
// The admin token's file (Config.admin.tokenFile; stmfadm --token-file):
// its first line, surrounding white space ignored. Shared by the daemon
// and stmfadm so both read a file the same way.
#include <string>

namespace stmfd::admin {

// The token of at least 16 characters in `path`; empty, with the reason in
// `error`, when the file cannot be read or the token is shorter.
std::string read_token_file(const std::string& path, std::string& error);

}  // namespace stmfd::admin
