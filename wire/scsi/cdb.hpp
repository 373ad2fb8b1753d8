#pragma once
// CDB field access (SPC-4 4.2): big-endian readers/writers, operation codes,
// the usage-mask check of reserved bits, and a decoded view of the
// READ / WRITE / VERIFY / WRITE AND VERIFY / SYNCHRONIZE CACHE families.

#include <cstddef>
#include <cstdint>
#include <optional>

#include "wire/scsi/sense.hpp"

namespace stmfd::scsi {

constexpr uint16_t get_be16(const uint8_t* p) { return uint16_t(p[0] << 8 | p[1]); }
constexpr uint32_t get_be24(const uint8_t* p) { return uint32_t(p[0]) << 16 | uint32_t(p[1]) << 8 | p[2]; }
constexpr uint32_t get_be32(const uint8_t* p) {
  return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3];
}
constexpr uint64_t get_be64(const uint8_t* p) { return uint64_t(get_be32(p)) << 32 | get_be32(p + 4); }

constexpr void put_be16(uint8_t* p, uint16_t v) { p[0] = uint8_t(v >> 8), p[1] = uint8_t(v); }
constexpr void put_be24(uint8_t* p, uint32_t v) { p[0] = uint8_t(v >> 16), put_be16(p + 1, uint16_t(v)); }
constexpr void put_be32(uint8_t* p, uint32_t v) { put_be16(p, uint16_t(v >> 16)), put_be16(p + 2, uint16_t(v)); }
constexpr void put_be64(uint8_t* p, uint64_t v) { put_be32(p, uint32_t(v >> 32)), put_be32(p + 4, uint32_t(v)); }

// Operation codes (SPC-4 Annex E, SBC-3 5.1 Table 12).
namespace op {
constexpr uint8_t test_unit_ready = 0x00, request_sense = 0x03, read6 = 0x08, write6 = 0x0A, inquiry = 0x12,
                  mode_select6 = 0x15, reserve6 = 0x16, release6 = 0x17, mode_sense6 = 0x1A, start_stop_unit = 0x1B,
                  prevent_allow = 0x1E, read_capacity10 = 0x25, read10 = 0x28, write10 = 0x2A, write_verify10 = 0x2E,
                  verify10 = 0x2F, sync_cache10 = 0x35, mode_select10 = 0x55, mode_sense10 = 0x5A,
                  persistent_reserve_in = 0x5E, persistent_reserve_out = 0x5F, read16 = 0x88, write16 = 0x8A,
                  write_verify16 = 0x8E, verify16 = 0x8F, sync_cache16 = 0x91, service_action_in16 = 0x9E,
                  report_luns = 0xA0, maintenance_in = 0xA3, maintenance_out = 0xA4, read12 = 0xA8, write12 = 0xAA,
                  write_verify12 = 0xAE, verify12 = 0xAF;
// SBC-3 thin provisioning and special writes (issue 7).
constexpr uint8_t prefetch10 = 0x34, write_same10 = 0x41, unmap = 0x42, compare_and_write = 0x89, orwrite16 = 0x8B,
                  prefetch16 = 0x90, write_same16 = 0x93;
// SBC-4 FORMAT UNIT, READ DEFECT DATA, SANITIZE, WRITE ATOMIC (issue 7).
constexpr uint8_t format_unit = 0x04, read_defect_data10 = 0x37, sanitize = 0x48, write_atomic16 = 0x9C,
                  read_defect_data12 = 0xB7;
}  // namespace op
// Service actions (byte 1 bits 4:0).
namespace sa {
constexpr uint8_t read_capacity16 = 0x10;            // SERVICE ACTION IN(16)
constexpr uint8_t get_lba_status = 0x12;             // SERVICE ACTION IN(16)
constexpr uint8_t report_target_port_groups = 0x0A;  // MAINTENANCE IN
constexpr uint8_t report_supported_opcodes = 0x0C;   // MAINTENANCE IN
constexpr uint8_t report_supported_tmfs = 0x0D;      // MAINTENANCE IN
constexpr uint8_t set_target_port_groups = 0x0A;     // MAINTENANCE OUT
// SANITIZE (SBC-4 5.30.1).
constexpr uint8_t sanitize_overwrite = 0x01, sanitize_block_erase = 0x02, sanitize_crypto_erase = 0x03,
                  sanitize_exit_failure_mode = 0x1F;
}  // namespace sa

// CDB length from the GROUP CODE (SPC-4 4.2.5.1); 0 for groups without one.
constexpr size_t cdb_length_for(uint8_t opcode) {
  switch (opcode >> 5) {
    case 0: return 6;
    case 1:
    case 2: return 10;
    case 4: return 16;
    case 5: return 12;
    default: return 0;
  }
}

// Reserved-bit check against a usage mask (the CDB USAGE DATA of SPC-4
// 6.35.3: a bit set means the device server examines that bit). Byte 0 is
// the operation code and is not checked. Returns the first byte holding a
// bit outside the mask, with its most significant such bit, as FreeBSD CTL's
// ctl_validate_command reports it.
std::optional<field_pointer> check_usage(const uint8_t* cdb, const uint8_t* usage, size_t len);

// Decoded READ/WRITE/VERIFY/WRITE AND VERIFY (6/10/12/16), SYNCHRONIZE
// CACHE (10/16), PRE-FETCH (10/16), WRITE SAME (10/16), ORWRITE(16) and
// COMPARE AND WRITE (NUMBER OF LOGICAL BLOCKS in byte 13) and WRITE ATOMIC(16)
// (TRANSFER LENGTH in bytes 12-13) CDBs (SBC-3 5.x). No validation beyond the opcode: the usage
// mask already rejected reserved bits.
struct rw_cdb {
  uint64_t lba = 0;
  uint32_t blocks = 0;  // READ(6)/WRITE(6): 0 already mapped to 256 (SBC-3 5.15)
  bool fua = false;
  bool dpo = false;
  bool immed = false;    // SYNCHRONIZE CACHE only
  uint8_t protect = 0;   // RDPROTECT / WRPROTECT / VRPROTECT
  uint8_t bytchk = 0;    // VERIFY, WRITE AND VERIFY (2 bits)
  uint8_t group = 0;     // GROUP NUMBER
  uint8_t lba_byte = 0;  // where the LOGICAL BLOCK ADDRESS field starts (for field pointers)
  uint8_t len_byte = 0;  // where the TRANSFER/VERIFICATION LENGTH field starts
};
std::optional<rw_cdb> decode_rw(const uint8_t* cdb, size_t len);

// lba + blocks fits the medium (SBC-3 4.5): overflow-safe; also rejects
// lba > block_count for a zero-length transfer.
constexpr bool lba_range_ok(uint64_t lba, uint64_t blocks, uint64_t block_count) {
  return lba <= block_count && blocks <= block_count - lba;
}

}  // namespace stmfd::scsi
