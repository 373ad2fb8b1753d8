#include "plugins/lu/smc/command_table.hpp"

#include <array>

#include "wire/scsi/cdb.hpp"
#include "wire/scsi/inquiry.hpp"

namespace stmfd::smc {

namespace {

using namespace scsi;
using enum data_dir;
using namespace flag;
namespace H = handlers;

template <size_t N>
constexpr command_row row(const uint8_t (&usage)[N], handler_fn h, data_dir d, ser_class s, uint16_t f) {
  return lu_table::make_row<command_row>(usage, h, d, s, f);
}
template <size_t N>
constexpr command_row sa_row(const uint8_t (&usage)[N], handler_fn h, data_dir d, ser_class s, uint16_t f) {
  return lu_table::make_sa_row<command_row>(usage, h, d, s, f);
}

constexpr uint16_t spc_query = ok_with_ua | ua_not_cleared | ok_on_standby | ok_under_reservation;
// Moves change the element map every other command reports: they run
// alone (ser_class::exclusive); READ ELEMENT STATUS waits for them
// (mode_read behind an exclusive task).
constexpr std::array own_rows = {
    row({op::test_unit_ready, 0, 0, 0, 0, 0}, H::test_unit_ready, none, ser_class::none, ok_under_reservation),
    row({op::request_sense, 0x01, 0, 0, 0xFF, 0}, H::request_sense, in, ser_class::none,
        ok_with_ua | takes_pending_sense | ok_on_standby | ok_under_reservation),
    row({changer_op::initialize_element_status, 0, 0, 0, 0, 0}, H::initialize_element_status, none,
        ser_class::exclusive, 0),
    row(inquiry_usage, H::inquiry, in, ser_class::none, spc_query),
    row({op::mode_sense6, 0x08, 0xFF, 0xFF, 0xFF, 0}, H::mode_sense, in, ser_class::mode_read,
        ok_on_standby | ok_under_write_exclusive),
    // PREVENT ALLOW MEDIUM REMOVAL: PREVENT bit 0 (SMC-3 6.13).
    row({op::prevent_allow, 0, 0, 0, 0x01, 0}, H::prevent_allow, none, ser_class::none, 0),
    // POSITION TO ELEMENT: TRANSPORT ELEMENT, DESTINATION, INVERT.
    row({changer_op::position_to_element, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0x01, 0}, H::position_to_element, none,
        ser_class::exclusive, 0),
    // INITIALIZE ELEMENT STATUS WITH RANGE: FAST, RANGE; STARTING ELEMENT; NUMBER OF ELEMENTS.
    row({changer_op::initialize_element_status_range, 0x03, 0xFF, 0xFF, 0, 0, 0xFF, 0xFF, 0, 0},
        H::initialize_element_status_range, none, ser_class::exclusive, 0),
    row({op::mode_sense10, 0x08, 0xFF, 0xFF, 0, 0, 0, 0xFF, 0xFF, 0}, H::mode_sense, in, ser_class::mode_read,
        ok_on_standby | ok_under_write_exclusive),
    row({op::report_luns, 0, 0xFF, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0}, H::session_layer_only, in, ser_class::none,
        spc_query | session_layer),
    sa_row({op::maintenance_in, sa::report_supported_opcodes, 0x87, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0},
           H::report_supported_opcodes, in, ser_class::none, ok_on_standby | ok_under_reservation),
    // MOVE MEDIUM: TRANSPORT ELEMENT, SOURCE, DESTINATION, INVERT.
    row({changer_op::move_medium, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0x01, 0}, H::move_medium, none,
        ser_class::exclusive, 0),
    // EXCHANGE MEDIUM: TRANSPORT ELEMENT, SOURCE, FIRST DESTINATION, SECOND
    // DESTINATION, INV2 and INV1 (SMC-3 6.2).
    row({changer_op::exchange_medium, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x03, 0}, H::exchange_medium,
        none, ser_class::exclusive, 0),
    // READ ELEMENT STATUS: VOLTAG, ELEMENT TYPE CODE; STARTING ELEMENT; NUMBER
    // OF ELEMENTS; CURDATA, DVCID; ALLOCATION LENGTH.
    row({changer_op::read_element_status, 0x1F, 0xFF, 0xFF, 0xFF, 0xFF, 0x03, 0xFF, 0xFF, 0xFF, 0, 0},
        H::read_element_status, in, ser_class::mode_read, ok_under_write_exclusive),
};

// Reservations: the framework's rows, as for every LU kind.
constexpr auto rows =
    lu_table::merge(own_rows, lu_table::reservation_rows<command_row>(H::session_layer_only, in, out, none));
static_assert(lu_table::table_ok(rows), "changer command table: duplicate, unordered or malformed row");
constexpr auto first_row = lu_table::first_rows(rows);
constexpr auto infos = lu_table::op_infos(rows);

}  // namespace

lookup find_command(const uint8_t* cdb, size_t len) { return lu_table::find(rows, first_row, cdb, len); }

std::span<const command_row> changer_commands() { return rows; }
std::span<const scsi::op_info> changer_op_infos() { return infos; }

}  // namespace stmfd::smc
