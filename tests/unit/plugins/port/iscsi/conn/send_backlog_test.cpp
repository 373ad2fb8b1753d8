// The send backlog bound (config limits.maxSendBacklog): a peer that sends
// requests but does not read the responses stops being read once the
// connection's unsent bytes pass the limit, so it cannot make the target
// queue more; nothing queued is dropped, and reading resumes as it drains.
#include <sys/socket.h>

#include <cerrno>

#include "conn_fixture.hpp"

using namespace stmfd::iscsi;
using namespace stmfd::iscsi::test;

namespace {

// Sends as many of `pings` as the connection takes without blocking, until
// nothing more goes for 500 ms; returns how many went whole. `sent` is the
// byte offset reached in the concatenation, so the rest can follow later.
size_t push_until_stalled(int fd, const std::vector<bytes>& pings, size_t& index, size_t& offset) {
  size_t whole = 0;
  auto idle_since = std::chrono::steady_clock::now();
  while (index < pings.size()) {
    const bytes& p = pings[index];
    ssize_t n = ::send(fd, p.data() + offset, p.size() - offset, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n > 0) {
      offset += size_t(n);
      idle_since = std::chrono::steady_clock::now();
      if (offset == p.size()) {
        ++index;
        ++whole;
        offset = 0;
      }
      continue;
    }
    REQUIRE((n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)));
    if (std::chrono::steady_clock::now() - idle_since > std::chrono::milliseconds(500)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return whole;
}

// Reads echoes (and keeps sending the rest) until every ping is answered,
// in order; returns how many were answered.
size_t drain_and_finish(conn_fixture& f, const std::vector<bytes>& pings, const std::vector<uint32_t>& itts,
                        size_t index, size_t offset) {
  size_t answered = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (answered < pings.size() && std::chrono::steady_clock::now() < deadline) {
    if (index < pings.size()) push_until_stalled(f.peer_fd, pings, index, offset);
    while (auto p = f.ini.recv(index < pings.size() ? 20 : 2000)) {
      REQUIRE(p->op() == op::nop_in);
      REQUIRE(p->itt() == itts[answered]);  // every one, in order: nothing dropped
      ++answered;
      if (answered == pings.size()) break;
    }
  }
  return answered;
}

// `count` NOP-Out pings of `size` bytes, and their ITTs.
struct ping_set {
  std::vector<bytes> pings;
  std::vector<uint32_t> itts;
  size_t index = 0, offset = 0;  // how far sending got
  ping_set(initiator& ini, size_t count, size_t size) {
    for (size_t i = 0; i < count; ++i) {
      itts.push_back(ini.new_itt());
      pings.push_back(ini.ping_pdu(itts.back(), pattern(size, uint8_t(i))));
    }
  }
};

}  // namespace

TEST_CASE("a_peer_that_does_not_read_stops_being_read_at_the_backlog_limit", "[iscsi][conn][backlog][bounds]") {
  port_settings s = test_settings();
  s.max_send_backlog = 64 * 1024;
  conn_fixture f(s, 16 * 1024);  // small socket buffers: the backlog fills fast
  f.login();
  auto& pool = stmfd::io::buffer_pool::global();
  uint64_t in_use_before = pool.in_use();

  constexpr size_t count = 400, size = 16 * 1024;
  ping_set set(f.ini, count, size);
  size_t sent = push_until_stalled(f.peer_fd, set.pings, set.index, set.offset);
  INFO("pings sent before the target stopped reading: " << sent);
  REQUIRE(sent < count);  // the target stopped reading long before all of them

  REQUIRE(f.eventually([&](const connection_stats& st) { return !st.receiving; }));
  auto st = f.stats();
  INFO("backlog " << st.tx_backlog);
  CHECK(st.tx_backlog > s.max_send_backlog);                        // the bound was reached ...
  CHECK(st.tx_backlog <= s.max_send_backlog + size + 2 * bhs_len);  // ... and passed by one response at most
  CHECK(pool.in_use() <= in_use_before + 256 * 1024);               // echoes held: about the backlog
  // Still paused a while later: it does not creep.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto later = f.stats();
  CHECK_FALSE(later.receiving);
  CHECK(later.tx_backlog == st.tx_backlog);

  // The peer reads: the backlog drains, receiving resumes, every ping is answered.
  CHECK(drain_and_finish(f, set.pings, set.itts, set.index, set.offset) == count);
  CHECK(f.eventually([](const connection_stats& x) { return x.receiving && x.tx_backlog == 0; }));
}

TEST_CASE("unread_256k_pings_hold_no_more_than_the_backlog", "[iscsi][conn][backlog][bounds]") {
  // The attack: large pings whose echoes are never read.
  port_settings s = test_settings();
  s.max_send_backlog = 1024 * 1024;
  conn_fixture f(s, 64 * 1024);
  f.login();
  auto& pool = stmfd::io::buffer_pool::global();
  uint64_t in_use_before = pool.in_use();
  constexpr size_t count = 100, size = 256 * 1024;  // 25 MiB if the target took them all
  ping_set set(f.ini, count, size);
  size_t sent = push_until_stalled(f.peer_fd, set.pings, set.index, set.offset);
  REQUIRE(sent < count);
  REQUIRE(f.eventually([&](const connection_stats& st) { return !st.receiving; }));
  auto st = f.stats();
  CHECK(st.tx_backlog > s.max_send_backlog);
  CHECK(st.tx_backlog <= s.max_send_backlog + size + 2 * bhs_len);
  // Echo buffers in the backlog, one receive buffer, one echo being prepared.
  uint64_t held = pool.in_use() - in_use_before;
  INFO("pool bytes held by the connection: " << held);
  CHECK(held <= s.max_send_backlog + 256 * 1024 + 512 * 1024 + 256 * 1024);
  CHECK(drain_and_finish(f, set.pings, set.itts, set.index, set.offset) == count);
}
