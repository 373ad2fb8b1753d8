#include "io/socket.hpp"

#include <cerrno>
#include <cstring>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace stmfd::io {

namespace {

std::string describe(const char* what, int err) { return std::string(what) + ": " + std::strerror(err); }

int set_int(int fd, int level, int name, int value) {
  if (::setsockopt(fd, level, name, &value, sizeof(value)) < 0) return -errno;
  return 0;
}

}  // namespace

listen_result listen_tcp(const std::string& address, uint16_t port, int backlog) {
  listen_result out;
  std::string host = address;
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  sockaddr_storage ss{};
  socklen_t len = sizeof(sockaddr_in);
  int family = AF_INET;
  in_addr a4{};
  in6_addr a6{};
  if (host.empty() || ::inet_pton(AF_INET, host.c_str(), &a4) == 1) {
    auto* sin = reinterpret_cast<sockaddr_in*>(&ss);
    sin->sin_family = AF_INET;
    sin->sin_addr = host.empty() ? in_addr{htonl(INADDR_ANY)} : a4;
    sin->sin_port = htons(port);
  } else if (::inet_pton(AF_INET6, host.c_str(), &a6) == 1) {
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(&ss);
    sin6->sin6_family = AF_INET6;
    sin6->sin6_addr = a6;
    sin6->sin6_port = htons(port);
    len = sizeof(sockaddr_in6);
    family = AF_INET6;
  } else {
    out.error = "not an IPv4 or IPv6 address: '" + address + "'";
    return out;
  }
  int fd = ::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    out.error = describe("socket", errno);
    return out;
  }
  auto fail = [&](const char* what, int err) {
    ::close(fd);
    out.error = describe(what, err);
    return out;
  };
  if (int rc = set_int(fd, SOL_SOCKET, SO_REUSEADDR, 1); rc < 0) return fail("SO_REUSEADDR", -rc);
  if (family == AF_INET6)
    if (int rc = set_int(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1); rc < 0) return fail("IPV6_V6ONLY", -rc);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&ss), len) < 0) return fail("bind", errno);
  if (::listen(fd, backlog) < 0) return fail("listen", errno);
  sockaddr_storage bound{};
  socklen_t blen = sizeof(bound);
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &blen) < 0) return fail("getsockname", errno);
  out.port = family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port)
                                : ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  out.fd = fd;
  return out;
}

int set_tcp_options(int fd) {
  if (int rc = set_int(fd, IPPROTO_TCP, TCP_NODELAY, 1); rc < 0) return rc;
  if (int rc = set_int(fd, SOL_SOCKET, SO_KEEPALIVE, 1); rc < 0) return rc;
  if (int rc = set_int(fd, IPPROTO_TCP, TCP_KEEPIDLE, 60); rc < 0) return rc;
  if (int rc = set_int(fd, IPPROTO_TCP, TCP_KEEPINTVL, 10); rc < 0) return rc;
  return set_int(fd, IPPROTO_TCP, TCP_KEEPCNT, 6);
}

}  // namespace stmfd::io
