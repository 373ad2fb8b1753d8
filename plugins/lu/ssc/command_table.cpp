#include "plugins/lu/ssc/command_table.hpp"

#include <array>

#include "wire/scsi/cdb.hpp"
#include "wire/scsi/inquiry.hpp"

namespace stmfd::ssc {

namespace {

using namespace scsi;
using enum data_dir;
using namespace flag;
namespace H = handlers;

// SSC-3 operation codes this table adds to SPC-4's (SSC-3 5 Table 3).
namespace tape_op {
constexpr uint8_t rewind = 0x01, read_block_limits = 0x05, write_filemarks6 = 0x10, space6 = 0x11, erase6 = 0x19,
                  load_unload = 0x1B, locate10 = 0x2B, read_position = 0x34, report_density_support = 0x44,
                  space16 = 0x91, locate16 = 0x92;
}

template <size_t N>
constexpr command_row row(const uint8_t (&usage)[N], handler_fn h, data_dir d, ser_class s, uint16_t f) {
  return lu_table::make_row<command_row>(usage, h, d, s, f);
}
template <size_t N>
constexpr command_row sa_row(const uint8_t (&usage)[N], handler_fn h, data_dir d, ser_class s, uint16_t f) {
  return lu_table::make_sa_row<command_row>(usage, h, d, s, f);
}

// READ POSITION, one row per service action (SSC-3 7.5): short form with
// block identifiers (00h) and with vendor-specific addresses (01h: here the
// same logical object identifiers; Linux st's MTIOCPOS asks for this one),
// long form (06h), extended form (08h).
constexpr command_row read_position_row(uint8_t sa) {
  const uint8_t usage[10] = {tape_op::read_position, sa, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0};
  return sa_row(usage, H::read_position, in, ser_class::exclusive, needs_medium | ok_under_write_exclusive);
}

// INQUIRY, REPORT LUNS: allowed with a unit attention (which they leave),
// in every ALUA state, under every reservation.
constexpr uint16_t spc_query = ok_with_ua | ua_not_cleared | any_alua_state | ok_under_reservation;
// Every command that moves the tape or depends on its position runs alone
// (ser_class::exclusive): a tape has one position.
constexpr uint16_t moves = needs_medium | ok_under_write_exclusive;
constexpr uint16_t writes = needs_medium | writes_medium;

constexpr std::array own_rows = {
    row({op::test_unit_ready, 0, 0, 0, 0, 0}, H::test_unit_ready, none, ser_class::none,
        ok_under_reservation | needs_medium),
    row({tape_op::rewind, 0x01, 0, 0, 0, 0}, H::rewind, none, ser_class::exclusive, moves),
    row({op::request_sense, 0x01, 0, 0, 0xFF, 0}, H::request_sense, in, ser_class::none,
        ok_with_ua | takes_pending_sense | any_alua_state | ok_under_reservation),
    row({tape_op::read_block_limits, 0, 0, 0, 0, 0}, H::read_block_limits, in, ser_class::none, ok_under_reservation),
    // READ(6): SILI, FIXED. WRITE(6): FIXED.
    row({op::read6, 0x03, 0xFF, 0xFF, 0xFF, 0}, H::read, in, ser_class::exclusive, moves),
    row({op::write6, 0x01, 0xFF, 0xFF, 0xFF, 0}, H::write, out, ser_class::exclusive, writes),
    // WRITE FILEMARKS(6): IMMED and WSMK (setmarks, refused by the handler).
    row({tape_op::write_filemarks6, 0x03, 0xFF, 0xFF, 0xFF, 0}, H::write_filemarks, none, ser_class::exclusive, writes),
    // SPACE(6): CODE (blocks, filemarks, end of data; the handler refuses setmarks).
    row({tape_op::space6, 0x0F, 0xFF, 0xFF, 0xFF, 0}, H::space, none, ser_class::exclusive, moves),
    row(inquiry_usage, H::inquiry, in, ser_class::none, spc_query),
    row({op::mode_select6, 0x11, 0, 0, 0xFF, 0}, H::mode_select, out, ser_class::mode_write, ok_on_standby),
    // ERASE(6): LONG, IMMED.
    row({tape_op::erase6, 0x03, 0, 0, 0, 0}, H::erase, none, ser_class::exclusive, writes),
    row({op::mode_sense6, 0x08, 0xFF, 0xFF, 0xFF, 0}, H::mode_sense, in, ser_class::mode_read,
        ok_on_standby | ok_under_write_exclusive),
    // LOAD UNLOAD: IMMED; HOLD, EOT, RETEN, LOAD. Runs without a cartridge.
    row({tape_op::load_unload, 0x01, 0, 0, 0x0F, 0}, H::load_unload, none, ser_class::exclusive, 0),
    row({op::prevent_allow, 0, 0, 0, 0x03, 0}, H::prevent_allow, none, ser_class::none, 0),
    // LOCATE(10): BT, CP, IMMED; LOGICAL OBJECT IDENTIFIER; PARTITION.
    row({tape_op::locate10, 0x07, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0xFF, 0}, H::locate, none, ser_class::exclusive, moves),
    read_position_row(0x00),
    read_position_row(0x01),
    read_position_row(0x06),
    read_position_row(0x08),
    // REPORT DENSITY SUPPORT: MEDIUM TYPE, MEDIA.
    row({tape_op::report_density_support, 0x03, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0}, H::report_density_support, in,
        ser_class::none, ok_under_reservation),
    row({op::mode_select10, 0x11, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0}, H::mode_select, out, ser_class::mode_write,
        ok_on_standby),
    row({op::mode_sense10, 0x08, 0xFF, 0xFF, 0, 0, 0, 0xFF, 0xFF, 0}, H::mode_sense, in, ser_class::mode_read,
        ok_on_standby | ok_under_write_exclusive),
    // SPACE(16): CODE; COUNT (signed 64-bit); PARAMETER LENGTH must be 0.
    row({tape_op::space16, 0x0F, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0}, H::space, none,
        ser_class::exclusive, moves),
    // LOCATE(16): DEST_TYPE, CP, IMMED; PARTITION; LOGICAL IDENTIFIER.
    row({tape_op::locate16, 0x3B, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0}, H::locate, none,
        ser_class::exclusive, moves),
    row({op::report_luns, 0, 0xFF, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0}, H::session_layer_only, in, ser_class::none,
        spc_query | session_layer),
    sa_row({op::maintenance_in, sa::report_supported_opcodes, 0x87, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0},
           H::report_supported_opcodes, in, ser_class::none, ok_on_standby | ok_under_reservation),
};

// Reservations and ALUA: the framework's rows, as for every LU kind.
constexpr auto rows = lu_table::merge(
    lu_table::merge(own_rows, lu_table::reservation_rows<command_row>(H::session_layer_only, in, out, none)),
    lu_table::alua_rows<command_row>(H::session_layer_only, in, out));
static_assert(lu_table::table_ok(rows), "tape command table: duplicate, unordered or malformed row");
constexpr auto first_row = lu_table::first_rows(rows);
constexpr auto infos = lu_table::op_infos(rows);

}  // namespace

lookup find_command(const uint8_t* cdb, size_t len) { return lu_table::find(rows, first_row, cdb, len); }

std::span<const command_row> tape_commands() { return rows; }
std::span<const scsi::op_info> tape_op_infos() { return infos; }

}  // namespace stmfd::ssc
