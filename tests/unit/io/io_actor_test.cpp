#include <cerrno>
#include <memory>

#include <sys/socket.h>

#include "io/io_actor.hpp"
#include "io_test_support.hpp"

using namespace stmfd::io;
using namespace stmfd::io::test;

namespace {

std::shared_ptr<ring> fetch_ring(caf::scoped_actor& self, const caf::actor& io) {
  std::shared_ptr<ring> out;
  self->request(io, std::chrono::seconds(5), get_ring_atom::value)
      .receive([&](std::shared_ptr<ring> r) { out = std::move(r); },
               [&](caf::error& e) { FAIL(self->system().render(e)); });
  return out;
}

}  // namespace

TEST_CASE("io_actor_hands_out_its_ring_and_stats", "[io][io_actor]") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  auto io = sys.spawn(io_actor, ring::options{64, "io-test"});
  auto r = fetch_ring(self, io);
  REQUIRE(r);
  CHECK(r->ok());
  CHECK(fetch_ring(self, io) == r);  // the same ring every time

  fd_pair sp;
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp.fd) == 0);
  char buf[4];
  REQUIRE(::write(sp.fd[1], "ping", 4) == 4);
  r->recv(sp.fd[0], buf, sizeof(buf), self, 1);
  auto c = next_completion(self);
  CHECK(c.result == 4);

  uint64_t sub = 0, done = 0;
  self->request(io, std::chrono::seconds(5), get_stats_atom::value)
      .receive(
          [&](uint64_t s, uint64_t d) {
            sub = s;
            done = d;
          },
          [&](caf::error& e) { FAIL(sys.render(e)); });
  CHECK(sub == 1);
  CHECK(done == 1);
  self->send_exit(io, caf::exit_reason::user_shutdown);
}

TEST_CASE("io_actor_exit_fails_in_flight_io_with_ecanceled", "[io][io_actor]") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  auto io = sys.spawn(io_actor, ring::options{});
  self->monitor(io);
  auto r = fetch_ring(self, io);
  REQUIRE(r);
  fd_pair sp;
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp.fd) == 0);
  char buf[16];
  r->recv(sp.fd[0], buf, sizeof(buf), self, 21);
  r->recv(sp.fd[1], buf, sizeof(buf), self, 22);
  require_no_completion(self, std::chrono::milliseconds(50));

  caf::anon_send_exit(io, caf::exit_reason::kill);
  bool down = false;
  int cancelled = 0;
  uint64_t cookies = 0;
  for (int i = 0; i < 3; ++i)
    self->receive(
        [&](const completion& c) {
          cancelled += c.result == -ECANCELED;
          cookies += c.cookie;
        },
        [&](caf::down_msg& m) { down = m.source == io.address(); }, caf::after(std::chrono::seconds(10)) >> [] {});
  CHECK(down);
  CHECK(cancelled == 2);
  CHECK(cookies == 21 + 22);
  require_no_completion(self);

  // The old pointer stays valid; it just refuses work.
  r->recv(sp.fd[0], buf, sizeof(buf), self, 23);
  auto c = next_completion(self, std::chrono::milliseconds(0));
  CHECK(c.cookie == 23);
  CHECK(c.result == -ECANCELED);
}
