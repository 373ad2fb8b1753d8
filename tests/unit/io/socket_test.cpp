#include <cerrno>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "io/socket.hpp"

using namespace stmfd::io;

namespace {

bool can_connect(int family, const char* addr, uint16_t port) {
  int fd = ::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_storage ss{};
  socklen_t len;
  if (family == AF_INET) {
    auto* s = reinterpret_cast<sockaddr_in*>(&ss);
    s->sin_family = AF_INET;
    s->sin_port = htons(port);
    ::inet_pton(AF_INET, addr, &s->sin_addr);
    len = sizeof(*s);
  } else {
    auto* s = reinterpret_cast<sockaddr_in6*>(&ss);
    s->sin6_family = AF_INET6;
    s->sin6_port = htons(port);
    ::inet_pton(AF_INET6, addr, &s->sin6_addr);
    len = sizeof(*s);
  }
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&ss), len) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

TEST_CASE("listen_tcp_ipv4_port_zero", "[io][socket]") {
  auto l = listen_tcp("127.0.0.1", 0);
  REQUIRE(l.fd >= 0);
  CHECK(l.error.empty());
  CHECK(l.port != 0);
  CHECK(can_connect(AF_INET, "127.0.0.1", l.port));
  int v = 0;
  socklen_t vl = sizeof(v);
  REQUIRE(::getsockopt(l.fd, SOL_SOCKET, SO_REUSEADDR, &v, &vl) == 0);
  CHECK(v == 1);

  // The port is taken now: a second listener on it fails with a message.
  auto again = listen_tcp("127.0.0.1", l.port);
  CHECK(again.fd == -1);
  CHECK(again.error.find("bind") != std::string::npos);
  ::close(l.fd);
}

TEST_CASE("listen_tcp_ipv6_literal", "[io][socket]") {
  auto l = listen_tcp("[::1]", 0);
  if (l.fd < 0) {
    WARN("no IPv6 loopback here: " << l.error);
    return;
  }
  CHECK(l.port != 0);
  CHECK(can_connect(AF_INET6, "::1", l.port));
  ::close(l.fd);
  auto plain = listen_tcp("::1", 0);
  REQUIRE(plain.fd >= 0);
  ::close(plain.fd);
}

TEST_CASE("listen_tcp_rejects_non_literals", "[io][socket]") {
  for (const char* bad : {"localhost", "1.2.3", "::g", "[127.0.0.1"}) {
    auto l = listen_tcp(bad, 0);
    CHECK(l.fd == -1);
    CHECK_FALSE(l.error.empty());
  }
}

TEST_CASE("set_tcp_options_sets_nodelay_and_keepalive", "[io][socket]") {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(fd >= 0);
  CHECK(set_tcp_options(fd) == 0);
  int v = 0;
  socklen_t vl = sizeof(v);
  REQUIRE(::getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &v, &vl) == 0);
  CHECK(v == 1);
  REQUIRE(::getsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &v, &vl) == 0);
  CHECK(v == 1);
  REQUIRE(::getsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &v, &vl) == 0);
  CHECK(v == 60);
  ::close(fd);
  CHECK(set_tcp_options(-1) == -EBADF);
}
