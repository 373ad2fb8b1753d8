#pragma once
// FCoE framing (FC-BB-6 7.3): an Ethernet frame of type 8906h carrying a
// 14-byte FCoE header (version, reserved, SOF), the FC frame (header,
// payload and fill bytes to a word), the FC CRC, then EOF and three
// reserved bytes. Pure: no sockets. The Ethernet FCS is the NIC's.
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "wire/fc/frame.hpp"

namespace stmfd::fc::fcoe {

constexpr uint16_t ethertype_fcoe = 0x8906;
constexpr uint16_t ethertype_fip = 0x8914;
constexpr uint8_t version = 0;
constexpr size_t eth_header_len = 14;
constexpr size_t header_len = 14;  // FCoE header: version nibble, reserved, SOF
constexpr size_t trailer_len = 8;  // CRC (4), EOF, reserved (3)
// The largest FCoE frame: a full 2112-byte FC payload (FC-BB-6 7.3: "baby
// jumbo" frames of 2180 bytes need an MTU of at least 2158).
constexpr size_t max_frame_len = eth_header_len + header_len + fc::header_len + fc::max_payload + trailer_len;

using mac = std::array<uint8_t, 6>;

// Start- and end-of-frame delimiters (FC-BB-6 Table 5; FC-FS-4 5.3).
namespace sof {
constexpr uint8_t f = 0x28, i4 = 0x29, i2 = 0x2D, i3 = 0x2E, n4 = 0x31, n2 = 0x35, n3 = 0x36, c4 = 0x39;
}
namespace eof {
constexpr uint8_t n = 0x41, t = 0x42, rt = 0x44, dt = 0x46, ni = 0x49, dti = 0x4E, rti = 0x4F, a = 0x50;
}
bool valid_sof(uint8_t v);
bool valid_eof(uint8_t v);

// The FC CRC (FC-FS-4 5.5): CRC-32 with the IEEE 802.3 polynomial,
// reflected, preset to ones and inverted: zlib's crc32. FCoE sends it least
// significant byte first, as Ethernet sends its FCS.
uint32_t fc_crc(const uint8_t* p, size_t len);

// Builds the Ethernet frame (no FCS) around FC frame bytes `fc` (header +
// payload + fill, as fc::serialize makes them).
std::vector<uint8_t> encapsulate(const mac& dst, const mac& src, uint8_t sof, uint8_t eof, const uint8_t* fc,
                                 size_t fc_len);

enum class error { none, truncated, not_fcoe, bad_version, bad_sof, bad_eof, not_word_aligned, too_long, bad_crc };
const char* to_string(error e);

struct decapsulated {
  mac dst{}, src{};
  uint8_t sof = 0, eof = 0;
  const uint8_t* fc = nullptr;  // points into the received bytes
  size_t fc_len = 0;            // header + payload + fill
};
// Checks every field and the CRC; `out` is valid only with error::none.
// `p` starts at the Ethernet destination address (no VLAN tag: the
// AF_PACKET socket strips it) and ends before the FCS.
error decapsulate(const uint8_t* p, size_t len, decapsulated& out);

// FC-BB-6 7.7.2: a VN_Port's MAC address, the FC-MAP (default 0EFD00h)
// followed by its 24-bit port identifier.
constexpr uint32_t default_fc_map = 0x0EFD00;
mac vn_port_mac(uint32_t port_id, uint32_t fc_map = default_fc_map);

}  // namespace stmfd::fc::fcoe
