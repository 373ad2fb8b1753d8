#include <cerrno>
#include <set>
#include <thread>

#include <fcntl.h>

#include <sys/socket.h>

#include "io/ring.hpp"
#include "io_test_support.hpp"

using namespace stmfd::io;
using namespace stmfd::io::test;

TEST_CASE("stop_cancels_outstanding_recv_exactly_once", "[io][ring][cancel]") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  fd_pair sp;
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp.fd) == 0);
  ring r{ring::options{}};
  char buf[32];
  r.recv(sp.fd[0], buf, sizeof(buf), self, 42);
  require_no_completion(self, std::chrono::milliseconds(100));
  r.stop();
  auto c = next_completion(self);
  CHECK(c.cookie == 42);
  CHECK(c.result == -ECANCELED);
  require_no_completion(self);
  CHECK(r.submitted() == 1);
  CHECK(r.completed() == 1);

  // After stop every submission completes at once, with -ECANCELED.
  r.recv(sp.fd[0], buf, sizeof(buf), self, 43);
  c = next_completion(self, std::chrono::milliseconds(0));
  CHECK(c.cookie == 43);
  CHECK(c.result == -ECANCELED);
  r.stop();  // idempotent
  CHECK(r.completed() == 2);
}

TEST_CASE("destructor_cancels_partial_sendv", "[io][ring][cancel]") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  fd_pair sp;
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp.fd) == 0);
  auto big = pattern(16 << 20, 5);  // nobody reads: stalls after a part
  {
    ring r{ring::options{}};
    iovec iov{big.data(), big.size()};
    r.sendv(sp.fd[0], &iov, 1, self, 1);
    char buf[8];
    r.recv(sp.fd[0], buf, sizeof(buf), self, 2);
    require_no_completion(self, std::chrono::milliseconds(100));
  }
  std::set<uint64_t> seen;
  for (int i = 0; i < 2; ++i) {
    auto c = next_completion(self);
    CHECK(c.result == -ECANCELED);
    CHECK(seen.insert(c.cookie).second);
  }
  CHECK(seen == std::set<uint64_t>{1, 2});
  require_no_completion(self);
}

TEST_CASE("cancel_fd_cancels_only_that_fd_and_only_earlier_requests", "[io][ring][cancel]") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  fd_pair a, b;
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, a.fd) == 0);
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, b.fd) == 0);
  ring r{ring::options{}};
  char ba[16], bb[16], bc[16];
  r.recv(a.fd[0], ba, sizeof(ba), self, 1);
  r.recv(b.fd[0], bb, sizeof(bb), self, 2);
  require_no_completion(self, std::chrono::milliseconds(50));
  r.cancel_fd(a.fd[0]);
  auto c = next_completion(self);
  CHECK(c.cookie == 1);
  CHECK(c.result == -ECANCELED);
  require_no_completion(self, std::chrono::milliseconds(100));

  // A request issued after the cancel on the same fd is untouched.
  r.recv(a.fd[0], bc, sizeof(bc), self, 3);
  REQUIRE(::write(a.fd[1], "xy", 2) == 2);
  c = next_completion(self);
  CHECK(c.cookie == 3);
  REQUIRE(c.result == 2);
  CHECK(std::string(bc, 2) == "xy");

  // The other fd's recv was never cancelled.
  REQUIRE(::write(b.fd[1], "z", 1) == 1);
  c = next_completion(self);
  CHECK(c.cookie == 2);
  CHECK(c.result == 1);
  require_no_completion(self);
  CHECK(r.submitted() == 3);
  CHECK(r.completed() == 3);
}

TEST_CASE("cancel_fd_stops_a_sendv_between_partial_sends", "[io][ring][cancel]") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  fd_pair sp;
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp.fd) == 0);
  ring r{ring::options{}};
  auto big = pattern(8 << 20, 6);
  iovec iov{big.data(), big.size()};
  r.sendv(sp.fd[0], &iov, 1, self, 5);
  // Drain a little so the send makes partial progress, then cancel.
  std::vector<uint8_t> sink(64 * 1024);
  REQUIRE(::read(sp.fd[1], sink.data(), sink.size()) > 0);
  require_no_completion(self, std::chrono::milliseconds(50));
  r.cancel_fd(sp.fd[0]);
  auto c = next_completion(self);
  CHECK(c.cookie == 5);
  CHECK(c.result == -ECANCELED);
  require_no_completion(self);
}

namespace {

bool closed_within(int fd, std::chrono::milliseconds limit) {
  auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    if (::fcntl(fd, F_GETFD) == -1 && errno == EBADF) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return false;
}

}  // namespace

TEST_CASE("close_fd_cancels_then_closes", "[io][ring][cancel]") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  fd_pair sp;
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp.fd) == 0);
  ring r{ring::options{}};
  char buf[16];
  r.recv(sp.fd[0], buf, sizeof(buf), self, 1);
  r.recv(sp.fd[0], buf, sizeof(buf), self, 2);
  require_no_completion(self, std::chrono::milliseconds(50));
  const int fd = sp.fd[0];
  r.close_fd(fd);
  sp.fd[0] = -1;  // the ring owns it now
  std::set<uint64_t> seen;
  for (int i = 0; i < 2; ++i) {
    auto c = next_completion(self);
    CHECK(c.result == -ECANCELED);
    seen.insert(c.cookie);
  }
  CHECK(seen == std::set<uint64_t>{1, 2});
  CHECK(closed_within(fd, std::chrono::seconds(2)));
  // The peer sees the close.
  CHECK(::read(sp.fd[1], buf, sizeof(buf)) == 0);
  require_no_completion(self);

  // On a stopped ring close_fd closes at once.
  fd_pair other;
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, other.fd) == 0);
  r.stop();
  r.close_fd(other.fd[0]);
  CHECK(::fcntl(other.fd[0], F_GETFD) == -1);
  other.fd[0] = -1;
  CHECK(r.submitted() == 2);
  CHECK(r.completed() == 2);
}
