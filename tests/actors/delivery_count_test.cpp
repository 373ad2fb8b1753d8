// How many mailbox deliveries one 4 KiB READ and one 4 KiB WRITE cost on
// the real iSCSI path (docs/messages.md): an iSCSI connection actor on one
// end of a socket pair, the test as the initiator on the other, the
// fixture's STMF with a file LU on an io ring.
//
// Counting: this test binary replaces CAF's scheduled_actor::enqueue (every
// event-based actor's mailbox entry point; the library's own definition is
// found with dlsym(RTLD_NEXT) and called after counting), so every message
// any actor of the process receives is seen, whoever sends it: actors, the
// ring thread's anon_send of io completions, timers. CAF 0.17 as Debian
// builds it has no actor profiler (CAF_ENABLE_ACTOR_PROFILER is off); the
// replacement is test-only and costs one relaxed load when not recording.
#include <dlfcn.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <caf/scheduled_actor.hpp>

#include "io/io_actor.hpp"
#include "plugins/port/iscsi/connection.hpp"
#include "tests/actors/fixture.hpp"

namespace stmfd::test {

// One delivery: who received what.
struct hop {
  std::string receiver;
  std::string what;
};

class hop_recorder {
 public:
  static hop_recorder& get() {
    static hop_recorder r;
    return r;
  }
  void start() {
    std::lock_guard<std::mutex> g(mtx_);
    hops_.clear();
    on_.store(true);
  }
  std::vector<hop> stop() {
    on_.store(false);
    std::lock_guard<std::mutex> g(mtx_);
    return std::move(hops_);
  }
  void note(const caf::scheduled_actor* to, const caf::mailbox_element& m) {
    if (!on_.load(std::memory_order_relaxed)) return;
    auto& c = m.content();
    std::string what = "other";
    if (c.size() > 0 && c.match_element<caf::atom_value>(0))
      what = to_string(c.get_as<caf::atom_value>(0));
    else if (c.size() > 0 && c.match_element<io::completion>(0))
      what = "io completion";
    std::lock_guard<std::mutex> g(mtx_);
    hops_.push_back({to->name(), std::move(what)});
  }

 private:
  std::atomic<bool> on_{false};
  std::mutex mtx_;
  std::vector<hop> hops_;
};

}  // namespace stmfd::test

namespace caf {

// Replaces libcaf_core's definition for the whole test binary (see top).
void scheduled_actor::enqueue(mailbox_element_ptr ptr, execution_unit* eu) {
  using real_fn = void (*)(scheduled_actor*, mailbox_element_ptr, execution_unit*);
  static real_fn real = reinterpret_cast<real_fn>(dlsym(RTLD_NEXT,
                                                        "_ZN3caf15scheduled_actor7enqueueESt10unique_ptrINS_15mailbox_"
                                                        "elementENS_6detail8disposerEEPNS_14execution_unitE"));
  if (real == nullptr) std::abort();  // no CAF underneath: nothing could work
  if (ptr) stmfd::test::hop_recorder::get().note(this, *ptr);
  real(this, std::move(ptr), eu);
}

}  // namespace caf

using namespace stmfd;
using namespace stmfd::test;

namespace {

constexpr const char* target = "iqn.2026-11.org.stmfd:test";

void put_be32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = uint8_t(v >> (24 - 8 * i));
}
uint32_t get_be32(const uint8_t* p) { return uint32_t(p[0]) << 24 | p[1] << 16 | p[2] << 8 | p[3]; }

// A bare iSCSI initiator (RFC 7143) on a blocking socket: enough to log in
// and run single commands with immediate data.
struct initiator {
  int fd;
  uint32_t cmd_sn = 1, exp_stat_sn = 0, itt = 1;

