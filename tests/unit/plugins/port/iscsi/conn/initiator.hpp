#pragma once
// The initiator's side of a connection under test: builds initiator PDUs
// by hand (RFC 7143 11; CRC32C header and data digests when the login
// offered them, 13.1) and reads the target's, digests checked, over the
// test's end of a socketpair. Every read has a deadline.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "wire/iscsi/pdu.hpp"

namespace stmfd::iscsi::test {

using bytes = std::vector<uint8_t>;

// One PDU from the target.
struct pdu {
  bytes bhs;  // 48 bytes
  bytes data;
  uint8_t op() const { return bhs[0] & 0x3f; }
  uint8_t flags() const { return bhs[1]; }
  uint32_t itt() const { return get_be32(&bhs[16]); }
  uint32_t ttt() const { return get_be32(&bhs[20]); }
  uint32_t stat_sn() const { return get_be32(&bhs[24]); }
  uint32_t exp_cmd_sn() const { return get_be32(&bhs[28]); }
  uint32_t max_cmd_sn() const { return get_be32(&bhs[32]); }
  uint8_t status() const { return bhs[3]; }         // SCSI Response
  uint8_t reject_reason() const { return bhs[2]; }  // Reject
  uint32_t r2t_offset() const { return get_be32(&bhs[40]); }
  uint32_t r2t_length() const { return get_be32(&bhs[44]); }
};

// Opcodes as numbers (the target's replies are compared with these).
namespace op {
constexpr uint8_t nop_out = 0x00, scsi_command = 0x01, login_request = 0x03, text_request = 0x04, data_out = 0x05;
constexpr uint8_t nop_in = 0x20, scsi_response = 0x21, login_response = 0x23, text_response = 0x24, data_in = 0x25,
                  r2t = 0x31, reject = 0x3f;
}  // namespace op

// A header with opcode (and the I bit), flags, ITT and data length set.
bytes header(uint8_t opcode, bool immediate, uint8_t flags, uint32_t itt, uint32_t dlen);
// Header plus data padded to 4 bytes (RFC 7143 11.1).
bytes with_data(bytes bhs, const bytes& data);
// "k=v\0" pairs (RFC 7143 6.1).
bytes text_keys(const std::vector<std::pair<std::string, std::string>>& kv);

class initiator {
 public:
  explicit initiator(int fd) : fd_(fd) {}
  int fd() const { return fd_; }

  // Blocking send of all bytes (poll with a 5 s deadline); false if it did not all go.
  bool send(const bytes& b, int timeout_ms = 5000);
  // The next PDU, or nothing when none completes within timeout_ms or the
  // target closed. Tracks StatSN/ExpCmdSN/MaxCmdSN, and records whether
  // MaxCmdSN ever went down (RFC 7143 4.2.2.1 forbids it).
  std::optional<pdu> recv(int timeout_ms = 3000);
  // True when the target closes the connection within timeout_ms (PDUs that
  // arrive meanwhile are discarded).
  bool closed_within(int timeout_ms);

  // What login offers besides the fixed keys.
  struct login_options {
    bool initial_r2t = true;
    uint32_t max_outstanding_r2t = 1;
    bool digests = false;  // HeaderDigest=CRC32C and DataDigest=CRC32C
  };
  // Login straight into the full feature phase (CSG=1, NSG=3), with
  // InitialR2T (Yes unless told), ImmediateData=Yes, MaxBurstLength=262144,
  // FirstBurstLength=65536, MaxRecvDataSegmentLength=262144. Returns the
  // final Login Response (status checked by the caller).
  std::optional<pdu> login(const std::string& target, login_options o);
  std::optional<pdu> login(const std::string& target) { return login(target, login_options{}); }

  // SCSI Command (11.3). final: F bit; returns the ITT. cmd_sn: the next
  // CmdSN unless given (then the counter does not move).
  uint32_t command(const uint8_t* cdb, size_t cdb_len, bool read, bool write, uint32_t edtl,
                   const bytes& immediate_data = {}, bool immediate = false, bool final = true,
                   std::optional<uint32_t> cmd_sn = std::nullopt);
  uint32_t test_unit_ready(bool immediate = false, std::optional<uint32_t> cmd_sn = std::nullopt);
  // A SCSI Command with no data whose BHS carries `cdb16` and is followed by
  // the raw AHS bytes `ahs` (TotalAHSLength = ahs.size() / 4, RFC 7143 11.2.2).
  uint32_t command_with_ahs(const bytes& cdb16, const bytes& ahs);
  // Text Request (11.10): F and C bits, TTT, the next CmdSN (not immediate).
  void text(uint32_t itt, uint32_t ttt, const bytes& data, bool final, bool cont);
  uint32_t write10(uint32_t lba, uint32_t bytes_len, const bytes& immediate_data = {});
  uint32_t read10(uint32_t lba, uint32_t bytes_len);
  // Data-Out (11.7) for an R2T (or unsolicited with ttt = reserved).
  bool data_out(uint32_t itt, uint32_t ttt, uint32_t data_sn, uint32_t offset, const bytes& data, bool final);
  // Answers one R2T with Data-Out PDUs of at most `pdu_bytes`.
  bool answer_r2t(const pdu& r2t, const bytes& all_data, uint32_t pdu_bytes = 65536);
  // NOP-Out (11.18) with the I bit, expecting an echo.
  uint32_t ping(const bytes& data);
  // The whole NOP-Out as bytes (for tests that send it in pieces).
  bytes ping_pdu(uint32_t itt, const bytes& data);

  // The next PDU sent with a data segment gets a wrong data digest; the
  // next PDU sent gets a wrong header digest (digests negotiated).
  void corrupt_next_data_digest() { corrupt_data_ = true; }
  void corrupt_next_header_digest() { corrupt_header_ = true; }
  // Digests in use since the login (both, as offered, or neither).
  bool digests() const { return digests_; }
  // The target's digests on a PDU read so far were all right.
  bool target_digests_ok() const { return target_digests_ok_; }
  // Header plus data padded to 4 bytes, with the digests in use.
  bytes frame(const bytes& bhs, const bytes& data = {});

  uint32_t new_itt() { return ++itt_; }
  uint32_t cmd_sn() const { return cmd_sn_; }
  uint32_t exp_cmd_sn() const { return exp_cmd_sn_; }
  uint32_t max_cmd_sn() const { return max_cmd_sn_; }
  bool max_cmd_sn_decreased() const { return max_decreased_; }

 private:
  bool read_exact(uint8_t* p, size_t n, int timeout_ms);
  int fd_;
  uint32_t itt_ = 0x10;
  uint32_t cmd_sn_ = 1, exp_stat_sn_ = 0, exp_cmd_sn_ = 1, max_cmd_sn_ = 0;
  bool seen_window_ = false, max_decreased_ = false;
  bool digests_ = false, corrupt_data_ = false, corrupt_header_ = false, target_digests_ok_ = true;
};

}  // namespace stmfd::iscsi::test
