#pragma once
// REPORT SUPPORTED OPERATION CODES (SPC-4 6.35), generated from a device
// type's command table: each table row contributes one op_info.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "wire/scsi/reply.hpp"
#include "wire/scsi/sense.hpp"

namespace stmfd::scsi {

// What a command table row tells the outside world about one command.
struct op_info {
  uint8_t opcode = 0;
  uint16_t sa = 0;  // service action (byte 1 bits 4:0) when has_sa
  bool has_sa = false;
  uint8_t cdb_len = 0;
  // CDB USAGE DATA (SPC-4 6.35.3): byte 0 is the opcode, the SERVICE ACTION
  // field holds the service action, every other set bit is one the device
  // server examines. Bits outside it are reserved: set -> INVALID FIELD IN CDB.
  std::array<uint8_t, 16> usage{};
};

// Fields of the REPORT SUPPORTED OPERATION CODES CDB (MAINTENANCE IN A3h/0Ch).
struct rsoc_request {
  bool rctd = false;    // return command timeouts descriptors
  uint8_t options = 0;  // REPORTING OPTIONS
  uint8_t opcode = 0;   // REQUESTED OPERATION CODE
  uint16_t sa = 0;      // REQUESTED SERVICE ACTION
  uint32_t alloc_len = 0;
};
rsoc_request decode_rsoc(const uint8_t* cdb12);

// Reporting options 000b (all commands), 001b (one opcode without service
// actions), 010b (opcode + service action), 011b (either). `ops` should be in
// the order the report lists them.
reply build_rsoc(std::span<const op_info> ops, const rsoc_request& req, uint8_t* out, size_t cap);

// SPC-4 6.35.4 command timeouts descriptor length (12 bytes including the
// 2-byte length field). Timeouts are reported as 0: not specified.
constexpr size_t rsoc_timeouts_len = 12;

}  // namespace stmfd::scsi