  void send_pdu(std::array<uint8_t, 48> bhs, const std::vector<uint8_t>& data = {}) {
    bhs[5] = uint8_t(data.size() >> 16), bhs[6] = uint8_t(data.size() >> 8), bhs[7] = uint8_t(data.size());
    std::vector<uint8_t> out(bhs.begin(), bhs.end());
    out.insert(out.end(), data.begin(), data.end());
    out.resize((out.size() + 3) / 4 * 4, 0);
    REQUIRE(::write(fd, out.data(), out.size()) == ssize_t(out.size()));
  }
  void read_exact(uint8_t* p, size_t n) {
    for (size_t got = 0; got < n;) {
      ssize_t r = ::read(fd, p + got, n - got);
      REQUIRE(r > 0);
      got += size_t(r);
    }
  }
  // Reads one PDU; returns its BHS, fills data.
  std::array<uint8_t, 48> read_pdu(std::vector<uint8_t>& data) {
    std::array<uint8_t, 48> bhs;
    read_exact(bhs.data(), 48);
    size_t len = size_t(bhs[5]) << 16 | size_t(bhs[6]) << 8 | bhs[7];
    data.resize((size_t(bhs[4]) * 4) + (len + 3) / 4 * 4);
    if (!data.empty()) read_exact(data.data(), data.size());
    data.resize(size_t(bhs[4]) * 4 + len);
    return bhs;
  }

  void login() {
    std::string keys;
    for (const char* kv :
         {"InitiatorName=iqn.test.counter", "SessionType=Normal", "TargetName=iqn.2026-11.org.stmfd:test",
          "HeaderDigest=None", "DataDigest=None", "ErrorRecoveryLevel=0", "InitialR2T=No", "ImmediateData=Yes",
          "MaxBurstLength=262144", "FirstBurstLength=65536", "MaxConnections=1", "DefaultTime2Wait=0",
          "DefaultTime2Retain=0", "MaxOutstandingR2T=1", "DataPDUInOrder=Yes", "DataSequenceInOrder=Yes",
          "MaxRecvDataSegmentLength=65536"}) {
      keys += kv;
      keys += '\0';
    }
    std::vector<uint8_t> data(keys.begin(), keys.end());
    for (int round = 0; round < 4; ++round) {
      std::array<uint8_t, 48> b{};
      b[0] = 0x40 | 0x03;          // immediate Login Request
      b[1] = 0x80 | (1 << 2) | 3;  // T=1, CSG=1 (operational), NSG=3 (full feature)
      const uint8_t isid[6] = {0x80, 0, 0, 0, 0, 0x42};
      std::copy(isid, isid + 6, b.begin() + 8);
      put_be32(&b[16], itt);
      put_be32(&b[24], cmd_sn);
      put_be32(&b[28], exp_stat_sn);
      send_pdu(b, data);
      std::vector<uint8_t> rdata;
      auto r = read_pdu(rdata);
      REQUIRE((r[0] & 0x3f) == 0x23);
      REQUIRE(r[36] == 0);  // status class: success
      exp_stat_sn = get_be32(&r[24]) + 1;
      if ((r[1] & 0x80) && (r[1] & 0x03) == 3) return;
      data.clear();
    }
    FAIL("login did not reach the full feature phase");
  }

  // One SCSI Command to LUN 0 with F=1; `out` is its immediate data.
  void command(const std::vector<uint8_t>& cdb, bool read, uint32_t edtl, const std::vector<uint8_t>& out = {}) {
    std::array<uint8_t, 48> b{};
    b[0] = 0x01;
    b[1] = uint8_t(0x80 | (edtl == 0 ? 0 : read ? 0x40 : 0x20) | 1);  // F, R or W, SIMPLE
    put_be32(&b[16], ++itt);
    put_be32(&b[20], edtl);
    put_be32(&b[24], cmd_sn++);
    put_be32(&b[28], exp_stat_sn);
    std::copy(cdb.begin(), cdb.end(), b.begin() + 32);
    send_pdu(b, out);
  }

  // The target's R2T for the last command, answered with one Data-Out PDU
  // carrying what it asks for (RFC 7143 11.7, 11.8).
  void answer_r2t(const std::vector<uint8_t>& out) {
    std::vector<uint8_t> none;
    auto r = read_pdu(none);
    REQUIRE((r[0] & 0x3f) == 0x31);
    uint32_t offset = get_be32(&r[40]), length = get_be32(&r[44]);
    REQUIRE(uint64_t(offset) + length <= out.size());
    std::array<uint8_t, 48> b{};
    b[0] = 0x05;
    b[1] = 0x80;                                                // F: the last Data-Out of the burst
    std::copy(r.begin() + 16, r.begin() + 24, b.begin() + 16);  // ITT and TTT echoed
    put_be32(&b[28], exp_stat_sn);
    put_be32(&b[40], offset);
    send_pdu(b, {out.begin() + offset, out.begin() + offset + length});
  }

