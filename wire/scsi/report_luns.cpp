#include "wire/scsi/report_luns.hpp"

#include <algorithm>

#include "wire/scsi/byte_writer.hpp"
#include "wire/scsi/cdb.hpp"

namespace stmfd::scsi {

std::array<uint8_t, 8> encode_lun(uint16_t lun) {
  lun &= max_lun;
  std::array<uint8_t, 8> b{};
  if (lun < 256) {
    b[1] = uint8_t(lun);  // peripheral device addressing, bus identifier 0
  } else {
    b[0] = uint8_t(0x40 | (lun >> 8));  // flat space addressing
    b[1] = uint8_t(lun);
  }
  return b;
}

std::optional<uint16_t> decode_lun(const uint8_t* p) {
  for (int i = 2; i < 8; ++i)
    if (p[i]) return std::nullopt;
  switch (p[0] >> 6) {
    case 0:  // peripheral device: bus identifier must be 0
      if (p[0] & 0x3F) return std::nullopt;
      return p[1];
    case 1:  // flat space
      return uint16_t((p[0] & 0x3F) << 8 | p[1]);
    default: return std::nullopt;
  }
}

bool is_report_luns_wlun(const uint8_t* p) {
  static constexpr uint8_t wlun[8] = {0xC1, 0x01, 0, 0, 0, 0, 0, 0};
  return std::equal(p, p + 8, wlun);
}

report_luns_decoded decode_report_luns(const uint8_t* cdb, size_t len) {
  static constexpr uint8_t usage[12] = {op::report_luns, 0, 0xFF, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0};
  if (len < 12) return {invalid_cdb_field(0), {}};
  if (auto bad = check_usage(cdb, usage, 12)) return {sense_info{sense::invalid_field_in_cdb(), {}, bad}, {}};
  report_luns_request r{cdb[2], get_be32(cdb + 6)};
  if (r.select > select_report::all) return {invalid_cdb_field(2), {}};
  return {std::nullopt, r};
}

reply build_report_luns(std::span<const uint16_t> luns, const report_luns_request& req, uint8_t* out, size_t cap) {
  static constexpr uint8_t wlun[8] = {0xC1, 0x01, 0, 0, 0, 0, 0, 0};
  byte_writer w(out, std::min<size_t>(cap, req.alloc_len));
  const bool logical = req.select != select_report::well_known_only;
  const bool well_known = req.select != select_report::all_but_well_known;
  w.be32(uint32_t((logical ? luns.size() : 0) + (well_known ? 1 : 0)) * 8);
  w.zeros(4);
  if (logical)
    for (uint16_t l : luns) {
      const auto e = encode_lun(l);
      w.bytes(e.data(), e.size());
    }
  if (well_known) w.bytes(wlun, sizeof wlun);
  return {std::nullopt, w.written()};
}

}  // namespace stmfd::scsi
