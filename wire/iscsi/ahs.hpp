#pragma once
// The Additional Header Segments of a SCSI Command PDU (RFC 7143 11.2.2,
// 11.3.5): each AHS is AHSLength (2 bytes: the bytes after AHSType,
// padding excluded), AHSType (1 byte: bits 7-6 reserved, bits 5-0 the type
// code) and AHS-specific bytes, padded to a multiple of 4; together they
// fill exactly TotalAHSLength * 4 bytes.
//
// Types (11.2.2.2): 1 Extended CDB (11.2.2.3: a reserved byte, then the CDB
// bytes beyond the 16 in the BHS; AHSLength = CDB length - 15), 2 Expected
// Bidirectional Read Data Length (11.2.2.4: a reserved byte and a 4-byte
// length; AHSLength = 5), 3-59 reserved, 60-63 non-iSCSI extensions.
#include <array>
#include <cstddef>
#include <cstdint>

namespace stmfd::iscsi {

// SPC-4 4.2.3: a CDB is at most 260 bytes (variable-length CDBs, 7Fh).
constexpr size_t max_cdb_len = 260;

// A SCSI Command's whole CDB and what else its AHSs said.
struct command_cdb {
  std::array<uint8_t, max_cdb_len> bytes{};
  size_t len = 16;
  bool has_bidi_read_length = false;
  uint32_t bidi_read_length = 0;  // type 2 (a bidirectional command: not supported by the port)
};

enum class ahs_status {
  ok,
  // The lengths do not add up (an AHS running past TotalAHSLength, bytes
  // left over that hold no AHS, an Extended CDB with no CDB bytes or one
  // longer than 260 bytes, a type 2 AHS of the wrong length, two AHSs of
  // the same type): the PDU is refused with a Reject (protocol error).
  malformed,
  // An AHS of a reserved type (0, 3-59): the PDU is refused with a Reject
  // (invalid PDU field), as the target cannot tell what it changes.
  // Types 60-63 (extensions outside iSCSI) are skipped.
  unsupported_type,
};

// Reads the BHS's 16 CDB bytes (bhs + 32) and the AHSs that follow it
// (ahs_len bytes, TotalAHSLength * 4) into out.
ahs_status parse_command_ahs(const uint8_t* bhs, const uint8_t* ahs, size_t ahs_len, command_cdb& out);

}  // namespace stmfd::iscsi
