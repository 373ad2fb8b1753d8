#pragma once
// iSCSI PDU codec (RFC 7143 11). A PDU is a 48-byte Basic Header Segment
// (BHS), optional AHS, optional header digest, a data segment padded to 4
// bytes, and an optional data digest. This file reads a received BHS in place
// (bhs_view) and builds target-to-initiator BHSs (bhs_builder); it never
// allocates and never owns payload bytes.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "wire/scsi/cdb.hpp"

namespace stmfd::iscsi {

constexpr size_t bhs_len = 48;
constexpr uint32_t reserved_tag = 0xFFFFFFFFu;  // RFC 7143 11.18: TTT/ITT "none"

// RFC 7143 11.1.1 opcodes.
enum class opcode : uint8_t {
  nop_out = 0x00,
  scsi_command = 0x01,
  task_mgmt_request = 0x02,
  login_request = 0x03,
  text_request = 0x04,
  data_out = 0x05,
  logout_request = 0x06,
  snack_request = 0x10,
  nop_in = 0x20,
  scsi_response = 0x21,
  task_mgmt_response = 0x22,
  login_response = 0x23,
  text_response = 0x24,
  data_in = 0x25,
  logout_response = 0x26,
  r2t = 0x31,
  async_message = 0x32,
  reject = 0x3f,
};

// Big-endian fields: the helpers shared by every wire codec (wire/scsi/cdb.hpp).
using scsi::get_be16;
using scsi::get_be24;
using scsi::get_be32;
using scsi::get_be64;
using scsi::put_be16;
using scsi::put_be24;
using scsi::put_be32;
using scsi::put_be64;

inline uint32_t pad4(uint32_t n) { return (n + 3u) & ~3u; }

// Serial number arithmetic on 32-bit sequence numbers (RFC 1982, RFC 7143 4.2.2.1).
inline bool sn_lt(uint32_t a, uint32_t b) { return a != b && int32_t(a - b) < 0; }
inline bool sn_le(uint32_t a, uint32_t b) { return a == b || sn_lt(a, b); }

// A received BHS, read in place. Field offsets are those of RFC 7143 11.x;
// accessors named for a PDU type are only meaningful for that type.
class bhs_view {
 public:
  explicit bhs_view(const uint8_t* p) : p_(p) {}
  const uint8_t* data() const { return p_; }

  opcode op() const { return opcode(p_[0] & 0x3f); }
  bool immediate() const { return (p_[0] & 0x40) != 0; }
  uint8_t flags() const { return p_[1]; }
  bool final_bit() const { return (p_[1] & 0x80) != 0; }
  uint32_t ahs_bytes() const { return uint32_t(p_[4]) * 4; }
  uint32_t data_segment_length() const { return get_be24(p_ + 5); }
  uint64_t lun_field() const { return get_be64(p_ + 8); }
  const uint8_t* lun_field_bytes() const { return p_ + 8; }  // the raw 8-byte LUN (SAM-5 4.7)
  uint32_t itt() const { return get_be32(p_ + 16); }
  uint32_t word20() const { return get_be32(p_ + 20); }  // TTT / EDTL / RTT / CID
  uint32_t cmd_sn() const { return get_be32(p_ + 24); }
  uint32_t exp_stat_sn() const { return get_be32(p_ + 28); }

  // SCSI Command (11.3)
  bool read_bit() const { return (p_[1] & 0x40) != 0; }
  bool write_bit() const { return (p_[1] & 0x20) != 0; }
  uint8_t task_attr() const { return p_[1] & 0x07; }
  uint32_t expected_data_length() const { return word20(); }
  const uint8_t* cdb() const { return p_ + 32; }

  // Data-Out (11.7) and SNACK
  uint32_t ttt() const { return word20(); }
  uint32_t data_sn() const { return get_be32(p_ + 36); }
  uint32_t buffer_offset() const { return get_be32(p_ + 40); }

  // Task Management Function Request (11.5)
  uint8_t tmf_function() const { return p_[1] & 0x7f; }
  uint32_t referenced_tag() const { return word20(); }
  uint32_t ref_cmd_sn() const { return get_be32(p_ + 32); }

  // Logout Request (11.14)
  uint8_t logout_reason() const { return p_[1] & 0x7f; }
  uint16_t logout_cid() const { return get_be16(p_ + 20); }

  // Text Request (11.10)
  bool continue_bit() const { return (p_[1] & 0x40) != 0; }

  // Login Request (11.12)
  bool transit() const { return (p_[1] & 0x80) != 0; }
  uint8_t csg() const { return (p_[1] >> 2) & 3; }
  uint8_t nsg() const { return p_[1] & 3; }
  uint8_t version_max() const { return p_[2]; }
  uint8_t version_min() const { return p_[3]; }
  const uint8_t* isid() const { return p_ + 8; }
  uint16_t tsih() const { return get_be16(p_ + 14); }
  uint16_t login_cid() const { return get_be16(p_ + 20); }