  // Reads the command's result: Data-In bytes, and its status.
  uint8_t result(std::vector<uint8_t>& data_in) {
    for (;;) {
      std::vector<uint8_t> data;
      auto r = read_pdu(data);
      uint8_t op = r[0] & 0x3f;
      if (op == 0x25) {  // Data-In
        data_in.insert(data_in.end(), data.begin(), data.end());
        if (r[1] & 0x01) {  // S: status folded in
          exp_stat_sn = get_be32(&r[24]) + 1;
          return r[3];
        }
        continue;
      }
      REQUIRE(op == 0x21);  // SCSI Response
      exp_stat_sn = get_be32(&r[24]) + 1;
      return r[3];
    }
  }
};

// Deliveries of one command, without timer ticks (the connection's 1 s tick
// is not the command's).
std::vector<hop> measure(initiator& ini, const std::vector<uint8_t>& cdb, bool read, uint32_t edtl,
                         const std::vector<uint8_t>& out, std::vector<uint8_t>& data_in, uint8_t& status) {
  hop_recorder::get().start();
  ini.command(cdb, read, edtl, out);
  status = ini.result(data_in);
  // The send's completion reaches the connection just after the bytes reach us.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  auto hops = hop_recorder::get().stop();
  std::vector<hop> mine;
  for (auto& h : hops)
    if (h.what != "tick") mine.push_back(h);
  if (std::getenv("STMFD_SHOW_HOPS")) {
    std::printf("%s:\n", read ? "READ" : "WRITE");
    for (size_t i = 0; i < mine.size(); ++i)
      std::printf("  %zu. %s <- %s\n", i + 1, mine[i].receiver.c_str(), mine[i].what.c_str());
  }
  return mine;
}

std::string describe(const std::vector<hop>& hops) {
  std::string s;
  for (auto& h : hops) s += h.receiver + " <- " + h.what + "\n";
  return s;
}

std::vector<std::string> whats(const std::vector<hop>& hops) {
  std::vector<std::string> out;
  for (auto& h : hops) out.push_back(h.what);
  return out;
}

// An iSCSI connection actor for the fixture's target on one end of a
// socket pair, logged in by a bare initiator on the other; one warm-up READ
// has spawned the session's task actor.
struct iscsi_session {
  stmf_fixture& f;
  caf::actor conn;
  initiator ini{-1};

