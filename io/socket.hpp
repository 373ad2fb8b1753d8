#pragma once

#include <cstdint>
#include <string>

namespace stmfd::io {

struct listen_result {
  int fd = -1;        // listening socket (blocking, SOCK_CLOEXEC), or -1
  std::string error;  // set when fd == -1
  uint16_t port = 0;  // the bound port (the kernel's choice for port 0)
};

// Binds and listens. address: an IPv4 literal, an IPv6 literal (brackets
// allowed: "[::1]"), or "" for all IPv4 addresses. SO_REUSEADDR is set; IPv6
// sockets are IPV6_V6ONLY so "0.0.0.0" and "::" can share a port. The socket
// stays blocking: accept goes through io_uring, which polls it.
listen_result listen_tcp(const std::string& address, uint16_t port, int backlog = 128);

// TCP_NODELAY plus keepalive probes (idle 60 s, every 10 s, 6 tries), so a
// vanished initiator is noticed. Returns 0 or -errno of the first failure.
int set_tcp_options(int fd);

}  // namespace stmfd::io