 private:
  const uint8_t* p_;
};

// Sequence numbers carried by every target-to-initiator PDU that has them.
struct sn_fields {
  uint32_t stat_sn = 0, exp_cmd_sn = 0, max_cmd_sn = 0;
};

// Builds one target-to-initiator BHS into a caller-owned 48-byte array.
// Each function zeroes the header first; the data segment length is set by
// the caller through set_data_length() when a data segment follows.
namespace build {
void set_data_length(uint8_t* bhs, uint32_t len);

// 11.4 SCSI Response. flags: o/u residual bits; response 0 = completed at target.
struct scsi_response_args {
  uint32_t itt;
  uint8_t status;
  uint8_t response = 0;
  bool overflow = false, underflow = false;
  uint32_t residual = 0;
  uint32_t exp_data_sn = 0;
  sn_fields sn;
};
void scsi_response(uint8_t* bhs, const scsi_response_args& a);

// 11.7 SCSI Data-In. With status_present the PDU also carries the status (S bit, F bit set).
struct data_in_args {
  uint64_t lun_field = 0;
  uint32_t itt;
  uint32_t data_sn, buffer_offset;
  bool final = false;
  bool status_present = false;
  uint8_t status = 0;
  bool overflow = false, underflow = false;
  uint32_t residual = 0;
  sn_fields sn;  // StatSN only meaningful with status_present
};
void data_in(uint8_t* bhs, const data_in_args& a);

// 11.8 R2T
struct r2t_args {
  uint64_t lun_field;
  uint32_t itt, ttt, r2t_sn, buffer_offset, desired_length;
  sn_fields sn;
};
void r2t(uint8_t* bhs, const r2t_args& a);

// 11.19 NOP-In
void nop_in(uint8_t* bhs, uint64_t lun_field, uint32_t itt, uint32_t ttt, const sn_fields& sn);

// 11.6 Task Management Function Response
void task_mgmt_response(uint8_t* bhs, uint32_t itt, uint8_t response, const sn_fields& sn);

// 11.15 Logout Response
void logout_response(uint8_t* bhs, uint32_t itt, uint8_t response, uint16_t time2wait, uint16_t time2retain,
                     const sn_fields& sn);

// 11.11 Text Response
void text_response(uint8_t* bhs, uint32_t itt, uint32_t ttt, bool final, bool cont, const sn_fields& sn);

// 11.13 Login Response
struct login_response_args {
  bool transit, cont;
  uint8_t csg, nsg;
  uint8_t version_max = 0, version_active = 0;
  const uint8_t* isid;
  uint16_t tsih;
  uint32_t itt;
  uint8_t status_class, status_detail;
  sn_fields sn;
};
void login_response(uint8_t* bhs, const login_response_args& a);

// 11.17 Reject: the data segment is the offending BHS (set_data_length(48)).
void reject(uint8_t* bhs, uint8_t reason, uint32_t data_sn_or_r2t_sn, const sn_fields& sn);

// 11.9 Asynchronous Message (event 1: target requests logout; 2: drop connection ...)
void async_message(uint8_t* bhs, uint8_t event, uint16_t param1, uint16_t param2, uint16_t param3, const sn_fields& sn);
}  // namespace build

// Reject reasons (RFC 7143 11.17.1).
namespace reject_reason {
constexpr uint8_t data_digest_error = 0x02;
constexpr uint8_t snack_reject = 0x03;
constexpr uint8_t protocol_error = 0x04;
constexpr uint8_t command_not_supported = 0x05;
constexpr uint8_t immediate_command_rejected = 0x06;
constexpr uint8_t task_in_progress = 0x07;
constexpr uint8_t invalid_data_ack = 0x08;
constexpr uint8_t invalid_pdu_field = 0x09;
constexpr uint8_t long_operation_reject = 0x0a;
constexpr uint8_t waiting_for_logout = 0x0c;
}  // namespace reject_reason

// Task management function codes (11.5.1) and responses (11.6.1).
namespace tmf {
constexpr uint8_t abort_task = 1, abort_task_set = 2, clear_aca = 3, clear_task_set = 4, lun_reset = 5,
                  target_warm_reset = 6, target_cold_reset = 7, task_reassign = 8;
constexpr uint8_t complete = 0, task_not_exist = 1, lun_not_exist = 2, task_allegiant = 3, reassign_unsupported = 4,
                  not_supported = 5, auth_failed = 6, rejected = 255;
}  // namespace tmf

}  // namespace stmfd::iscsi
