#pragma once
// The command table of the medium changer device type, SMC-3 plus the
// SPC-4 commands every LU answers: one constexpr row per (opcode, service
// action), checked at compile time for duplicates and order. It drives
// dispatch, reserved-bit checks, the LU shell's precheck and REPORT
// SUPPORTED OPERATION CODES (the same shape as plugins/lu/ssc's).

#include <cstddef>
#include <cstdint>
#include <span>

#include "actors/model/command_class.hpp"
#include "plugins/lu/common/command_table.hpp"
#include "plugins/lu/smc/types.hpp"
#include "wire/scsi/rsoc.hpp"

namespace stmfd::smc {

enum class data_dir : uint8_t { none, in, out };

namespace flag {
using namespace lu_table::flag;  // the shared bits (plugins/lu/common/command_table.hpp)
}

using command_row = lu_table::row<handler_fn, data_dir>;
using lu_table::lookup_result;
using lookup = lu_table::lookup<command_row>;

// SMC-3 6 Table 3: the operation codes this table adds to SPC-4's.
namespace changer_op {
constexpr uint8_t initialize_element_status = 0x07, position_to_element = 0x2B, initialize_element_status_range = 0x37,
                  move_medium = 0xA5, exchange_medium = 0xA6, read_element_status = 0xB8;
}

lookup find_command(const uint8_t* cdb, size_t len);
std::span<const command_row> changer_commands();
std::span<const scsi::op_info> changer_op_infos();

}  // namespace stmfd::smc
