#pragma once
// An FC initiator in the test's thread, on the initiator end of a loopback
// HBA pair: it sends ELS, FCP and BLS frames and waits for the target's
// answers, the way libfc/an HBA would, with nothing between it and the FC
// port provider but the loopback queues.
#include <array>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "plugins/port/fc/hba/loopback.hpp"
#include "wire/fc/els.hpp"
#include "wire/fc/fcp.hpp"

namespace stmfd::test {

class fc_initiator {
 public:
  fc_initiator(std::shared_ptr<fc::hba::loopback_end> end, uint64_t wwpn, uint32_t target_id);
  ~fc_initiator();

  // Sends a frame from this port (S_ID filled in).
  void send(fc::frame f);
  // The next frame the target sent, or nullopt after `wait`.
  std::optional<fc::frame> next(std::chrono::milliseconds wait = std::chrono::milliseconds(5000));
  // The next frame of exchange `ox_id` (others are kept for later).
  std::optional<fc::frame> next_of(uint16_t ox_id, std::chrono::milliseconds wait = std::chrono::milliseconds(5000));

  // An ELS request in a new exchange, and its reply's payload (empty on timeout).
  std::vector<uint8_t> els(const std::vector<uint8_t>& payload, uint32_t d_id = 0);
  fc::els::login_params login_payload(uint8_t code) const;
  // FLOGI, PLOGI and PRLI (FCP, image pair, initiator function); true when all accepted.
  bool login();

  struct result {
    std::optional<fc::fcp::rsp> rsp;
    std::vector<uint8_t> data;                 // FCP_DATA received, placed at its relative offsets
    std::vector<fc::fcp::xfer_rdy> xfer_rdys;  // what the target solicited
    uint32_t data_frames = 0;
    bool offsets_in_order = true;
  };
  // Sends FCP_CMND on a fresh OX_ID and serves the exchange to its FCP_RSP:
  // answers each XFER_RDY with the data it names (frames of `frame_size`).
  result command(const std::vector<uint8_t>& cdb, uint32_t dl, bool read, bool write,
                 const std::vector<uint8_t>& data_out = {}, uint16_t lun = 0, uint8_t tm_flags = 0);
  // Sends FCP_CMND only (for aborts and malformed-input tests); returns its OX_ID.
  uint16_t send_command(const std::vector<uint8_t>& cdb, uint32_t dl, bool read, bool write, uint16_t lun = 0,
                        uint8_t tm_flags = 0);
  // Serves an exchange started with send_command to its FCP_RSP.
  result finish(uint16_t ox, const std::vector<uint8_t>& data_out = {}, size_t frame_size = 2048);
  void send_data(uint16_t ox, uint32_t offset, const uint8_t* p, size_t n, bool end_sequence);
  // ABTS for `ox`; returns the BLS reply (BA_ACC or BA_RJT) or nullopt.
  std::optional<fc::frame> abts(uint16_t ox, std::chrono::milliseconds wait = std::chrono::milliseconds(5000));

  uint16_t new_ox() { return next_ox_++; }
  uint32_t id() const { return end_->port_id(); }
  uint64_t wwpn() const { return wwpn_; }

 private:
  std::shared_ptr<fc::hba::loopback_end> end_;
  uint64_t wwpn_;
  uint32_t target_id_;
  uint16_t next_ox_ = 0x100;
  std::mutex mtx_;
  std::condition_variable cv_;
  bool woke_ = false;
  std::deque<fc::frame> kept_;
};

// CDBs and helpers for the FC tests.
std::vector<uint8_t> fc_cdb_read10(uint32_t lba, uint16_t blocks);
std::vector<uint8_t> fc_cdb_write10(uint32_t lba, uint16_t blocks);
std::vector<uint8_t> pattern(size_t n, uint8_t seed);

}  // namespace stmfd::test
