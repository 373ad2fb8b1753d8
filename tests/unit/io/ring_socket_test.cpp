#include <cerrno>
#include <cstring>
#include <thread>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "io/ring.hpp"
#include "io/socket.hpp"
#include "io_test_support.hpp"

using namespace stmfd::io;
using namespace stmfd::io::test;

namespace {

// Sends `iov` with one sendv while receiving with chunked recvs on `rx`;
// returns the bytes received and the sendv result.
std::pair<std::vector<uint8_t>, int32_t> send_and_receive(ring& r, caf::scoped_actor& self, int tx, int rx,
                                                          const std::vector<iovec>& iov, size_t total) {
  constexpr uint64_t send_cookie = 1000;
  std::vector<uint8_t> got;
  got.reserve(total);
  std::vector<uint8_t> chunk(256 * 1024);
  int32_t send_result = INT32_MIN;
  r.sendv(tx, iov.data(), static_cast<unsigned>(iov.size()), self, send_cookie);
  uint64_t recv_cookie = 1;
  r.recv(rx, chunk.data(), chunk.size(), self, recv_cookie);
  bool recv_open = true;
  while (recv_open || send_result == INT32_MIN) {
    auto c = next_completion(self);
    REQUIRE(c.result != INT32_MIN);  // timed out
    if (c.cookie == send_cookie) {
      send_result = c.result;
      continue;
    }
    REQUIRE(c.cookie == recv_cookie);
    REQUIRE(c.result > 0);
    got.insert(got.end(), chunk.begin(), chunk.begin() + c.result);
    if (got.size() >= total) {
      recv_open = false;
    } else {
      r.recv(rx, chunk.data(), chunk.size(), self, ++recv_cookie);
    }
  }
  return {std::move(got), send_result};
}

}  // namespace

TEST_CASE("sendv_recv_large_multi_iovec_socketpair", "[io][ring][socket]") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  ring r{ring::options{}};
  fd_pair sp;
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp.fd) == 0);

  // 64 segments of uneven sizes (some empty), about 7 MiB in all: far more
  // than the socket buffer, so the send completes in many partial pieces.
  std::vector<std::vector<uint8_t>> segs;
  std::vector<iovec> iov;
  size_t total = 0;
  for (unsigned i = 0; i < ring::max_iov; ++i) {
    size_t n = (i % 7 == 3) ? 0 : 1000 + (i * 104729u) % 250000;
    segs.push_back(pattern(n, 100 + i));
    total += n;
  }
  for (auto& s : segs) iov.push_back(iovec{s.data(), s.size()});
  REQUIRE(total > 5u * 1024 * 1024);

  auto [got, sent] = send_and_receive(r, self, sp.fd[0], sp.fd[1], iov, total);
  CHECK(sent == static_cast<int32_t>(total));
  REQUIRE(got.size() == total);
  std::vector<uint8_t> expect;
  for (auto& s : segs) expect.insert(expect.end(), s.begin(), s.end());
  CHECK(got == expect);
  require_no_completion(self, std::chrono::milliseconds(50));
  CHECK(r.submitted() == r.completed());
}

TEST_CASE("sendv_copies_the_iovec_array", "[io][ring][socket]") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  ring r{ring::options{}};
  fd_pair sp;
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp.fd) == 0);
  auto a = pattern(3 << 20, 7);
  auto b = pattern(1 << 20, 8);
  {
    iovec iov[2] = {{a.data(), a.size()}, {b.data(), b.size()}};
    r.sendv(sp.fd[0], iov, 2, self, 1);
    std::memset(iov, 0, sizeof(iov));  // the caller's array is gone
  }
  std::vector<uint8_t> got(a.size() + b.size());
  size_t have = 0;
  int32_t sent = INT32_MIN;
  while (have < got.size()) {
    ssize_t n = ::read(sp.fd[1], got.data() + have, got.size() - have);
    REQUIRE(n > 0);
    have += static_cast<size_t>(n);
  }
  sent = next_completion(self).result;
  CHECK(sent == static_cast<int32_t>(got.size()));
  CHECK(std::memcmp(got.data(), a.data(), a.size()) == 0);
  CHECK(std::memcmp(got.data() + a.size(), b.data(), b.size()) == 0);
}

