#pragma once
// A connected AF_UNIX stream socket pair for frame tests: `port` writes,
// `lu` reads (or the other way). Reads time out after a second, so a
// reader that waits for bytes that never come fails the test instead of
// hanging it.
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <catch2/catch.hpp>

namespace stmfd::test {

struct socket_pair {
  int port = -1;
  int lu = -1;

  socket_pair() {
    int fds[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) == 0);
    port = fds[0];
    lu = fds[1];
    timeval tv{1, 0};
    ::setsockopt(port, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(lu, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  ~socket_pair() {
    close_port();
    close_lu();
  }
  void close_port() {
    if (port >= 0) ::close(port);
    port = -1;
  }
  void close_lu() {
    if (lu >= 0) ::close(lu);
    lu = -1;
  }
  // Writes raw bytes (hand-made frames).
  void raw(int fd, const void* p, size_t n) { REQUIRE(::write(fd, p, n) == ssize_t(n)); }
};

}  // namespace stmfd::test
