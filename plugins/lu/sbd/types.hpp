#pragma once
// Interface types of the disk LU provider core (SBC-3 + SPC-4). The core is
// pure: it decodes a command, answers small Data-In replies itself, and for
// medium access returns an I/O plan that the LU actor runs (io_uring) before
// calling disk::finish(). Field comments say who sets what.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "actors/contracts/lu_provider.hpp"
#include "wire/scsi/sense.hpp"

namespace stmfd::sbd {

// The contract types (actors/contracts/lu_provider.hpp) under the names
// the disk core has always used.
using identity = lu_identity;
using command = lu_command;
using io_step = stmfd::io_step;
using outcome = lu_outcome;

// Set by the framework from the backing store; validate with disk::valid().
struct geometry {
  uint32_t block_size = 512;               // logical block length, power of two, 512..65536
  uint64_t block_count = 0;                // capacity in logical blocks
  bool read_only = false;                  // writes fail with DATA PROTECT 27h/00h
  uint8_t lbppbe = 0;                      // logical blocks per physical block exponent (RC16, VPD B0h)
  uint32_t max_transfer_bytes = 8u << 20;  // largest READ/WRITE/VERIFY buffer; VPD B0h reports it in blocks
  bool non_rotational = false;             // VPD B1h MEDIUM ROTATION RATE 0001h
  bool removable = false;                  // INQUIRY RMB: START STOP UNIT LOEJ loads and ejects
};

}  // namespace stmfd::sbd
