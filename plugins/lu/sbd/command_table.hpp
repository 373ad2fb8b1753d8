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
using namespace lu_table::flag;  // the shared bits (plugins/lu/common/command_table.hpp)
// Needs the medium: NOT READY 3Ah/00h while a removable medium is ejected.
// Rows of the read and write serialization classes need it implicitly
// (needs_medium()).
constexpr uint16_t medium = 1 << 9;
// Only on a thin-provisioned LU: elsewhere INVALID COMMAND OPERATION CODE
// (a service action: INVALID FIELD IN CDB, SPC-4 4.2.5.1).
constexpr uint16_t thin_only = 1 << 10;
// Answered while a long operation (SANITIZE, FORMAT UNIT) runs; every
// other command gets NOT READY with a progress indication (SBC-4 4.11.2).
constexpr uint16_t ok_during_long_op = 1 << 11;
}  // namespace flag

// The shared row shape and lookup (plugins/lu/common/command_table.hpp).
using command_row = lu_table::row<handler_fn, data_dir>;
using lu_table::lookup_result;
using lookup = lu_table::lookup<command_row>;

// True when the row's command cannot run without the medium.
constexpr bool needs_medium(const command_row& r) {
  return (r.flags & flag::medium) || r.ser == ser_class::read || r.ser == ser_class::write;
}

// Finds the row for cdb[0] (and the service action in cdb[1] bits 4:0 when
// the opcode has service actions).
lookup find_command(const uint8_t* cdb, size_t len);

// All rows in report order (ascending opcode, then service action).
std::span<const command_row> disk_commands();
// The same rows as op_info, for REPORT SUPPORTED OPERATION CODES; a fully
// provisioned LU (thin = false) leaves out the thin_only rows.
std::span<const scsi::op_info> disk_op_infos(bool thin = true);

}  // namespace stmfd::sbd
