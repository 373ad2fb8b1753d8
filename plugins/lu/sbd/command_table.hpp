#pragma once
// The command table of the direct-access (disk) device type: one constexpr
// row per (opcode, service action), checked at compile time for duplicates
// and order. It drives dispatch, reserved-bit checks, the LU shell's generic
// precheck and REPORT SUPPORTED OPERATION CODES (model: FreeBSD CTL
// ctl_cmd_table.c, keyed by opcode instead of positional).

#include <cstddef>
#include <cstdint>
#include <span>

#include "actors/model/command_class.hpp"
#include "plugins/lu/common/command_table.hpp"
#include "plugins/lu/sbd/handler.hpp"
#include "wire/scsi/rsoc.hpp"

namespace stmfd::sbd {

enum class data_dir : uint8_t {
  none,
  in,             // Data-In
  out,            // Data-Out
  out_if_bytchk,  // VERIFY: Data-Out only when BYTCHK != 0
};

// Serialization classes are the framework's (actors/model/command_class.hpp):
// each row names the one the task set orders it by.
using stmfd::ser_class;

// Row flags (the framework's precheck reads them through disk::classify).
namespace flag {
constexpr uint16_t ok_with_ua = 1 << 0;            // runs with a unit attention pending (SPC-4 5.14)
constexpr uint16_t ua_not_cleared = 1 << 1;        // ... and leaves it pending (INQUIRY, REPORT LUNS)
constexpr uint16_t takes_pending_sense = 1 << 2;   // REQUEST SENSE: reports and clears it
constexpr uint16_t ok_on_standby = 1 << 3;         // ALUA standby (SPC-4 5.15.2.4.4)
constexpr uint16_t ok_under_reservation = 1 << 4;  // allowed for non-holders, all PR types (SPC-4 5.13.1, SBC-3 4.17)
constexpr uint16_t ok_under_write_exclusive = 1 << 5;  // allowed for non-holders under Write Exclusive
constexpr uint16_t writes_medium = 1 << 6;             // rejected with DATA PROTECT when write protected
constexpr uint16_t session_layer = 1 << 7;             // answered by the session (REPORT LUNS), not the LU
constexpr uint16_t framework = 1 << 8;                 // answered by the framework's LU shell (reservations)
}  // namespace flag

// The shared row shape and lookup (plugins/lu/common/command_table.hpp).
using command_row = lu_table::row<handler_fn, data_dir>;
using lu_table::lookup_result;
using lookup = lu_table::lookup<command_row>;

// Finds the row for cdb[0] (and the service action in cdb[1] bits 4:0 when
// the opcode has service actions).
lookup find_command(const uint8_t* cdb, size_t len);

// All rows in report order (ascending opcode, then service action).
std::span<const command_row> disk_commands();
// The same rows as op_info, for REPORT SUPPORTED OPERATION CODES.
std::span<const scsi::op_info> disk_op_infos();

}  // namespace stmfd::sbd
