#pragma once
// Basic link services (FC-FS-4 15.3): ABTS carries no payload (its
// parameter field's bit 0 says whether the sequence or the exchange is
// aborted); BA_ACC and BA_RJT payloads.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace stmfd::fc::bls {

// BA_ACC (FC-FS-4 15.3.2.2): 12 bytes.
struct ba_acc {
  bool seq_id_valid = false;
  uint8_t seq_id = 0;  // last deliverable sequence, when valid
  uint16_t ox_id = 0, rx_id = 0;
  uint16_t low_seq_cnt = 0, high_seq_cnt = 0xFFFF;  // the whole exchange aborted
  bool operator==(const ba_acc&) const = default;
};
std::vector<uint8_t> encode(const ba_acc& a);
std::optional<ba_acc> decode_ba_acc(const uint8_t* p, size_t len);

// BA_RJT reason codes and explanations (FC-FS-4 Tables 105, 106).
namespace reason {
constexpr uint8_t invalid_command = 0x01;
constexpr uint8_t logical_error = 0x03;
constexpr uint8_t logical_busy = 0x05;
constexpr uint8_t protocol_error = 0x07;
constexpr uint8_t unable = 0x09;
}  // namespace reason
namespace explain {
constexpr uint8_t none = 0x00;
constexpr uint8_t invalid_ox_rx = 0x03;     // no such exchange
constexpr uint8_t sequence_aborted = 0x05;  // sequence aborted, no sequence information
}  // namespace explain

struct ba_rjt {
  uint8_t reason = reason::unable;
  uint8_t explanation = explain::none;
  uint8_t vendor = 0;
  bool operator==(const ba_rjt&) const = default;
};
std::vector<uint8_t> encode(const ba_rjt& r);
std::optional<ba_rjt> decode_ba_rjt(const uint8_t* p, size_t len);

}  // namespace stmfd::fc::bls
