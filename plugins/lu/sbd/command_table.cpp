#include "plugins/lu/sbd/command_table.hpp"

#include <array>

#include "wire/scsi/cdb.hpp"
#include "wire/scsi/inquiry.hpp"

namespace stmfd::sbd {

namespace {

using namespace scsi;
using enum data_dir;

template <size_t N>
constexpr command_row row(const uint8_t (&usage)[N], handler_fn h, data_dir d, ser_class s, uint16_t f) {
  return lu_table::make_row<command_row>(usage, h, d, s, f);
}
template <size_t N>
constexpr command_row sa_row(const uint8_t (&usage)[N], handler_fn h, data_dir d, ser_class s, uint16_t f) {
  return lu_table::make_sa_row<command_row>(usage, h, d, s, f);
}

using namespace flag;
namespace H = handlers;

// INQUIRY, REPORT LUNS: allowed with a unit attention (which they leave),
// in every ALUA state, under every reservation, while a long operation runs.
constexpr uint16_t spc_query = ok_with_ua | ua_not_cleared | any_alua_state | ok_under_reservation | ok_during_long_op;
// SANITIZE (SBC-4 5.30): IMMED, AUSE, the service action; PARAMETER LIST
// LENGTH. Runs alone; write protection and reservations refuse it.
constexpr uint16_t sanitizes = writes_medium | medium;
template <uint8_t SA>
constexpr uint8_t sanitize_usage[10] = {op::sanitize, uint8_t(0xA0 | SA), 0, 0, 0, 0, 0, 0xFF, 0xFF, 0};
constexpr uint16_t reads = ok_under_write_exclusive;

// READ/WRITE/VERIFY usage masks: DPO+FUA (no RDPROTECT/WRPROTECT: no
// protection information), GROUP NUMBER bits accepted and ignored,
// CONTROL byte 0 (NACA and LINK unsupported).
// VERIFY and WRITE AND VERIFY: DPO + BYTCHK (WRITE AND VERIFY: BYTCHK 0/1 only).
constexpr std::array own_rows = {
    row({op::test_unit_ready, 0, 0, 0, 0, 0}, H::test_unit_ready, none, ser_class::none, ok_under_reservation | medium),
    row({op::request_sense, 0x01, 0, 0, 0xFF, 0}, H::request_sense, in, ser_class::none,
        ok_with_ua | takes_pending_sense | any_alua_state | ok_under_reservation | ok_during_long_op),
    // FORMAT UNIT: FMTDATA 0 only (no parameter list); CMPLST and DEFECT
    // LIST FORMAT are then ignored (SBC-4 5.3.1); no FMTPINFO, no LONGLIST.
    row({op::format_unit, 0x0F, 0, 0, 0, 0}, H::format_unit, none, ser_class::exclusive, writes_medium | medium),
    row({op::read6, 0x1F, 0xFF, 0xFF, 0xFF, 0}, H::read, in, ser_class::read, reads),
    row({op::write6, 0x1F, 0xFF, 0xFF, 0xFF, 0}, H::write, out, ser_class::write, writes_medium),
    row(inquiry_usage, H::inquiry, in, ser_class::none, spc_query),
    row({op::mode_select6, 0x11, 0, 0, 0xFF, 0}, H::mode_select, out, ser_class::mode_write, ok_on_standby),
    row({op::mode_sense6, 0x08, 0xFF, 0xFF, 0xFF, 0}, H::mode_sense, in, ser_class::mode_read, ok_on_standby | reads),
    // START STOP UNIT: IMMED, POWER CONDITION MODIFIER, POWER CONDITION,
    // NO_FLUSH, LOEJ (the handler refuses it for a non-removable medium), START.
    row({op::start_stop_unit, 0x01, 0, 0x0F, 0xF7, 0}, H::start_stop_unit, none, ser_class::flush, 0),
    row({op::prevent_allow, 0, 0, 0, 0x03, 0}, H::prevent_allow, none, ser_class::none, 0),
    row({op::read_capacity10, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0x01, 0}, H::read_capacity10, in, ser_class::none,
        ok_under_reservation | medium),
    row({op::read10, 0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0xFF, 0xFF, 0}, H::read, in, ser_class::read, reads),
    row({op::write10, 0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0xFF, 0xFF, 0}, H::write, out, ser_class::write,
        writes_medium),
    row({op::write_verify10, 0x12, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0xFF, 0xFF, 0}, H::write_verify, out, ser_class::write,
        writes_medium),
    row({op::verify10, 0x16, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0xFF, 0xFF, 0}, H::verify, out_if_bytchk, ser_class::read,
        reads),
    // READ DEFECT DATA(10): REQ_PLIST, REQ_GLIST, DEFECT LIST FORMAT (SBC-4 5.20).
    row({op::read_defect_data10, 0, 0x1F, 0, 0, 0, 0, 0xFF, 0xFF, 0}, H::read_defect_data, in, ser_class::none, medium),
    // PRE-FETCH: IMMED (SBC-3 5.9).
    row({op::prefetch10, 0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0xFF, 0xFF, 0}, H::prefetch, none, ser_class::read, reads),
    // SYNCHRONIZE CACHE: SYNC_NV (obsolete) accepted and ignored, IMMED.
    row({op::sync_cache10, 0x06, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0xFF, 0xFF, 0}, H::sync_cache, none, ser_class::flush,
        medium),
    // WRITE SAME(10): UNMAP (no ANCHOR, no WRPROTECT). UNMAP: no ANCHOR;
    // GROUP NUMBER ignored. Both write (deallocate) the medium.
    row({op::write_same10, 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0xFF, 0xFF, 0}, H::write_same, out, ser_class::write,
        writes_medium),
    row({op::unmap, 0, 0, 0, 0, 0, 0x1F, 0xFF, 0xFF, 0}, H::unmap, out, ser_class::write, writes_medium | thin_only),
    sa_row(sanitize_usage<sa::sanitize_overwrite>, H::sanitize, out, ser_class::exclusive, sanitizes),
    sa_row(sanitize_usage<sa::sanitize_block_erase>, H::sanitize, none, ser_class::exclusive, sanitizes | thin_only),
    sa_row(sanitize_usage<sa::sanitize_crypto_erase>, H::sanitize, none, ser_class::exclusive, sanitizes | thin_only),
    sa_row({op::sanitize, sa::sanitize_exit_failure_mode, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0}, H::sanitize, none,
           ser_class::exclusive, medium),
    row({op::mode_select10, 0x11, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0}, H::mode_select, out, ser_class::mode_write,
        ok_on_standby),
    row({op::mode_sense10, 0x18, 0xFF, 0xFF, 0, 0, 0, 0xFF, 0xFF, 0}, H::mode_sense, in, ser_class::mode_read,
        ok_on_standby | reads),
    row({op::read16, 0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0}, H::read,
        in, ser_class::read, reads),
    // COMPARE AND WRITE: DPO, FUA; NUMBER OF LOGICAL BLOCKS in byte 13.
    row({op::compare_and_write, 0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0xFF, 0x1F, 0},
        H::compare_and_write, out, ser_class::write, writes_medium),
    row({op::write16, 0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0}, H::write,
        out, ser_class::write, writes_medium),
    // ORWRITE(16): DPO, FUA (no ORPROTECT).
    row({op::orwrite16, 0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0},
        H::orwrite, out, ser_class::write, writes_medium),
    row({op::write_verify16, 0x12, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0},
        H::write_verify, out, ser_class::write, writes_medium),
    row({op::verify16, 0x16, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0},
        H::verify, out_if_bytchk, ser_class::read, reads),
    row({op::prefetch16, 0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0},
        H::prefetch, none, ser_class::read, reads),
    row({op::sync_cache16, 0x06, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0},
        H::sync_cache, none, ser_class::flush, medium),
    // WRITE SAME(16): UNMAP, NDOB (SBC-4).
    row({op::write_same16, 0x09, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0},
        H::write_same, out, ser_class::write, writes_medium),
    // WRITE ATOMIC(16): DPO, FUA; ATOMIC BOUNDARY 0 (no boundaries: the
    // Block Limits page reports no MAXIMUM ATOMIC BOUNDARY SIZE).
    row({op::write_atomic16, 0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0xFF, 0xFF, 0x1F, 0},
        H::write_atomic, out, ser_class::write, writes_medium),
    sa_row({op::service_action_in16, sa::read_capacity16, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
            0xFF, 0xFF, 0x01, 0},
           H::read_capacity16, in, ser_class::none, ok_under_reservation | medium),
    // GET LBA STATUS: reads allocation state, so it waits for older
    // overlapping UNMAP and WRITE SAME.
    sa_row({op::service_action_in16, sa::get_lba_status, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
            0xFF, 0xFF, 0, 0},
           H::get_lba_status, in, ser_class::read, reads | thin_only),
    // REPORT LUNS is answered by the session from the LUN mapping; the row
    // exists for REPORT SUPPORTED OPERATION CODES and the precheck flags.
    row({op::report_luns, 0, 0xFF, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0}, H::session_layer_only, in, ser_class::none,
        spc_query | session_layer),
    sa_row({op::maintenance_in, sa::report_supported_opcodes, 0x87, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0},
           H::report_supported_opcodes, in, ser_class::none, ok_on_standby | ok_under_reservation),
    row({op::read12, 0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0}, H::read, in, ser_class::read,
        reads),
    row({op::write12, 0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0}, H::write, out, ser_class::write,
        writes_medium),
    row({op::write_verify12, 0x12, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0}, H::write_verify, out,
        ser_class::write, writes_medium),
    // READ DEFECT DATA(12): REQ_PLIST, REQ_GLIST, DEFECT LIST FORMAT; ADDRESS DESCRIPTOR INDEX.
    row({op::read_defect_data12, 0x1F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0}, H::read_defect_data, in,
        ser_class::none, medium),
    row({op::verify12, 0x16, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0}, H::verify, out_if_bytchk,
        ser_class::read, reads),
};

// Third-party copy is the framework's copy manager's (SPC-4 6.3, 6.18):
// the core checks these CDBs and hands them on (handlers::third_party_copy).
// EXTENDED COPY conflicts with every reservation it does not hold (it
// writes); RECEIVE COPY RESULTS only reports, like a read.
constexpr std::array copy_rows = {
    sa_row({0x83, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0}, H::third_party_copy, out,
           ser_class::none, 0),
    // EXTENDED COPY(LID4) (SPC-4 6.4): the same CDB, service action 01h.
    sa_row({0x83, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0}, H::third_party_copy, out,
           ser_class::none, 0),
    sa_row({0x84, 0x00, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0}, H::third_party_copy, in,
           ser_class::none, reads),
    sa_row({0x84, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0}, H::third_party_copy, in, ser_class::none,
           reads),
    sa_row({0x84, 0x04, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0}, H::third_party_copy, in,
           ser_class::none, reads),
    // RECEIVE COPY STATUS(LID4): a four-byte LIST IDENTIFIER (bytes 2-5).
    sa_row({0x84, 0x05, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0}, H::third_party_copy, in,
           ser_class::none, reads),
};

// Reservations (actors/model/reservations) and ALUA (actors/model/alua) are
// the framework's: their rows give REPORT SUPPORTED OPERATION CODES and the
// task set their shape; the LU shell answers them before the core sees them.
constexpr auto rows =
    lu_table::merge(lu_table::merge(lu_table::merge(own_rows, copy_rows),
                                    lu_table::reservation_rows<command_row>(H::session_layer_only, in, out, none)),
                    lu_table::alua_rows<command_row>(H::session_layer_only, in, out));
static_assert(lu_table::table_ok(rows), "disk command table: duplicate, unordered or malformed row");
constexpr auto first_row = lu_table::first_rows(rows);
constexpr auto infos = lu_table::op_infos(rows);

// The rows a fully provisioned LU reports (no thin_only rows).
constexpr size_t thick_count = [] {
  size_t n = 0;
  for (const auto& r : rows) n += (r.flags & thin_only) ? 0 : 1;
  return n;
}();
constexpr std::array<op_info, thick_count> thick_infos = [] {
  std::array<op_info, thick_count> a{};
  size_t j = 0;
  for (const auto& r : rows)
    if (!(r.flags & thin_only)) a[j++] = r.info;
  return a;
}();

}  // namespace

lookup find_command(const uint8_t* cdb, size_t len) { return lu_table::find(rows, first_row, cdb, len); }

std::span<const command_row> disk_commands() { return rows; }
std::span<const scsi::op_info> disk_op_infos(bool thin) {
  if (thin) return infos;
  return thick_infos;
}

}  // namespace stmfd::sbd
