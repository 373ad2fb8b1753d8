#pragma once
// The Fibre Channel frame header (FC-FS-4 9, 24 bytes) and the header field
// values this target uses. Pure: no I/O. A frame travels between the HBA
// and the port provider as header + payload (the payload padded to a word
// by the sender, F_CTL fill bytes telling how many pad bytes it carries);
// SOF/EOF and the CRC belong to the link encapsulation (fcoe.hpp).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace stmfd::fc {

constexpr size_t header_len = 24;
// FC-FS-4 9.1: the largest data field of a frame.
constexpr size_t max_payload = 2112;

// R_CTL (FC-FS-4 9.3): routing (high nibble) and information category.
namespace r_ctl {
constexpr uint8_t fcp_data = 0x01;       // device data, solicited data
constexpr uint8_t unsol_control = 0x02;  // device data, unsolicited control
constexpr uint8_t fcp_xfer_rdy = 0x05;   // device data, data descriptor
constexpr uint8_t fcp_cmnd = 0x06;       // device data, unsolicited command
constexpr uint8_t fcp_rsp = 0x07;        // device data, command status
constexpr uint8_t els_request = 0x22;    // extended link data, unsolicited control
constexpr uint8_t els_reply = 0x23;      // extended link data, solicited control
constexpr uint8_t ba_nop = 0x80;         // basic link data (FC-FS-4 15.3)
constexpr uint8_t abts = 0x81;
constexpr uint8_t ba_acc = 0x84;
constexpr uint8_t ba_rjt = 0x85;
}  // namespace r_ctl

// TYPE (FC-FS-4 9.6).
namespace type {
constexpr uint8_t bls = 0x00;
constexpr uint8_t els = 0x01;
constexpr uint8_t fcp = 0x08;
}  // namespace type

// F_CTL bits (FC-FS-4 9.7, a 24-bit field).
namespace f_ctl {
constexpr uint32_t exchange_responder = 1u << 23;  // the frame comes from the exchange's responder
constexpr uint32_t sequence_recipient = 1u << 22;  // the frame comes from the sequence's recipient
constexpr uint32_t first_sequence = 1u << 21;
constexpr uint32_t last_sequence = 1u << 20;
constexpr uint32_t end_sequence = 1u << 19;
constexpr uint32_t sequence_initiative = 1u << 16;  // transferred to the other port
constexpr uint32_t relative_offset = 1u << 3;       // the parameter field is a relative offset
constexpr uint32_t fill_mask = 0x3;                 // fill bytes at the end of the payload
}  // namespace f_ctl

// Port identifiers (FC-FS-4 10.3) for point-to-point use.
constexpr uint32_t fabric_login_server = 0xFFFFFE;  // F_Port Controller: where FLOGI goes
constexpr uint16_t unassigned_xid = 0xFFFF;         // OX_ID/RX_ID not assigned yet

struct frame_header {
  uint8_t r_ctl = 0;
  uint32_t d_id = 0;  // 24 bits
  uint8_t cs_ctl = 0;
  uint32_t s_id = 0;  // 24 bits
  uint8_t type = 0;
  uint32_t f_ctl = 0;  // 24 bits
  uint8_t seq_id = 0;
  uint8_t df_ctl = 0;  // optional headers: this target sends none and refuses frames that carry them
  uint16_t seq_cnt = 0;
  uint16_t ox_id = unassigned_xid;
  uint16_t rx_id = unassigned_xid;
  uint32_t parameter = 0;  // relative offset when F_CTL says so; ABTS bit 0

  bool operator==(const frame_header&) const = default;
};

void encode(const frame_header& h, uint8_t out[header_len]);
// Nullopt when fewer than 24 bytes are given.
std::optional<frame_header> decode_header(const uint8_t* p, size_t len);

// A frame as the HBA queues carry it: header and payload (without fill).
struct frame {
  frame_header hdr;
  std::vector<uint8_t> payload;
};

// Header + payload bytes, the payload padded to a word with F_CTL's fill
// bytes set. Payloads beyond max_payload are the caller's bug: refused
// (empty result).
std::vector<uint8_t> serialize(const frame& f);
// The inverse: nullopt when shorter than a header, when the payload (less
// fill) exceeds max_payload, or when the fill count exceeds the payload.
std::optional<frame> parse(const uint8_t* p, size_t len);

}  // namespace stmfd::fc
