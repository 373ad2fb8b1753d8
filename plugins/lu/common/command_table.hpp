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

#include "actors/model/command_class.hpp"
#include "wire/scsi/cdb.hpp"
#include "wire/scsi/rsoc.hpp"

namespace stmfd::lu_table {

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

}  // namespace stmfd::lu_table
