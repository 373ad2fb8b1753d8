#include "conn_fixture.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <set>
#include <thread>

#include "actors/common/fwd.hpp"
#include "actors/common/log.hpp"
#include "actors/common/messages.hpp"
#include "plugins/port/iscsi/connection.hpp"
#include "wire/scsi/sense.hpp"

namespace stmfd::iscsi::test {

conn_fixture::conn_fixture(port_settings settings, int conn_sndbuf) {
  log::set_level("warn");
  ring = std::make_shared<io::ring>(io::ring::options{});
  REQUIRE(ring->ok());
  lu = sys.spawn(fake_lu);
  stmf = sys.spawn(fake_stmf, lu);
  login::target_info ti;
  ti.name = target_name;
  ti.portals = {"127.0.0.1:3260"};
  auto ctx = std::make_shared<const port_context>(target_directory({target_port{ti}}), settings,
                                                  std::vector<std::string>{"127.0.0.1:3260"});
  auto ports = std::make_shared<const std::vector<local_port>>(
      std::vector<local_port>{local_port{transport::iscsi, target_name, 1, 1, {}}});
  int sv[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0);
  if (conn_sndbuf > 0) {
    REQUIRE(::setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &conn_sndbuf, sizeof conn_sndbuf) == 0);
    REQUIRE(::setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &conn_sndbuf, sizeof conn_sndbuf) == 0);
  }
  peer_fd = sv[1];
  ini = initiator(peer_fd);
  conn = sys.spawn<connection>(sv[0], ring, stmf, ctx, ports, std::string("unit-peer"));
}

conn_fixture::~conn_fixture() {
  self->monitor(conn);
  self->send_exit(conn, caf::exit_reason::user_shutdown);
  self->receive([](caf::down_msg&) {}, caf::after(std::chrono::seconds(5)) >> [] {});
  ::close(peer_fd);
  self->send_exit(stmf, caf::exit_reason::user_shutdown);
  self->send_exit(lu, caf::exit_reason::user_shutdown);
  ring->stop();
}

void conn_fixture::login(initiator::login_options o) {
  auto rsp = ini.login(target_name, o);
  REQUIRE(rsp);
  REQUIRE(rsp->op() == op::login_response);
  REQUIRE(rsp->bhs[36] == 0);              // status class: success
  REQUIRE((rsp->flags() & 0x83) == 0x83);  // T=1, NSG=3: full feature phase
  REQUIRE(eventually([](const connection_stats& s) { return s.full_feature; }));
}

connection_stats conn_fixture::stats() {
  connection_stats out;
  self->request(conn, std::chrono::seconds(3), get_atom::value, stats_atom::value)
      .receive([&](connection_stats& s) { out = s; },
               [&](caf::error& e) { FAIL("connection did not report its stats: " << to_string(e)); });
  return out;
}

pdu conn_fixture::expect(uint8_t opcode, uint32_t itt, int timeout_ms) {
  auto p = ini.recv(timeout_ms);
  REQUIRE(p);
  INFO("got opcode " << int(p->op()) << " ITT " << p->itt());
  REQUIRE(p->op() == opcode);
  if (itt != reserved_tag) REQUIRE(p->itt() == itt);
  return *p;
}

void conn_fixture::expect_good(const std::vector<uint32_t>& itts) {
  std::set<uint32_t> want(itts.begin(), itts.end()), got;
  for (size_t i = 0; i < itts.size(); ++i) {
    pdu p = expect(op::scsi_response);
    CHECK(p.status() == 0);
    got.insert(p.itt());
  }
  CHECK(got == want);
}

bool conn_fixture::quiet(int ms) { return !ini.recv(ms); }

void conn_fixture::lu_hold(bool on) {
  self->request(lu, std::chrono::seconds(3), hold_atom::value, on).receive([](bool) {}, [](caf::error&) {});
}

std::vector<uint32_t> conn_fixture::hold_commands(uint32_t n) {
  lu_hold(true);
  std::vector<uint32_t> itts;
  for (uint32_t i = 0; i < n; ++i) itts.push_back(ini.test_unit_ready());
  REQUIRE(eventually([n](const connection_stats& s) { return s.tasks == n; }));
  return itts;
}

std::vector<xfer_record> conn_fixture::xfers() {
  std::vector<xfer_record> out;
  self->request(lu, std::chrono::seconds(3), get_atom::value, xfer_atom::value)
      .receive([&](std::vector<xfer_record>& v) { out = std::move(v); }, [](caf::error&) {});
  return out;
}

bytes conn_fixture::last_write() {
  bytes out;
  self->request(lu, std::chrono::seconds(3), get_atom::value, written_atom::value)
      .receive([&](bytes& v) { out = std::move(v); }, [](caf::error&) {});
  return out;
}

bytes conn_fixture::last_cdb() {
  bytes out;
  self->request(lu, std::chrono::seconds(3), get_atom::value, cdb_atom::value)
      .receive([&](bytes& v) { out = std::move(v); }, [](caf::error&) {});
  return out;
}

void conn_fixture::lu_release() {
  self->request(lu, std::chrono::seconds(3), release_atom::value).receive([](size_t) {}, [](caf::error&) {});
}

pool_cap_guard::pool_cap_guard(uint64_t headroom) {
  auto& pool = io::buffer_pool::global();
  pool.trim();
  pool.set_cap(pool.in_use() + headroom);
}

pool_cap_guard::~pool_cap_guard() { io::buffer_pool::global().set_cap(io::buffer_pool::unlimited); }

bytes pattern(size_t n, uint8_t seed) {
  bytes b(n);
  uint32_t x = seed * 2654435761u + 7;
  for (auto& c : b) {
    x = x * 1103515245u + 12345u;
    c = uint8_t(x >> 16);
  }
  return b;
}

bytes sense_of(const pdu& p) {
  if (p.data.size() < 2) return {};
  size_t n = (size_t(p.data[0]) << 8) | p.data[1];
  return bytes(p.data.begin() + 2, p.data.begin() + 2 + std::min(n, p.data.size() - 2));
}

void check_condition_with(const pdu& rsp, uint8_t key, uint8_t asc, uint8_t ascq) {
  CHECK(rsp.status() == scsi::status::check_condition);
  bytes sense = sense_of(rsp);
  REQUIRE(sense.size() >= 14);
  CHECK((sense[2] & 0x0f) == key);
  CHECK(sense[12] == asc);
  CHECK(sense[13] == ascq);
}

std::optional<pdu> tick_until_pdu(conn_fixture& f, int seconds) {
  for (int i = 0; i < seconds * 4; ++i) {
    f.self->send(f.conn, tick_atom::value);
    if (auto p = f.ini.recv(250)) return p;
  }
  return std::nullopt;
}

uint32_t write_with_unsolicited(initiator& ini, uint32_t len, const bytes& imm) {
  uint16_t blocks = uint16_t(len / 512);
  uint8_t cdb[10] = {0x2a, 0, 0, 0, 0, 0, 0, uint8_t(blocks >> 8), uint8_t(blocks), 0};
  return ini.command(cdb, sizeof cdb, false, true, len, imm, false, false);
}

}  // namespace stmfd::iscsi::test
