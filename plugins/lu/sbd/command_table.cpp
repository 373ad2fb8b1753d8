#include "plugins/lu/sbd/command_table.hpp"

#include <array>

#include "wire/scsi/cdb.hpp"
#include "wire/scsi/inquiry.hpp"

namespace stmfd::sbd {

namespace {

using namespace scsi;
using enum data_dir;

// A row from its CDB usage data (the CDB length is the array length).
template <size_t N>
constexpr command_row row(const uint8_t (&usage)[N], handler_fn h, data_dir d, ser_class s, uint16_t f) {
  static_assert(N >= 6 && N <= 16);
  command_row r{{}, h, d, s, f};
  r.info.opcode = usage[0];
  r.info.cdb_len = uint8_t(N);
  for (size_t i = 0; i < N; ++i) r.info.usage[i] = usage[i];
  return r;
}
// A row for one service action of an opcode with service actions (SA in
// byte 1 bits 4:0; the usage data carries the SA value there).
template <size_t N>
constexpr command_row sa_row(const uint8_t (&usage)[N], handler_fn h, data_dir d, ser_class s, uint16_t f) {
  command_row r = row(usage, h, d, s, f);
  r.info.has_sa = true;
  r.info.sa = usage[1] & 0x1F;
  return r;
}

using namespace flag;
namespace H = handlers;

// PERSISTENT RESERVE IN / OUT rows, one per service action (SPC-4 6.15,
// 6.16): answered by the framework; PR OUT orders like MODE SELECT.
constexpr command_row prin_row(uint8_t sa) {
  const uint8_t usage[10] = {op::persistent_reserve_in, sa, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0};
  return sa_row(usage, H::session_layer_only, data_dir::in, ser_class::none, framework);
}
constexpr command_row prout_row(uint8_t sa) {
  const uint8_t usage[10] = {op::persistent_reserve_out, sa, 0xFF, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0};
  return sa_row(usage, H::session_layer_only, data_dir::out, ser_class::mode_write, framework);
}
constexpr uint16_t spc_query = ok_with_ua | ua_not_cleared | ok_on_standby | ok_under_reservation;
constexpr uint16_t reads = ok_under_write_exclusive;

// READ/WRITE/VERIFY usage masks: DPO+FUA (no RDPROTECT/WRPROTECT: no
// protection information), GROUP NUMBER bits accepted and ignored,
// CONTROL byte 0 (NACA and LINK unsupported).
// VERIFY and WRITE AND VERIFY: DPO + BYTCHK (WRITE AND VERIFY: BYTCHK 0/1 only).
constexpr std::array rows = {
    row({op::test_unit_ready, 0, 0, 0, 0, 0}, H::test_unit_ready, none, ser_class::none, ok_under_reservation | medium),
    row({op::request_sense, 0x01, 0, 0, 0xFF, 0}, H::request_sense, in, ser_class::none,
        ok_with_ua | takes_pending_sense | ok_on_standby | ok_under_reservation),
    row({op::read6, 0x1F, 0xFF, 0xFF, 0xFF, 0}, H::read, in, ser_class::read, reads),
    row({op::write6, 0x1F, 0xFF, 0xFF, 0xFF, 0}, H::write, out, ser_class::write, writes_medium),
    row(inquiry_usage, H::inquiry, in, ser_class::none, spc_query),
    row({op::mode_select6, 0x11, 0, 0, 0xFF, 0}, H::mode_select, out, ser_class::mode_write, ok_on_standby),
    // Reservations are the framework's (actors/model/reservations): these
    // rows give REPORT SUPPORTED OPERATION CODES and the task set their
    // shape; the LU shell answers them before the core sees them.
    row({op::reserve6, 0, 0, 0, 0, 0}, H::session_layer_only, none, ser_class::mode_write, framework),
    row({op::release6, 0, 0, 0, 0, 0}, H::session_layer_only, none, ser_class::mode_write, framework),
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
    row({op::mode_select10, 0x11, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0}, H::mode_select, out, ser_class::mode_write,
        ok_on_standby),
    row({0x56, 0, 0, 0, 0, 0, 0, 0, 0, 0}, H::session_layer_only, none, ser_class::mode_write, framework),
    row({0x57, 0, 0, 0, 0, 0, 0, 0, 0, 0}, H::session_layer_only, none, ser_class::mode_write, framework),
    row({op::mode_sense10, 0x18, 0xFF, 0xFF, 0, 0, 0, 0xFF, 0xFF, 0}, H::mode_sense, in, ser_class::mode_read,
        ok_on_standby | reads),
    // PERSISTENT RESERVE IN: READ KEYS, READ RESERVATION, REPORT
    // CAPABILITIES, READ FULL STATUS; OUT: REGISTER .. REGISTER AND MOVE.
    prin_row(0x00),
    prin_row(0x01),
    prin_row(0x02),
    prin_row(0x03),
    prout_row(0x00),
    prout_row(0x01),
    prout_row(0x02),
    prout_row(0x03),
    prout_row(0x04),
    prout_row(0x05),
    prout_row(0x06),
    prout_row(0x07),
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
    row({op::verify12, 0x16, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0}, H::verify, out_if_bytchk,
        ser_class::read, reads),
};

// Compile-time table checks: keys unique and ascending (the report order),
// CDB length matching the opcode's group code, and an opcode either always
// or never with service actions.
constexpr bool key_less(const command_row& a, const command_row& b) {
  return a.info.opcode != b.info.opcode ? a.info.opcode < b.info.opcode : a.info.sa < b.info.sa;
}
constexpr bool table_ok() {
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    if (r.info.cdb_len != cdb_length_for(r.info.opcode)) return false;
    if (i > 0) {
      const auto& p = rows[i - 1];
      if (!key_less(p, r)) return false;  // duplicate or out of order
      if (p.info.opcode == r.info.opcode && p.info.has_sa != r.info.has_sa) return false;
    }
  }
  return true;
}
static_assert(table_ok(), "disk command table: duplicate, unordered or malformed row");

// opcode -> first row index (0xFF: none); rows of one opcode are adjacent.
constexpr std::array<uint8_t, 256> first_row = [] {
  std::array<uint8_t, 256> idx{};
  for (auto& v : idx) v = 0xFF;
  for (size_t i = rows.size(); i-- > 0;) idx[rows[i].info.opcode] = uint8_t(i);
  return idx;
}();
static_assert(rows.size() < 0xFF);

constexpr std::array<op_info, rows.size()> infos = [] {
  std::array<op_info, rows.size()> a{};
  for (size_t i = 0; i < rows.size(); ++i) a[i] = rows[i].info;
  return a;
}();

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

lookup find_command(const uint8_t* cdb, size_t len) {
  if (len == 0) return {lookup_result::unknown_opcode, nullptr};
  size_t i = first_row[cdb[0]];
  if (i == 0xFF) return {lookup_result::unknown_opcode, nullptr};
  if (!rows[i].info.has_sa) return {lookup_result::found, &rows[i]};
  if (len < 2) return {lookup_result::unknown_service_action, nullptr};
  const uint8_t sa = cdb[1] & 0x1F;
  for (; i < rows.size() && rows[i].info.opcode == cdb[0]; ++i)
    if (rows[i].info.sa == sa) return {lookup_result::found, &rows[i]};
  return {lookup_result::unknown_service_action, nullptr};
}

std::span<const command_row> disk_commands() { return rows; }
std::span<const scsi::op_info> disk_op_infos(bool thin) {
  if (thin) return infos;
  return thick_infos;
}

}  // namespace stmfd::sbd
