#pragma once
// The command table of the sequential-access (tape) device type, SSC-3
// plus the SPC-4 commands every LU answers: one constexpr row per
// (opcode, service action), checked at compile time for duplicates and
// order. It drives dispatch, reserved-bit checks, the medium and
// write-protect checks, the LU shell's precheck and REPORT SUPPORTED
// OPERATION CODES (the disk's table, plugins/lu/sbd/command_table.hpp, is
// the same shape).

#include <cstddef>
#include <cstdint>
#include <span>

#include "actors/model/command_class.hpp"
#include "plugins/lu/common/command_table.hpp"
#include "plugins/lu/ssc/types.hpp"
#include "wire/scsi/rsoc.hpp"

namespace stmfd::ssc {

enum class data_dir : uint8_t { none, in, out };

// Row flags.
namespace flag {
constexpr uint16_t ok_with_ua = 1 << 0;                // runs with a unit attention pending (SPC-4 5.14)
constexpr uint16_t ua_not_cleared = 1 << 1;            // ... and leaves it pending (INQUIRY, REPORT LUNS)
constexpr uint16_t takes_pending_sense = 1 << 2;       // REQUEST SENSE
constexpr uint16_t ok_on_standby = 1 << 3;             // ALUA standby (SPC-4 5.15.2.4.4)
constexpr uint16_t ok_under_reservation = 1 << 4;      // allowed for non-holders, all PR types
constexpr uint16_t ok_under_write_exclusive = 1 << 5;  // allowed for non-holders under Write Exclusive
constexpr uint16_t writes_medium = 1 << 6;             // DATA PROTECT on a write-protected cartridge
constexpr uint16_t session_layer = 1 << 7;             // answered by the session (REPORT LUNS)
constexpr uint16_t framework = 1 << 8;                 // answered by the LU shell (reservations)
constexpr uint16_t needs_medium = 1 << 9;              // NOT READY, MEDIUM NOT PRESENT without a cartridge
}  // namespace flag

using command_row = lu_table::row<handler_fn, data_dir>;
using lu_table::lookup_result;
using lookup = lu_table::lookup<command_row>;

lookup find_command(const uint8_t* cdb, size_t len);
std::span<const command_row> tape_commands();
std::span<const scsi::op_info> tape_op_infos();

}  // namespace stmfd::ssc
