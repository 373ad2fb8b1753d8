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
using namespace lu_table::flag;            // the shared bits (plugins/lu/common/command_table.hpp)
constexpr uint16_t needs_medium = 1 << 9;  // NOT READY, MEDIUM NOT PRESENT without a cartridge
}  // namespace flag

using command_row = lu_table::row<handler_fn, data_dir>;
using lu_table::lookup_result;
using lookup = lu_table::lookup<command_row>;

lookup find_command(const uint8_t* cdb, size_t len);
std::span<const command_row> tape_commands();
std::span<const scsi::op_info> tape_op_infos();

}  // namespace stmfd::ssc
