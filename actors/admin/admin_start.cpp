#include "actors/admin/admin_start.hpp"

#include <unistd.h>

#include "actors/admin/admin_auth.hpp"
#include "actors/common/log.hpp"

namespace stmfd::admin {

std::optional<tcp_settings> tcp_settings_from(wire::cfg::Config::Reader config) {
  if (!config.hasAdmin() || config.getAdmin().getListen().size() == 0) return std::nullopt;
  auto a = config.getAdmin();
  return tcp_settings{a.getListen(), a.getTlsCertificate(), a.getTlsKey(), a.getTokenFile()};
}

std::string check_tcp_files(const tcp_settings& tcp) {
  std::string error;
  if (read_token_file(tcp.token_path, error).empty()) return "admin.tokenFile: " + error;
  if (::access(tcp.certificate_path.c_str(), R_OK) != 0)
    return "admin.tlsCertificate: cannot read " + tcp.certificate_path;
  if (::access(tcp.key_path.c_str(), R_OK) != 0) return "admin.tlsKey: cannot read " + tcp.key_path;
  return {};
}

std::string start_admin(admin_server& server, admin_service& service, const std::string& socket_path,
                        const tcp_settings* tcp) {
  std::string err = socket_path.empty() && tcp == nullptr ? std::string() : server.start(socket_path, service, tcp);
  if (!err.empty() && !socket_path.empty() && tcp != nullptr) {
    // Which one failed? Serve TCP alone if the socket was the problem.
    log::warn("admin interface on {} not served: {}", socket_path, err);
    err = server.start("", service, tcp);
    if (!err.empty()) return "admin interface over TCP not served: " + err;
    log::info("admin interface on TCP {} (TLS, token)", tcp->listen);
    return {};
  }
  if (!err.empty()) {
    if (tcp != nullptr) return "admin interface over TCP not served: " + err;
    log::warn("admin interface not served: {}", err);
    return {};
  }
  if (!socket_path.empty()) log::info("admin interface on {}", socket_path);
  if (tcp != nullptr) log::info("admin interface on TCP {} (TLS, token; port {})", tcp->listen, server.tcp_port());
  return {};
}

}  // namespace stmfd::admin
