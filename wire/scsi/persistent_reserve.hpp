#pragma once
// Byte layouts of SCSI reservations: the PERSISTENT RESERVE IN/OUT CDBs
// (SPC-4 6.15, 6.16), the PERSISTENT RESERVE OUT parameter lists (6.16.3,
// 6.16.4), the PERSISTENT RESERVE IN parameter data (6.15.2 - 6.15.5),
// TransportIDs for Fibre Channel and iSCSI (7.6.4), and the usage data of
// RESERVE/RELEASE(6/10) (SPC-2 7.21, 7.22). Pure codecs: what the
// parameters mean is actors/model/reservations.hpp.
//
// Parsers validate lengths and field encodings and report the first error
// as sense (ILLEGAL REQUEST with a field pointer); they never look at
// reservation state. Builders write the full parameter data through a
// byte_writer and return the bytes stored: min(full length, allocation
// length, cap) (SPC-4 4.2.5.6); the length fields always describe the full
// data.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "wire/scsi/sense.hpp"

namespace stmfd::scsi::pr {

// Operation codes wire/scsi/cdb.hpp does not name (SPC-2 7.22, 7.24).
constexpr uint8_t op_reserve10 = 0x56, op_release10 = 0x57;

// PERSISTENT RESERVE OUT service actions (SPC-4 6.16.2 Table 201).
namespace out_action {
constexpr uint8_t register_key = 0x00, reserve = 0x01, release = 0x02, clear = 0x03, preempt = 0x04,
                  preempt_and_abort = 0x05, register_and_ignore = 0x06, register_and_move = 0x07;
constexpr uint8_t count = 0x08;  // 08h (REPLACE LOST RESERVATION) and above: not supported
}  // namespace out_action

// PERSISTENT RESERVE IN service actions (SPC-4 6.15.1 Table 191).
namespace in_action {
constexpr uint8_t read_keys = 0x00, read_reservation = 0x01, report_capabilities = 0x02, read_full_status = 0x03;
constexpr uint8_t count = 0x04;
}  // namespace in_action

// Persistent reservation TYPE values (SPC-4 6.15.3.3 Table 195).
namespace type {
constexpr uint8_t write_exclusive = 0x1, exclusive_access = 0x3, write_exclusive_registrants_only = 0x5,
                  exclusive_access_registrants_only = 0x6, write_exclusive_all_registrants = 0x7,
                  exclusive_access_all_registrants = 0x8;
}  // namespace type
constexpr uint8_t lu_scope = 0x0;  // the only SCOPE (SPC-4 6.15.3.2)

constexpr bool valid_type(uint8_t t) {
  return t == type::write_exclusive || t == type::exclusive_access ||
         (t >= type::write_exclusive_registrants_only && t <= type::exclusive_access_all_registrants);
}
// Every registered I_T nexus is a reservation holder (SPC-4 5.13.10).
constexpr bool all_registrants(uint8_t t) {
  return t == type::write_exclusive_all_registrants || t == type::exclusive_access_all_registrants;
}
constexpr bool registrants_only(uint8_t t) {
  return t == type::write_exclusive_registrants_only || t == type::exclusive_access_registrants_only;
}
// Write Exclusive, WE - Registrants Only, WE - All Registrants: non-holders may read.
constexpr bool write_exclusive_family(uint8_t t) {
  return t == type::write_exclusive || t == type::write_exclusive_registrants_only ||
         t == type::write_exclusive_all_registrants;
}

// PERSISTENT RESERVATION TYPE MASK bits of REPORT CAPABILITIES, as the
// big-endian value of bytes 4-5 (SPC-4 6.15.4 Table 199).
namespace type_mask {
constexpr uint16_t wr_ex_ar = 0x8000, ex_ac_ro = 0x4000, wr_ex_ro = 0x2000, ex_ac = 0x0800, wr_ex = 0x0200,
                   ex_ac_ar = 0x0001;
constexpr uint16_t all = wr_ex_ar | ex_ac_ro | wr_ex_ro | ex_ac | wr_ex | ex_ac_ar;
}  // namespace type_mask

// CDB usage data (SPC-4 6.35.3) for the framework's check of reserved bits
// and for REPORT SUPPORTED OPERATION CODES. CONTROL is 0 (no NACA, no
// LINK), as in the providers' tables. RESERVE/RELEASE: no third-party
// reservations, no extents, no LONGID, so every field but the opcode is 0.
inline constexpr uint8_t prin_usage[10] = {0x5E, 0x1F, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0};
inline constexpr uint8_t prout_usage[10] = {0x5F, 0x1F, 0xFF, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0};
inline constexpr uint8_t reserve6_usage[6] = {0x16, 0, 0, 0, 0, 0};
inline constexpr uint8_t release6_usage[6] = {0x17, 0, 0, 0, 0, 0};
inline constexpr uint8_t reserve10_usage[10] = {op_reserve10, 0, 0, 0, 0, 0, 0, 0, 0, 0};
inline constexpr uint8_t release10_usage[10] = {op_release10, 0, 0, 0, 0, 0, 0, 0, 0, 0};

// A value or the sense that rejects the input.
template <class T>
struct parsed {
  std::optional<T> value;
  std::optional<sense_info> error;
};

// ---- CDBs -------------------------------------------------------------

// PERSISTENT RESERVE IN (SPC-4 6.15.1 Table 190): 10 bytes.
struct prin_cdb {
  uint8_t action = 0;      // SERVICE ACTION (byte 1 bits 4:0)
  uint16_t alloc_len = 0;  // ALLOCATION LENGTH (bytes 7-8)
};
// Checks the length and reserved bits only; the model judges the action.
parsed<prin_cdb> decode_prin(const uint8_t* cdb, size_t len);

// PERSISTENT RESERVE OUT (SPC-4 6.16.1 Table 200): 10 bytes.
struct prout_cdb {
  uint8_t action = 0;      // SERVICE ACTION (byte 1 bits 4:0)
  uint8_t scope = 0;       // SCOPE (byte 2 bits 7:4)
  uint8_t type = 0;        // TYPE (byte 2 bits 3:0)
  uint32_t param_len = 0;  // PARAMETER LIST LENGTH (bytes 5-8)
};
parsed<prout_cdb> decode_prout(const uint8_t* cdb, size_t len);

// RESERVE(6/10), RELEASE(6/10): nothing to decode; checks length and usage.
std::optional<sense_info> check_reserve_release(const uint8_t* cdb, size_t len);

std::vector<uint8_t> make_prin_cdb(uint8_t action, uint16_t alloc_len);
std::vector<uint8_t> make_prout_cdb(uint8_t action, uint8_t type, uint32_t param_len, uint8_t scope = lu_scope);

// ---- TransportIDs (SPC-4 7.6.4) -----------------------------------------

namespace protocol {
constexpr uint8_t fc = 0x0, iscsi = 0x5;  // PROTOCOL IDENTIFIER (SPC-4 7.6.1 Table 444)
}

// A decoded TransportID naming one initiator port, or (iSCSI format 00b)
// every port of one initiator device.
struct transport_id {
  uint8_t protocol = protocol::iscsi;
  // iSCSI: the ISCSI NAME field as sent: "<name>,i,0x<ISID>" (format 01b)
  // or "<name>" (format 00b). FC: "wwn.<16 lowercase hex digits>", the form
  // remote_port::port_name has for Fibre Channel.
  std::string initiator;
  bool device_wide = false;    // iSCSI format 00b: any ISID of that name
  std::vector<uint8_t> bytes;  // the TransportID as received (its full length)
};

// The longest iSCSI name field we accept: an iSCSI name is at most 223
// bytes (RFC 7143 4.2.7.1), plus ",i,0x", 12 ISID digits and the null,
// padded to a multiple of 4.
constexpr size_t max_iscsi_tid_additional = 256;

// One TransportID at p, at most `avail` bytes long. `at` is its offset in
// the parameter list, for field pointers. Errors are INVALID FIELD IN
// PARAMETER LIST: an unsupported PROTOCOL IDENTIFIER or FORMAT CODE, a
// length running past `avail`, an ADDITIONAL LENGTH that is not a multiple
// of 4 or exceeds max_iscsi_tid_additional, an iSCSI name that is empty or
// not null-terminated, a format 01b name without ",i,0x<ISID>" (or a
// format 00b name with one), nonzero reserved bytes of an FC TransportID.
parsed<transport_id> parse_transport_id(const uint8_t* p, size_t avail, size_t at);

// iSCSI TransportID for an initiator port name "<name>,i,0x<ISID>" (format
// 01b) or an initiator name (format 00b): null-terminated, padded with
// zeros to a multiple of 4 and to at least 24 bytes.
std::vector<uint8_t> iscsi_transport_id(std::string_view name);
// FC TransportID (format 00b) for an N_Port name.
std::vector<uint8_t> fc_transport_id(uint64_t n_port_name);
// The TransportID of an initiator port given by remote_port::port_name:
// "wwn.<16 hex digits>" -> FC, anything else -> iSCSI.
std::vector<uint8_t> transport_id_for_port(std::string_view port_name);

// ---- PERSISTENT RESERVE OUT parameter lists -----------------------------

// SPC-4 6.16.3 Table 202: the basic parameter list (every action but
// REGISTER AND MOVE), with the TransportIDs that follow it when SPEC_I_PT
// is one.
struct prout_params {
  uint64_t key = 0;     // RESERVATION KEY (bytes 0-7)
  uint64_t sa_key = 0;  // SERVICE ACTION RESERVATION KEY (bytes 8-15)
  bool spec_i_pt = false;
  bool all_tg_pt = false;
  bool aptpl = false;
  std::vector<transport_id> tids;  // SPEC_I_PT: in the order received
};
// Field positions, for field pointers.
constexpr uint16_t prout_flags_byte = 20;  // SPEC_I_PT bit 3, ALL_TG_PT bit 2, APTPL bit 0
constexpr uint16_t prout_tids_at = 28;     // first TransportID when SPEC_I_PT is one

// `p`/`plen`: the whole parameter list (plen == the CDB's PARAMETER LIST
// LENGTH). Errors, in the order checked:
//  - SPEC_I_PT zero (or action not REGISTER) and plen != 24:
//    PARAMETER LIST LENGTH ERROR;
//  - SPEC_I_PT one with an action other than REGISTER: INVALID FIELD IN
//    PARAMETER LIST, byte 20 bit 3;
//  - reserved bits of bytes 20-21: INVALID FIELD IN PARAMETER LIST;
//  - SPEC_I_PT one: plen < 28, or 28 + TRANSPORTID PARAMETER DATA LENGTH
//    != plen: PARAMETER LIST LENGTH ERROR; a TransportID that does not
//    parse or overruns that length: INVALID FIELD IN PARAMETER LIST at it.
parsed<prout_params> parse_prout_params(uint8_t action, const uint8_t* p, size_t plen);

// SPC-4 6.16.4 Table 204: the REGISTER AND MOVE parameter list.
struct move_params {
  uint64_t key = 0;
  uint64_t sa_key = 0;
  bool unreg = false;          // byte 17 bit 1
  bool aptpl = false;          // byte 17 bit 0
  uint16_t relative_port = 0;  // RELATIVE TARGET PORT IDENTIFIER (bytes 18-19)
  transport_id tid;            // exactly one TransportID, from byte 24
};
constexpr uint16_t move_flags_byte = 17, move_port_byte = 18, move_tid_at = 24;

// Errors: plen < 24, or 24 + TRANSPORTID PARAMETER DATA LENGTH != plen:
// PARAMETER LIST LENGTH ERROR; reserved bits of bytes 16-17, a TransportID
// that does not parse or does not fill the TransportID length: INVALID
// FIELD IN PARAMETER LIST.
parsed<move_params> parse_move_params(const uint8_t* p, size_t plen);

// Builders (initiator side; tests). make_prout_params: the 24-byte list;
// make_spec_i_pt_params: SPEC_I_PT set, then TRANSPORTID PARAMETER DATA
// LENGTH and the TransportIDs.
std::vector<uint8_t> make_prout_params(uint64_t key, uint64_t sa_key, bool aptpl = false, bool all_tg_pt = false);
std::vector<uint8_t> make_spec_i_pt_params(uint64_t key, uint64_t sa_key, std::span<const std::vector<uint8_t>> tids,
                                           bool all_tg_pt = false, bool aptpl = false);
std::vector<uint8_t> make_move_params(uint64_t key, uint64_t sa_key, uint16_t relative_port,
                                      std::span<const uint8_t> tid, bool unreg = false, bool aptpl = false);

// ---- PERSISTENT RESERVE IN parameter data --------------------------------

// READ KEYS (SPC-4 6.15.2 Table 192): PRgeneration, ADDITIONAL LENGTH, keys.
size_t build_read_keys(uint32_t generation, std::span<const uint64_t> keys, uint16_t alloc_len, uint8_t* out,
                       size_t cap);

// READ RESERVATION (SPC-4 6.15.3 Table 193/194): PRgeneration, ADDITIONAL
// LENGTH 0 (no reservation) or 10h, then the key, SCOPE and TYPE.
struct reservation_view {
  uint64_t key = 0;  // 0 for the all-registrants types (SPC-4 5.13.10)
  uint8_t type = 0;
};
size_t build_read_reservation(uint32_t generation, const std::optional<reservation_view>& r, uint16_t alloc_len,
                              uint8_t* out, size_t cap);

// REPORT CAPABILITIES (SPC-4 6.15.4 Table 196): 8 bytes.
struct capabilities {
  bool crh = false;            // compatible reservation handling (SPC-4 5.13.3)
  bool sip_c = false;          // SPEC_I_PT supported
  bool atp_c = false;          // ALL_TG_PT supported
  bool ptpl_c = false;         // APTPL supported
  bool tmv = false;            // type_mask is valid
  uint8_t allow_commands = 0;  // ALLOW COMMANDS (3 bits, Table 197)
  bool ptpl_a = false;         // persist through power loss is active
  uint16_t type_mask = 0;
};
size_t build_report_capabilities(const capabilities& c, uint16_t alloc_len, uint8_t* out, size_t cap);

// READ FULL STATUS (SPC-4 6.15.5 Table 198/199): one descriptor per
// registration, 24 bytes plus its TransportID.
struct full_status {
  uint64_t key = 0;
  bool all_tg_pt = false;
  bool r_holder = false;
  uint8_t type = 0;            // with r_holder (SCOPE is LU_SCOPE)
  uint16_t relative_port = 0;  // meaningless with all_tg_pt (reported as 0)
  std::span<const uint8_t> transport_id;
};
size_t build_read_full_status(uint32_t generation, std::span<const full_status> entries, uint16_t alloc_len,
                              uint8_t* out, size_t cap);

}  // namespace stmfd::scsi::pr
