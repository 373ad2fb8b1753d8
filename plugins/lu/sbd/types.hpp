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
  bool thin = false;                       // thin provisioned: LBPME/LBPRZ, UNMAP, GET LBA STATUS (SBC-3 4.7)
};

// Limits reported in the Block Limits VPD page (SBC-3 6.5.3) and enforced
// by the handlers.
namespace limits {
constexpr uint32_t max_unmap_descriptors = 256;  // MAXIMUM UNMAP BLOCK DESCRIPTOR COUNT
constexpr uint32_t max_unmap_blocks = 1u << 20;  // MAXIMUM UNMAP LBA COUNT (libiscsi: at most 1M)
// MAXIMUM WRITE SAME LENGTH, in bytes: bounds the data one WRITE SAME
// writes; below 65536 blocks of 512 (libiscsi writes that many in one
// WRITE(16) when the limit allows it, beyond MAXIMUM TRANSFER LENGTH).
constexpr uint64_t max_write_same_bytes = uint64_t(16) << 20;
constexpr uint8_t max_compare_and_write_blocks = 255;  // MAXIMUM COMPARE AND WRITE LENGTH
constexpr uint32_t unmap_granularity_bytes = 4096;     // OPTIMAL UNMAP GRANULARITY: a page / fs block
constexpr uint32_t max_lba_status_descriptors = 64;    // GET LBA STATUS: descriptors per reply
}  // namespace limits

}  // namespace stmfd::sbd
