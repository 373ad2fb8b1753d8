#include "actors/admin/portal_probe.hpp"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace stmfd::admin {

std::string check_local_address(const std::string& host, bool ipv6) {
  if (host == "0.0.0.0" || host == "::") return {};
  in6_addr want6{};
  in_addr want4{};
  if (ipv6 ? inet_pton(AF_INET6, host.c_str(), &want6) != 1 : inet_pton(AF_INET, host.c_str(), &want4) != 1)
    return "'" + host + "' is not a numeric address";
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return std::string("cannot list this host's addresses: ") + std::strerror(errno);
  bool found = false;
  for (auto* a = list; a != nullptr && !found; a = a->ifa_next) {
    if (a->ifa_addr == nullptr) continue;
    if (!ipv6 && a->ifa_addr->sa_family == AF_INET)
      found = std::memcmp(&reinterpret_cast<sockaddr_in*>(a->ifa_addr)->sin_addr, &want4, sizeof want4) == 0;
    if (ipv6 && a->ifa_addr->sa_family == AF_INET6)
      found = std::memcmp(&reinterpret_cast<sockaddr_in6*>(a->ifa_addr)->sin6_addr, &want6, sizeof want6) == 0;
  }
  freeifaddrs(list);
  return found ? std::string() : "'" + host + "' is not an address of this host";
}

std::string probe_bind(const std::string& host, uint16_t port, bool ipv6) {
  int fd = ::socket(ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return std::string("cannot open a socket: ") + std::strerror(errno);
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);  // as the listener binds
  int rc;
  if (ipv6) {
    sockaddr_in6 a{};
    a.sin6_family = AF_INET6;
    a.sin6_port = htons(port);
    inet_pton(AF_INET6, host.c_str(), &a.sin6_addr);
    rc = ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  } else {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    inet_pton(AF_INET, host.c_str(), &a.sin_addr);
    rc = ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  }
  int err = errno;
  ::close(fd);
  if (rc == 0) return {};
  if (err == EADDRINUSE) return "is in use";
  return std::string("cannot be bound: ") + std::strerror(err);
}

}  // namespace stmfd::admin
