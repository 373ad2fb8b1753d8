#pragma once
// What every LU provider's command table shares (conventions: commands are
// data): the row shape, the constexpr row builders, the compile-time order
// check, the opcode index, lookup, and the op_info list for REPORT
// SUPPORTED OPERATION CODES. Each device type (plugins/lu/sbd disk,
// plugins/lu/ssc tape) instantiates it with its own handler type, data
// directions and flags. Header-only.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "actors/contracts/lu_provider.hpp"
#include "actors/model/command_class.hpp"
#include "plugins/lu/common/outcome.hpp"
#include "wire/scsi/cdb.hpp"
#include "wire/scsi/rsoc.hpp"

namespace stmfd::lu_table {

// Row flags every device type shares (a provider may add bits above 8).
namespace flag {
constexpr uint16_t ok_with_ua = 1 << 0;                // runs with a unit attention pending (SPC-4 5.14)
constexpr uint16_t ua_not_cleared = 1 << 1;            // ... and leaves it pending (INQUIRY, REPORT LUNS)
constexpr uint16_t takes_pending_sense = 1 << 2;       // REQUEST SENSE: reports and clears it
constexpr uint16_t ok_on_standby = 1 << 3;             // ALUA standby (SPC-4 5.15.2.4.4)
constexpr uint16_t ok_under_reservation = 1 << 4;      // allowed for non-holders, all PR types (SPC-4 5.13.1)
constexpr uint16_t ok_under_write_exclusive = 1 << 5;  // allowed for non-holders under Write Exclusive
constexpr uint16_t writes_medium = 1 << 6;             // DATA PROTECT when write protected
constexpr uint16_t session_layer = 1 << 7;             // answered by the session (REPORT LUNS), not the LU
constexpr uint16_t framework = 1 << 8;                 // answered by the framework's LU shell (reservations)
}  // namespace flag

template <class Handler, class Dir>
struct row {
  scsi::op_info info;
  Handler handler;
  Dir dir;
  ser_class ser;
  uint16_t flags;
};

enum class lookup_result : uint8_t { found, unknown_opcode, unknown_service_action };

template <class Row>
struct lookup {
  lookup_result result;
  const Row* row;  // when found
};

// A row from its CDB usage data (the CDB length is the array length).
template <class Row, size_t N, class Handler, class Dir>
constexpr Row make_row(const uint8_t (&usage)[N], Handler h, Dir d, ser_class s, uint16_t f) {
  static_assert(N >= 6 && N <= 16);
  Row r{{}, h, d, s, f};
  r.info.opcode = usage[0];
  r.info.cdb_len = uint8_t(N);
  for (size_t i = 0; i < N; ++i) r.info.usage[i] = usage[i];
  return r;
}
// A row for one service action (SA in byte 1 bits 4:0; the usage data
// carries the SA value there).
template <class Row, size_t N, class Handler, class Dir>
constexpr Row make_sa_row(const uint8_t (&usage)[N], Handler h, Dir d, ser_class s, uint16_t f) {
  Row r = make_row<Row>(usage, h, d, s, f);
  r.info.has_sa = true;
  r.info.sa = usage[1] & 0x1F;
  return r;
}

// Keys unique and ascending (the report order), CDB length matching the
// opcode's group code, an opcode either always or never with service actions.
template <class Row, size_t N>
constexpr bool table_ok(const std::array<Row, N>& rows) {
  for (size_t i = 0; i < N; ++i) {
    const auto& r = rows[i];
    if (r.info.cdb_len != scsi::cdb_length_for(r.info.opcode)) return false;
    if (i > 0) {
      const auto& p = rows[i - 1];
      const bool less = p.info.opcode != r.info.opcode ? p.info.opcode < r.info.opcode : p.info.sa < r.info.sa;
      if (!less) return false;
      if (p.info.opcode == r.info.opcode && p.info.has_sa != r.info.has_sa) return false;
    }
  }
  return true;
}

// opcode -> first row index (0xFF: none); rows of one opcode are adjacent.
template <class Row, size_t N>
constexpr std::array<uint8_t, 256> first_rows(const std::array<Row, N>& rows) {
  static_assert(N < 0xFF);
  std::array<uint8_t, 256> idx{};
  for (auto& v : idx) v = 0xFF;
  for (size_t i = N; i-- > 0;) idx[rows[i].info.opcode] = uint8_t(i);
  return idx;
}

template <class Row, size_t N>
constexpr std::array<scsi::op_info, N> op_infos(const std::array<Row, N>& rows) {
  std::array<scsi::op_info, N> a{};
  for (size_t i = 0; i < N; ++i) a[i] = rows[i].info;
  return a;
}

// The row for cdb[0] (and the service action in cdb[1] bits 4:0 when the
// opcode has service actions).
template <class Row, size_t N>
lookup<Row> find(const std::array<Row, N>& rows, const std::array<uint8_t, 256>& first, const uint8_t* cdb,
                 size_t len) {
  if (len == 0) return {lookup_result::unknown_opcode, nullptr};
  size_t i = first[cdb[0]];
  if (i == 0xFF) return {lookup_result::unknown_opcode, nullptr};
  if (!rows[i].info.has_sa) return {lookup_result::found, &rows[i]};
  if (len < 2) return {lookup_result::unknown_service_action, nullptr};
  const uint8_t sa = cdb[1] & 0x1F;
  for (; i < N && rows[i].info.opcode == cdb[0]; ++i)
    if (rows[i].info.sa == sa) return {lookup_result::found, &rows[i]};
  return {lookup_result::unknown_service_action, nullptr};
}

// The contract's command_info from a row's shared flags and class (the
// caller adds data_out and the extent).
template <class Row>
command_info info_of(const Row& r) {
  command_info f;
  f.known = true;
  f.allowed_with_ua = r.flags & flag::ok_with_ua;
  f.ua_not_cleared = r.flags & flag::ua_not_cleared;
  f.reports_pending_sense = r.flags & flag::takes_pending_sense;
  f.allowed_on_standby = r.flags & flag::ok_on_standby;
  f.allowed_under_reservation = r.flags & flag::ok_under_reservation;
  f.allowed_under_write_exclusive = (r.flags & flag::ok_under_write_exclusive) || f.allowed_under_reservation;
  f.writes_medium = r.flags & flag::writes_medium;
  f.session_layer = r.flags & flag::session_layer;
  f.framework = r.flags & flag::framework;
  f.serialization = r.ser;
  return f;
}

// A core's classify() from its lookup: the row's flags, data_out when
// the row's direction is `out`, every block for ser_class::exclusive
// rows (they run alone). Unknown: command_info{} (known false).
template <class Row, class Dir>
command_info classify_found(const lookup<Row>& found, Dir out) {
  if (found.result != lookup_result::found) return {};
  command_info f = info_of(*found.row);
  f.data_out = found.row->dir == out;
  if (found.row->ser == ser_class::exclusive) f.range.whole = true;
  return f;
}

// The checks a core's execute() makes before the row's handler: unknown
// opcode -> 05/20/00, unknown service action -> 05/24/00 at byte 1, a CDB
// shorter than the row's -> 05/24/00 at byte 0, a bit outside the usage
// mask -> 05/24/00 with the byte and bit (CTL ctl_validate_command).
// nullopt: the handler may run.
template <class Row>
std::optional<lu_outcome> check_cdb(const lookup<Row>& found, const lu_command& cmd) {
  switch (found.result) {
    case lookup_result::unknown_opcode: return lu_reply::check(scsi::sense::invalid_opcode());
    case lookup_result::unknown_service_action: return lu_reply::check(scsi::invalid_cdb_field(1, 4));
    case lookup_result::found: break;
  }
  const auto& info = found.row->info;
  if (cmd.cdb_len < info.cdb_len) return lu_reply::check(scsi::invalid_cdb_field(0));
  if (auto bad = scsi::check_usage(cmd.cdb, info.usage.data(), info.cdb_len))
    return lu_reply::check(scsi::sense_info{scsi::sense::invalid_field_in_cdb(), {}, bad});
  return std::nullopt;
}

// The rows of the commands the framework's LU shell answers for every LU
// kind (reservations: PERSISTENT RESERVE IN READ KEYS .. READ FULL
// STATUS, OUT REGISTER .. REGISTER AND MOVE, SPC-4 6.15/6.16; RESERVE and
// RELEASE (6) and (10)): they give REPORT SUPPORTED OPERATION CODES and
// the task set their shape; PR OUT and RESERVE/RELEASE order like MODE
// SELECT. `answered_above` is the provider's handler for rows that never
// reach it.
template <class Row, class Handler, class Dir>
constexpr std::array<Row, 16> reservation_rows(Handler answered_above, Dir in, Dir out, Dir none) {
  std::array<Row, 16> a{};
  size_t k = 0;
  for (uint8_t sa = 0; sa < 4; ++sa) {
    const uint8_t usage[10] = {0x5E, sa, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0};
    a[k++] = make_sa_row<Row>(usage, answered_above, in, ser_class::none, flag::framework);
  }
  for (uint8_t sa = 0; sa < 8; ++sa) {
    const uint8_t usage[10] = {0x5F, sa, 0xFF, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0};
    a[k++] = make_sa_row<Row>(usage, answered_above, out, ser_class::mode_write, flag::framework);
  }
  for (uint8_t op : {uint8_t(0x16), uint8_t(0x17)}) {
    const uint8_t usage[6] = {op, 0, 0, 0, 0, 0};
    a[k++] = make_row<Row>(usage, answered_above, none, ser_class::mode_write, flag::framework);
  }
  for (uint8_t op : {uint8_t(0x56), uint8_t(0x57)}) {
    const uint8_t usage[10] = {op, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    a[k++] = make_row<Row>(usage, answered_above, none, ser_class::mode_write, flag::framework);
  }
  return a;
}

// a and b as one table in key order (opcode, then service action);
// table_ok() then finds any duplicate.
template <class Row, size_t N, size_t M>
constexpr std::array<Row, N + M> merge(const std::array<Row, N>& a, const std::array<Row, M>& b) {
  std::array<Row, N + M> out{};
  for (size_t i = 0; i < N; ++i) out[i] = a[i];
  for (size_t i = 0; i < M; ++i) out[N + i] = b[i];
  for (size_t i = 1; i < N + M; ++i)  // insertion sort: tables are small
    for (size_t j = i; j > 0; --j) {
      const auto& p = out[j - 1].info;
      const auto& q = out[j].info;
      if (p.opcode < q.opcode || (p.opcode == q.opcode && p.sa <= q.sa)) break;
      const Row t = out[j - 1];
      out[j - 1] = out[j];
      out[j] = t;
    }
  return out;
}

}  // namespace stmfd::lu_table
