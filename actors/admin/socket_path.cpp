#include "actors/admin/socket_path.hpp"

#include <unistd.h>

#include <cstdlib>

namespace stmfd::admin {

std::string default_socket_path() {
  if (const char* env = std::getenv("STMFD_ADMIN_SOCKET"); env && *env) return env;
  if (::geteuid() == 0) return "/run/stmfd/admin.sock";
  if (const char* xdg = std::getenv("XDG_RUNTIME_DIR"); xdg && *xdg) return std::string(xdg) + "/stmfd/admin.sock";
  return "/tmp/stmfd-" + std::to_string(::geteuid()) + "/admin.sock";
}

}  // namespace stmfd::admin
