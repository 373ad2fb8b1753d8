#pragma once
// One iSCSI connection actor under test, driven through a socketpair by a
// hand-written initiator (initiator.hpp), with a real io::ring and the fake
// STMF and LU of fakes.hpp.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include <caf/all.hpp>
#include <catch2/catch.hpp>

#include "actors/common/fwd.hpp"
#include "fakes.hpp"
#include "initiator.hpp"
#include "io/buffer_pool.hpp"
#include "io/ring.hpp"
#include "plugins/port/iscsi/atoms.hpp"
#include "plugins/port/iscsi/port_config.hpp"

namespace stmfd::iscsi::test {

struct conn_fixture {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  std::shared_ptr<io::ring> ring;
  caf::actor lu, stmf, conn;
  int peer_fd = -1;
  initiator ini{-1};

  explicit conn_fixture(port_settings settings = test_settings(), int conn_sndbuf = 0);
  ~conn_fixture();

  // Logs in and requires the full feature phase.
  void login(initiator::login_options o = {});
  connection_stats stats();
  // Polls stats until pred holds (true) or timeout_ms passes (false).
  template <class Pred>
  bool eventually(Pred pred, int timeout_ms = 3000);
  // The next PDU, required to have opcode `op` (and ITT, unless reserved_tag).
  pdu expect(uint8_t opcode, uint32_t itt = reserved_tag, int timeout_ms = 3000);
  // One SCSI Response for each ITT, in any order (commands on different
  // task actors finish in any order); their statuses, all required GOOD.
  void expect_good(const std::vector<uint32_t>& itts);
  // No PDU at all within ms.
  bool quiet(int ms = 300);
  void lu_hold(bool on);
  void lu_release();
  // The fake LU's Data-Out requests so far, and the data of its last write.
  std::vector<xfer_record> xfers();
  bytes last_write();
  bytes last_cdb();  // the CDB of the last task the fake LU ran
  // Makes the LU hold commands, sends n TEST UNIT READYs and waits until
  // the connection counts them in progress; their ITTs.
  std::vector<uint32_t> hold_commands(uint32_t n);
};

template <class Pred>
bool conn_fixture::eventually(Pred pred, int timeout_ms) {
  for (int waited = 0; waited <= timeout_ms; waited += 10) {
    if (pred(stats())) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

// Sets the global buffer pool's cap to what is in use now plus `headroom`
// (the cache emptied first), and lifts it again when it goes.
struct pool_cap_guard {
  explicit pool_cap_guard(uint64_t headroom);
  ~pool_cap_guard();
};

bytes pattern(size_t n, uint8_t seed);

// The SCSI Response's sense (RFC 7143 11.4.7.2: a 2-byte length, then the sense data).
bytes sense_of(const pdu& p);
// Checks a SCSI Response: CHECK CONDITION with fixed-format sense of this
// key, ASC and ASCQ.
void check_condition_with(const pdu& rsp, uint8_t key, uint8_t asc, uint8_t ascq);
// Ticks the connection (the port actor does it each second in the daemon)
// until a PDU arrives or `seconds` pass.
std::optional<pdu> tick_until_pdu(conn_fixture& f, int seconds);
// WRITE(10) of `len` bytes at LBA 0 with F=0: unsolicited Data-Out follows (RFC 7143 11.3.1.1).
uint32_t write_with_unsolicited(initiator& ini, uint32_t len, const bytes& imm);

}  // namespace stmfd::iscsi::test
