#pragma once
// FCP information units (FCP-4 9): FCP_CMND, FCP_XFER_RDY, FCP_RSP (FCP_DATA
// is the bare data). Pure; decoders return nullopt for truncated or
// inconsistent IUs.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace stmfd::fc::fcp {

// FCP-4 Table 23: task attribute (bits 2-0 of byte 9).
namespace attr {
constexpr uint8_t simple = 0;
constexpr uint8_t head_of_queue = 1;
constexpr uint8_t ordered = 2;
constexpr uint8_t aca = 4;
constexpr uint8_t untagged = 5;  // obsolete in FCP-4, still sent by old initiators
}  // namespace attr

// FCP-4 Table 24: task management flags (byte 10); at most one is set.
namespace tmf {
constexpr uint8_t abort_task_set = 0x02;
constexpr uint8_t clear_task_set = 0x04;
constexpr uint8_t lu_reset = 0x10;
constexpr uint8_t target_reset = 0x20;  // obsolete in FCP-4, still sent by Linux
constexpr uint8_t clear_aca = 0x40;
}  // namespace tmf

constexpr size_t cmnd_min_len = 32;
constexpr size_t max_cdb = 16 + 63 * 4;  // 16 plus ADDITIONAL FCP_CDB LENGTH words

struct cmnd {
  std::array<uint8_t, 8> lun{};
  uint8_t crn = 0;
  uint8_t priority = 0;
  uint8_t attribute = attr::simple;
  uint8_t tm_flags = 0;
  bool rddata = false, wrdata = false;
  std::array<uint8_t, max_cdb> cdb{};
  uint16_t cdb_len = 16;
  uint32_t dl = 0;            // FCP_DL: bytes the initiator expects to move
  uint32_t bidi_read_dl = 0;  // only with both RDDATA and WRDATA
};
std::vector<uint8_t> encode(const cmnd& c);
// Nullopt when shorter than the CDB length it announces (plus FCP_DL, plus
// the bidirectional read length when both directions are set).
std::optional<cmnd> decode_cmnd(const uint8_t* p, size_t len);

// FCP_XFER_RDY (FCP-4 9.3): 12 bytes.
struct xfer_rdy {
  uint32_t offset = 0;  // FCP_DATA_RO
  uint32_t burst = 0;   // FCP_BURST_LEN
  bool operator==(const xfer_rdy&) const = default;
};
std::vector<uint8_t> encode(const xfer_rdy& x);
std::optional<xfer_rdy> decode_xfer_rdy(const uint8_t* p, size_t len);

// FCP_RSP flags (FCP-4 Table 28, byte 10) and FCP_RSP_INFO codes (Table 29).
namespace flag {
constexpr uint8_t rsp_len_valid = 0x01;
constexpr uint8_t sns_len_valid = 0x02;
constexpr uint8_t resid_over = 0x04;
constexpr uint8_t resid_under = 0x08;
constexpr uint8_t conf_req = 0x10;
}  // namespace flag
namespace rsp_code {
constexpr uint8_t complete = 0x00;  // task management function complete
constexpr uint8_t data_len_mismatch = 0x01;
constexpr uint8_t cmnd_invalid = 0x02;
constexpr uint8_t data_ro_mismatch = 0x03;
constexpr uint8_t tmf_not_supported = 0x04;
constexpr uint8_t tmf_failed = 0x05;
constexpr uint8_t tmf_incorrect_lun = 0x09;
}  // namespace rsp_code

struct rsp {
  uint16_t status_qualifier = 0;  // retry delay timer / status qualifier
  uint8_t status = 0;             // SAM-5 status
  bool resid_over = false, resid_under = false;
  uint32_t resid = 0;
  bool conf_req = false;
  std::optional<uint8_t> response;  // FCP_RSP_INFO present with this code
  std::vector<uint8_t> sense;
  bool operator==(const rsp&) const = default;
};
std::vector<uint8_t> encode(const rsp& r);
// Nullopt when the IU is shorter than 24 bytes plus the lengths its flags
// announce, or RSP_LEN is neither 0, 4 nor 8 (FCP-4 9.5.12).
std::optional<rsp> decode_rsp(const uint8_t* p, size_t len);

// Residual of a command that moved `moved` bytes against FCP_DL (FCP-4 9.5.9).
inline void set_residual(rsp& r, uint32_t dl, uint32_t moved) {
  r.resid_over = moved > dl;
  r.resid_under = moved < dl;
  r.resid = r.resid_over ? moved - dl : dl - moved;
}

}  // namespace stmfd::fc::fcp