  explicit iscsi_session(stmf_fixture& fx) : f(fx) {
    caf::actor io_actor;
    f.self->request(f.stmf, std::chrono::seconds(5), get_atom::value, io_atom::value)
        .receive([&](caf::actor& a) { io_actor = a; }, [](caf::error&) { FAIL("no io actor"); });
    std::shared_ptr<io::ring> ring;
    f.self->request(io_actor, std::chrono::seconds(5), io::get_ring_atom::value)
        .receive([&](std::shared_ptr<io::ring>& r) { ring = r; }, [](caf::error&) { FAIL("no ring"); });
    REQUIRE(ring);
    iscsi::target_port tp;
    tp.info.name = target;
    tp.info.tpgt = 1;
    auto ctx = std::make_shared<iscsi::port_context>(iscsi::target_directory({tp}), iscsi::port_settings{},
                                                     std::vector<std::string>{});
    auto ports = std::make_shared<const std::vector<local_port>>(
        std::vector<local_port>{local_port{transport::iscsi, target, 1, 1, {}}});
    int fds[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) == 0);
    timeval tv{10, 0};
    ::setsockopt(fds[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ini.fd = fds[0];
    conn = f.sys.spawn<iscsi::connection>(fds[1], ring, f.stmf, ctx, ports, std::string("counter"));
    ini.login();
    std::vector<uint8_t> ignored;
    ini.command(read10(0, 8), true, 4096);
    REQUIRE(ini.result(ignored) == 0);
    // Its send completion must not land in the first measurement.
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ~iscsi_session() {
    ::close(ini.fd);  // the connection sees the peer go and ends
    f.self->monitor(conn);
    f.self->receive([](const caf::down_msg&) {}, caf::after(std::chrono::seconds(10)) >> [] { FAIL("still up"); });
  }
};

std::vector<uint8_t> pattern() {
  std::vector<uint8_t> data(4096);
  for (size_t i = 0; i < data.size(); ++i) data[i] = uint8_t(i * 5 + 3);
  return data;
}

// The hop sequence of docs/messages.md: port <- recv; task <- execute
// (it watches the LU); LU <- execute (from the session layer); LU <- I/O
// completion; port <- done (from the LU); port <- send completion.
const std::vector<std::string> six = {"io completion", "execute", "execute", "io completion", "done", "io completion"};

}  // namespace

TEST_CASE("a_4k_read_and_a_4k_write_each_cost_six_mailbox_deliveries_on_iscsi", "[actors][count]") {
  stmf_fixture f(lu_definition::backing_kind::file);
  iscsi_session s(f);
  auto data = pattern();
  uint8_t status = 0xff;
  std::vector<uint8_t> none, back;
  auto write_hops = measure(s.ini, write10(64, 8), false, 4096, data, none, status);
  REQUIRE(status == 0);
  auto read_hops = measure(s.ini, read10(64, 8), true, 4096, {}, back, status);
  REQUIRE(status == 0);
  CHECK(back == data);
  INFO("WRITE:\n" << describe(write_hops) << "READ:\n" << describe(read_hops));
  CHECK(whats(read_hops) == six);
  CHECK(whats(write_hops) == six);
  REQUIRE(read_hops.size() == 6);
  CHECK(read_hops[0].receiver == "iscsi_connection");
  CHECK(read_hops[2].receiver == "lu");
  CHECK(read_hops[3].receiver == "lu");
  CHECK(read_hops[4].receiver == "iscsi_connection");
  CHECK(read_hops[5].receiver == "iscsi_connection");
}

TEST_CASE("a_fua_write_costs_one_more_delivery_for_its_flush", "[actors][count]") {
  stmf_fixture f(lu_definition::backing_kind::file);
  iscsi_session s(f);
  auto cdb = write10(64, 8);
  cdb[1] |= 0x08;  // FUA (SBC-4 5.40): the write completes, then an fsync
  uint8_t status = 0xff;
  std::vector<uint8_t> none;
  auto hops = measure(s.ini, cdb, false, 4096, pattern(), none, status);
  REQUIRE(status == 0);
  INFO(describe(hops));
  CHECK(whats(hops) == std::vector<std::string>{"io completion", "execute", "execute", "io completion", "io completion",
                                                "done", "io completion"});
}

TEST_CASE("a_ram_lu_saves_the_io_completion_hop", "[actors][count]") {
  stmf_fixture f(lu_definition::backing_kind::ram);
  iscsi_session s(f);
  uint8_t status = 0xff;
  std::vector<uint8_t> back;
  auto hops = measure(s.ini, read10(0, 8), true, 4096, {}, back, status);
  REQUIRE(status == 0);
  INFO(describe(hops));
  CHECK(whats(hops) == std::vector<std::string>{"io completion", "execute", "execute", "done", "io completion"});
}

TEST_CASE("a_write_without_immediate_data_costs_four_more_for_its_r2t", "[actors][count]") {
  stmf_fixture f(lu_definition::backing_kind::file);
  iscsi_session s(f);
  auto data = pattern();
  hop_recorder::get().start();
  s.ini.command(write10(64, 8), false, 4096);  // W=1, no data with the command
  s.ini.answer_r2t(data);
  std::vector<uint8_t> none;
  REQUIRE(s.ini.result(none) == 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  std::vector<std::string> got;
  for (auto& h : hop_recorder::get().stop())
    if (h.what != "tick") got.push_back(h.what);
  // recv (command), task actor and LU <- execute (the write is posted with
  // no data), port <- xfer (the LU asks for the data when it runs it), send
  // completion (R2T), recv (Data-Out), LU <- the xfer answer (xfer_atom
  // with the DataTransferCompletion in the task's slot), then the LU's
  // write and the usual tail.
  CHECK(got == std::vector<std::string>{"io completion", "execute", "execute", "xfer", "io completion", "io completion",
                                        "xfer", "io completion", "done", "io completion"});
}
