// The port actor's connection limits (limits.maxConnections,
// limits.maxLoggingIn): sockets accepted beyond them are closed at once.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "actors/common/fwd.hpp"
#include "actors/common/log.hpp"
#include "conn_fixture.hpp"
#include "plugins/port/iscsi/port_actor.hpp"

using namespace stmfd::iscsi;
using namespace stmfd::iscsi::test;

namespace {

uint16_t free_port() {
  int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  socklen_t len = sizeof a;
  ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(s);
  return ntohs(a.sin_port);
}

int connect_to(uint16_t port) {
  int s = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  for (int i = 0; i < 200 && ::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));  // the port may not listen yet
  return s;
}

struct port_fixture {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  std::shared_ptr<stmfd::io::ring> ring = std::make_shared<stmfd::io::ring>(stmfd::io::ring::options{});
  caf::actor lu = sys.spawn(fake_lu);
  caf::actor stmf = sys.spawn(fake_stmf, lu);
  caf::actor port;
  uint16_t tcp_port = free_port();
  std::vector<int> fds;

  explicit port_fixture(port_settings s) {
    stmfd::log::set_level("error");
    std::string portal = "127.0.0.1:" + std::to_string(tcp_port);
    stmfd::iscsi::login::target_info ti;
    ti.name = target_name;
    ti.portals = {portal};
    auto ctx =
        std::make_shared<const port_context>(target_directory({target_port{ti}}), s, std::vector<std::string>{portal});
    auto ports = std::make_shared<const std::vector<stmfd::local_port>>(
        std::vector<stmfd::local_port>{stmfd::local_port{stmfd::transport::iscsi, target_name, 1, 1, {}}});
    port = sys.spawn<port_actor>(ring, stmf, ctx, ports);
  }
  ~port_fixture() {
    for (int fd : fds) ::close(fd);
    self->monitor(port);
    self->send(port, stmfd::shutdown_atom::value);  // exits from others than STMF are ignored
    self->receive([](caf::down_msg&) {}, caf::after(std::chrono::seconds(5)) >> [] {});
    self->send_exit(stmf, caf::exit_reason::user_shutdown);
    self->send_exit(lu, caf::exit_reason::user_shutdown);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    ring->stop();
  }
  int open() {
    fds.push_back(connect_to(tcp_port));
    return fds.back();
  }
  // {connections, logging in, refused so far}
  std::vector<uint64_t> counts() {
    std::vector<uint64_t> out;
    self->request(port, std::chrono::seconds(3), stmfd::get_atom::value, stmfd::stats_atom::value)
        .receive([&](std::vector<uint64_t>& v) { out = v; }, [](caf::error&) {});
    return out;
  }
  bool counts_become(std::vector<uint64_t> want) {
    for (int i = 0; i < 300; ++i) {
      if (counts() == want) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    INFO("counts now " << counts()[0] << "/" << counts()[1] << "/" << counts()[2]);
    return false;
  }
};

}  // namespace

TEST_CASE("the_port_closes_connections_beyond_its_limits", "[iscsi][port][bounds]") {
  port_settings s = test_settings();
  s.max_connections = 3;
  s.max_logging_in = 2;
  port_fixture p(s);
  int c1 = p.open();
  p.open();
  REQUIRE(p.counts_become({2, 2, 0}));
  initiator third(p.open());
  CHECK(third.closed_within(2000));  // the third one still logging in: over maxLoggingIn
  CHECK(p.counts_become({2, 2, 1}));

  initiator first(c1);
  auto rsp = first.login(target_name);
  REQUIRE(rsp);
  REQUIRE(rsp->bhs[36] == 0);
  CHECK(p.counts_become({2, 1, 1}));  // logged in: no longer counted as logging in
  initiator fourth(p.open());
  CHECK(p.counts_become({3, 2, 1}));
  initiator fifth(p.open());
  CHECK(fifth.closed_within(2000));  // over maxConnections
  CHECK(p.counts_become({3, 2, 2}));
  CHECK_FALSE(fourth.closed_within(200));  // the accepted ones stay

  ::close(c1);  // a connection ends: room for one more
  p.fds.erase(p.fds.begin());
  CHECK(p.counts_become({2, 2, 2}));
}
