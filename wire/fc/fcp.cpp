#include "wire/fc/fcp.hpp"

#include <algorithm>

#include "wire/fc/bytes.hpp"

namespace stmfd::fc::fcp {

// FCP-4 Table 21: LUN (8), CRN, priority/attribute, task management
// flags, additional CDB length (bits 7-2) with RDDATA/WRDATA, the CDB,
// FCP_DL, and FCP_BIDIRECTIONAL_READ_DL for bidirectional commands.
std::vector<uint8_t> encode(const cmnd& c) {
  std::vector<uint8_t> out;
  appender w{out};
  uint16_t cdb_len = std::clamp<uint16_t>(c.cdb_len, 16, max_cdb);
  cdb_len = uint16_t(16 + (cdb_len - 16) / 4 * 4);
  out.insert(out.end(), c.lun.begin(), c.lun.end());
  w.u8(c.crn);
  w.u8(uint8_t((c.priority & 0x0F) << 3 | (c.attribute & 0x07)));
  w.u8(c.tm_flags);
  w.u8(uint8_t(((cdb_len - 16) / 4) << 2 | (c.rddata ? 2 : 0) | (c.wrdata ? 1 : 0)));
  out.insert(out.end(), c.cdb.begin(), c.cdb.begin() + cdb_len);
  w.be32(c.dl);
  if (c.rddata && c.wrdata) w.be32(c.bidi_read_dl);
  return out;
}

std::optional<cmnd> decode_cmnd(const uint8_t* p, size_t len) {
  if (len < cmnd_min_len) return std::nullopt;
  cmnd c;
  std::copy(p, p + 8, c.lun.begin());
  c.crn = p[8];
  c.priority = (p[9] >> 3) & 0x0F;
  c.attribute = p[9] & 0x07;
  c.tm_flags = p[10];
  c.rddata = (p[11] & 2) != 0;
  c.wrdata = (p[11] & 1) != 0;
  c.cdb_len = uint16_t(16 + (p[11] >> 2) * 4);
  size_t need = 12 + c.cdb_len + 4 + (c.rddata && c.wrdata ? 4 : 0);
  if (len < need) return std::nullopt;
  std::copy(p + 12, p + 12 + c.cdb_len, c.cdb.begin());
  c.dl = get_be32(p + 12 + c.cdb_len);
  if (c.rddata && c.wrdata) c.bidi_read_dl = get_be32(p + 16 + c.cdb_len);
  return c;
}

std::vector<uint8_t> encode(const xfer_rdy& x) {
  std::vector<uint8_t> out;
  appender w{out};
  w.be32(x.offset);
  w.be32(x.burst);
  w.zeros(4);
  return out;
}

std::optional<xfer_rdy> decode_xfer_rdy(const uint8_t* p, size_t len) {
  if (len < 12) return std::nullopt;
  return xfer_rdy{get_be32(p), get_be32(p + 4)};
}

// FCP-4 Table 27: reserved (8), status qualifier (2), flags, SCSI status,
// FCP_RESID, FCP_SNS_LEN, FCP_RSP_LEN, FCP_RSP_INFO, FCP_SNS_INFO.
std::vector<uint8_t> encode(const rsp& r) {
  std::vector<uint8_t> out;
  appender w{out};
  w.zeros(8);
  w.be16(r.status_qualifier);
  uint8_t flags = 0;
  if (r.response) flags |= flag::rsp_len_valid;
  if (!r.sense.empty()) flags |= flag::sns_len_valid;
  if (r.resid_over) flags |= flag::resid_over;
  if (r.resid_under) flags |= flag::resid_under;
  if (r.conf_req) flags |= flag::conf_req;
  w.u8(flags);
  w.u8(r.status);
  w.be32(r.resid_over || r.resid_under ? r.resid : 0);
  w.be32(uint32_t(r.sense.size()));
  w.be32(r.response ? 8 : 0);
  if (r.response) {
    w.zeros(3);
    w.u8(*r.response);
    w.zeros(4);
  }
  out.insert(out.end(), r.sense.begin(), r.sense.end());
  return out;
}

std::optional<rsp> decode_rsp(const uint8_t* p, size_t len) {
  if (len < 24) return std::nullopt;
  rsp r;
  r.status_qualifier = get_be16(p + 8);
  uint8_t flags = p[10];
  r.status = p[11];
  r.resid_over = (flags & flag::resid_over) != 0;
  r.resid_under = (flags & flag::resid_under) != 0;
  if (r.resid_over && r.resid_under) return std::nullopt;
  r.conf_req = (flags & flag::conf_req) != 0;
  r.resid = (r.resid_over || r.resid_under) ? get_be32(p + 12) : 0;
  uint32_t sns_len = (flags & flag::sns_len_valid) ? get_be32(p + 16) : 0;
  uint32_t rsp_len = (flags & flag::rsp_len_valid) ? get_be32(p + 20) : 0;
  if (rsp_len != 0 && rsp_len != 4 && rsp_len != 8) return std::nullopt;
  if (uint64_t(24) + rsp_len + sns_len > len) return std::nullopt;
  if (rsp_len) r.response = p[24 + 3];
  r.sense.assign(p + 24 + rsp_len, p + 24 + rsp_len + sns_len);
  return r;
}

}  // namespace stmfd::fc::fcp