TEST_CASE("sendv_argument_limits", "[io][ring][socket]") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  ring r{ring::options{}};
  fd_pair sp;
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp.fd) == 0);
  uint8_t byte = 0;
  std::vector<iovec> too_many(ring::max_iov + 1, iovec{&byte, 1});
  r.sendv(sp.fd[0], too_many.data(), too_many.size(), self, 1);
  CHECK(next_completion(self).result == -EINVAL);
  r.sendv(sp.fd[0], nullptr, 0, self, 2);
  auto c = next_completion(self);
  CHECK(c.cookie == 2);
  CHECK(c.result == 0);
}

TEST_CASE("recv_sees_peer_close_as_zero", "[io][ring][socket]") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  ring r{ring::options{}};
  fd_pair sp;
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp.fd) == 0);
  char buf[64];
  r.recv(sp.fd[0], buf, sizeof(buf), self, 9);
  require_no_completion(self, std::chrono::milliseconds(100));
  REQUIRE(::write(sp.fd[1], "abc", 3) == 3);
  auto c = next_completion(self);
  CHECK(c.cookie == 9);
  REQUIRE(c.result == 3);  // one recv, not a loop until len
  CHECK(std::string(buf, 3) == "abc");
  r.recv(sp.fd[0], buf, sizeof(buf), self, 10);
  ::close(sp.fd[1]);
  sp.fd[1] = -1;
  c = next_completion(self);
  CHECK(c.cookie == 10);
  CHECK(c.result == 0);
}

TEST_CASE("send_to_closed_peer_is_epipe_not_sigpipe", "[io][ring][socket]") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  ring r{ring::options{}};
  fd_pair sp;
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp.fd) == 0);
  ::close(sp.fd[1]);
  sp.fd[1] = -1;
  char data[100] = {};
  iovec iov{data, sizeof(data)};
  r.sendv(sp.fd[0], &iov, 1, self, 4);
  CHECK(next_completion(self).result == -EPIPE);
}

TEST_CASE("accept_on_listen_tcp_socket", "[io][ring][socket]") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  ring r{ring::options{}};
  auto l = listen_tcp("127.0.0.1", 0);
  REQUIRE(l.fd >= 0);
  REQUIRE(l.port != 0);
  r.accept(l.fd, self, 77);
  require_no_completion(self, std::chrono::milliseconds(100));

  int client = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(client >= 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(l.port);
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(client, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) == 0);
  auto c = next_completion(self);
  CHECK(c.cookie == 77);
  REQUIRE(c.result >= 0);
  const int conn = c.result;
  CHECK((::fcntl(conn, F_GETFD) & FD_CLOEXEC) != 0);
  CHECK(set_tcp_options(conn) == 0);

  // The accepted socket carries data both ways through the ring.
  const char hello[] = "hello over tcp";
  iovec iov{const_cast<char*>(hello), sizeof(hello)};
  r.sendv(conn, &iov, 1, self, 78);
  CHECK(next_completion(self).result == static_cast<int32_t>(sizeof(hello)));
  char buf[sizeof(hello)] = {};
  REQUIRE(::recv(client, buf, sizeof(buf), MSG_WAITALL) == static_cast<ssize_t>(sizeof(buf)));
  CHECK(std::memcmp(buf, hello, sizeof(hello)) == 0);

  ::close(client);
  ::close(conn);
  ::close(l.fd);
}

TEST_CASE("spinning_ring_still_sleeps_and_wakes", "[io][ring][socket]") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  ring::options opts;
  opts.spin_us = 200;
  ring r{opts};
  fd_pair sp;
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp.fd) == 0);
  char buf[8];
  for (uint64_t i = 0; i < 3; ++i) {
    // Let the ring spin out and fall asleep, then wake it twice: by a
    // completion (peer writes) and by a new submission.
    r.recv(sp.fd[0], buf, sizeof(buf), self, i);
    require_no_completion(self, std::chrono::milliseconds(30));
    REQUIRE(::write(sp.fd[1], "q", 1) == 1);
    auto c = next_completion(self);
    CHECK(c.cookie == i);
    CHECK(c.result == 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}
