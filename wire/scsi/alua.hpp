#pragma once
// Byte layouts of asymmetric logical unit access (ALUA, SPC-4 5.15): the
// REPORT TARGET PORT GROUPS CDB and parameter data (SPC-4 6.27, MAINTENANCE
// IN A3h / 0Ah) and the SET TARGET PORT GROUPS CDB and parameter list
// (SPC-4 6.36, MAINTENANCE OUT A4h / 0Ah). Pure codecs: which group is in
// which state is actors/model/alua.hpp.
//
// Decoders report the first error as sense (ILLEGAL REQUEST with a field
// pointer). The builder writes the full parameter data through a
// byte_writer and returns the bytes stored: min(full length, cap); the
// RETURN DATA LENGTH field always describes the full data (SPC-4 4.2.5.6).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "wire/scsi/sense.hpp"

namespace stmfd::scsi::alua {

// SPC-4 6.27 Table 169: the ASYMMETRIC ACCESS STATE field (4 bits).
enum class access_state : uint8_t {
  active_optimized = 0x0,
  active_non_optimized = 0x1,
  standby = 0x2,
  unavailable = 0x3,
  offline = 0xE,
  transitioning = 0xF,
};

// The configuration and admin names of the states ("active-optimized",
// "active-nonoptimized", "standby", "unavailable", "offline",
// "transitioning"), and back; nullopt for any other text.
std::string_view name_of(access_state s);
std::optional<access_state> parse_state(std::string_view text);
// A state SET TARGET PORT GROUPS may ask for (SPC-4 6.36: active/optimized,
// active/non-optimized, standby, unavailable; offline and transitioning are
// the device's own).
constexpr bool settable_by_stpg(uint8_t v) { return v <= 0x3; }

// The STATUS CODE of a target port group descriptor (SPC-4 6.27 Table 171).
enum class status_code : uint8_t { none = 0x00, altered_by_stpg = 0x01, altered_implicitly = 0x02 };

// Supported-state bits of a descriptor's byte 1 (SPC-4 6.27 Table 170).
namespace supported {
constexpr uint8_t t_sup = 0x80, o_sup = 0x40, u_sup = 0x08, s_sup = 0x04, an_sup = 0x02, ao_sup = 0x01;
}

// The TPGS field of standard INQUIRY data (SPC-4 6.6.2): 01b implicit
// only, 10b explicit only (SET TARGET PORT GROUPS), 11b both.
constexpr uint8_t tpgs_implicit_and_explicit = 0x3;

// CDB usage data (REPORT SUPPORTED OPERATION CODES, reserved-bit checks):
// RTPG byte 1 PARAMETER DATA FORMAT + SA, bytes 6-9 ALLOCATION LENGTH;
// STPG byte 1 SA, bytes 6-9 PARAMETER LIST LENGTH; CONTROL 0.
inline constexpr uint8_t rtpg_usage[12] = {0xA3, 0xEA, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0};
inline constexpr uint8_t stpg_usage[12] = {0xA4, 0x0A, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0};

// True for a REPORT TARGET PORT GROUPS or SET TARGET PORT GROUPS CDB.
bool is_rtpg(const uint8_t* cdb, size_t len);
bool is_stpg(const uint8_t* cdb, size_t len);

// REPORT TARGET PORT GROUPS (12-byte CDB): PARAMETER DATA FORMAT in byte 1
// bits 7:5 (000b length only, 001b extended header), ALLOCATION LENGTH in
// bytes 6-9. Reserved bits set, or another format: INVALID FIELD IN CDB.
struct rtpg_request {
  bool extended = false;
  uint32_t allocation_length = 0;
};
std::optional<sense_info> decode_rtpg(const uint8_t* cdb, size_t len, rtpg_request& out);

// One target port group as REPORT TARGET PORT GROUPS describes it.
struct group_descriptor {
  uint16_t group = 0;
  access_state state = access_state::active_optimized;
  bool preferred = false;  // PREF
  uint8_t supported = 0;   // supported:: bits
  status_code status = status_code::none;
  std::vector<uint16_t> relative_ports;  // RELATIVE TARGET PORT IDENTIFIERs (at most 255 are reported)
};
// The parameter data: a 4-byte (length only) or 8-byte (extended: FORMAT
// TYPE 001b, IMPLICIT TRANSITION TIME in seconds) header, then one
// descriptor of 8 + 4 x ports bytes per group.
size_t build_rtpg(bool extended, uint8_t implicit_transition_time, std::span<const group_descriptor> groups,
                  uint8_t* out, size_t cap);

// SET TARGET PORT GROUPS (12-byte CDB): PARAMETER LIST LENGTH in bytes 6-9.
struct stpg_request {
  uint32_t parameter_list_length = 0;
};
std::optional<sense_info> decode_stpg(const uint8_t* cdb, size_t len, stpg_request& out);

// One requested change: the group and the state asked for; `offset` is the
// descriptor's byte in the parameter list (for field pointers).
struct stpg_change {
  uint16_t group = 0;
  access_state state = access_state::active_optimized;
  uint16_t offset = 0;
};
// The parameter list: 4 reserved bytes, then 4-byte descriptors. A length
// that leaves part of a descriptor: PARAMETER LIST LENGTH ERROR; a state
// STPG cannot ask for, or a group named twice: INVALID FIELD IN PARAMETER
// LIST at that descriptor. Whether each group exists is the caller's.
std::optional<sense_info> parse_stpg(const uint8_t* data, size_t len, std::vector<stpg_change>& out);

}  // namespace stmfd::scsi::alua
