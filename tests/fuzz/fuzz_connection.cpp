// libFuzzer harness: one iSCSI connection actor (plugins/port/iscsi/
// connection.hpp) from its first byte: PDU framing, the login phase, the full
// feature phase (SCSI commands, Data-Out, CmdSN window, NOP, Text, Task
// Management, Logout). The input is the byte stream an initiator sends
// (corpus seeds are PDU streams, tests/fuzz/seeds_iscsi.py); it goes in
// through one end of a socketpair, the connection's real io::ring reads the
// other, and the fake STMF and LU of the unit tests (tests/unit/plugins/
// port/iscsi/conn/fakes.hpp) grant the login and complete every command.
// After the input the initiator half-closes its end and reads whatever
// comes back. What must hold: no crash, leak or UB; the connection ends
// within 10 s of the initiator's end of stream (longer is a hang: abort).
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include <caf/all.hpp>

#include "actors/common/log.hpp"
#include "io/ring.hpp"
#include "plugins/port/iscsi/connection.hpp"
#include "tests/unit/plugins/port/iscsi/conn/fakes.hpp"

namespace {

using namespace stmfd;
using namespace stmfd::iscsi;

struct world {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  std::shared_ptr<io::ring> ring;
  std::shared_ptr<const port_context> ctx;
  std::shared_ptr<const std::vector<local_port>> ports;

  world() {
    log::set_level("error");  // a closed connection warns: not what a fuzzer is for
    cfg.set("scheduler.max-threads", 2);
    sys = std::make_unique<caf::actor_system>(cfg);
    ring = std::make_shared<io::ring>(io::ring::options{});
    if (!ring->ok()) {
      std::fprintf(stderr, "fuzz_connection: no io_uring here\n");
      std::abort();
    }
    login::target_info ti;
    ti.name = test::target_name;
    ti.portals = {"127.0.0.1:3260"};
    ctx = std::make_shared<const port_context>(target_directory({target_port{ti}}), test::test_settings(8),
                                               std::vector<std::string>{"127.0.0.1:3260"});
    ports = std::make_shared<const std::vector<local_port>>(
        std::vector<local_port>{local_port{transport::iscsi, test::target_name, 1, 1, {}}});
  }
};

// Writes what fits, reads (and drops) what the connection sent; false when
// the connection is gone.
bool pump(int fd, const uint8_t*& p, size_t& left) {
  pollfd pfd{fd, short(POLLIN | (left ? POLLOUT : 0)), 0};
  if (::poll(&pfd, 1, 5) < 0) return true;
  if (pfd.revents & POLLIN) {
    uint8_t sink[65536];
    ssize_t n = ::recv(fd, sink, sizeof sink, MSG_DONTWAIT);
    if (n == 0) return false;
  }
  if (left && (pfd.revents & POLLOUT)) {
    ssize_t n = ::send(fd, p, left, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n < 0 && errno != EAGAIN) return false;
    if (n > 0) p += n, left -= size_t(n);
  }
  return !(pfd.revents & (POLLHUP | POLLERR)) || (pfd.revents & POLLIN);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static world& w = *new world;  // never destroyed: libFuzzer exits with actors still known to CAF
  if (size > (1u << 20)) return 0;
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) std::abort();
  caf::scoped_actor self{*w.sys};
  // A dummy argument: CAF 0.17's spawn of a function with no arguments
  // dereferences a null shared_ptr<std::tuple<>> (harmless, but UBSan stops).
  auto lu = w.sys->spawn([](caf::event_based_actor* a, int) { return test::fake_lu(a); }, 0);
  auto stmf = w.sys->spawn(test::fake_stmf, lu);
  auto conn = w.sys->spawn<connection>(sv[0], w.ring, stmf, w.ctx, w.ports, std::string("fuzz-peer"));
  self->monitor(conn);

  const uint8_t* p = data;
  size_t left = size;
  const auto start = std::chrono::steady_clock::now();
  bool open = true, half_closed = false;
  auto half_close_at = start;
  while (open) {
    open = pump(sv[1], p, left);
    const auto now = std::chrono::steady_clock::now();
    if (!left && !half_closed) {
      ::shutdown(sv[1], SHUT_WR);
      half_closed = true;
      half_close_at = now;
    }
    if (!left && now - half_close_at > std::chrono::seconds(10)) {
      std::fprintf(stderr, "fuzz_connection: the connection did not end 10 s after the initiator's end of stream\n");
      std::abort();
    }
    if (left && now - start > std::chrono::seconds(10)) break;  // it stopped reading: the backlog rule (not a hang)
  }
  bool down = false;
  self->send_exit(conn, caf::exit_reason::user_shutdown);
  self->receive([&](caf::down_msg&) { down = true; }, caf::after(std::chrono::seconds(10)) >> [] {});
  if (!down) {
    std::fprintf(stderr, "fuzz_connection: the connection actor did not end\n");
    std::abort();
  }
  ::close(sv[1]);
  self->send_exit(stmf, caf::exit_reason::user_shutdown);
  self->send_exit(lu, caf::exit_reason::user_shutdown);
  return 0;
}
