#include "wire/fc/fcoe.hpp"

#include <zlib.h>

#include <algorithm>

#include "wire/fc/bytes.hpp"

namespace stmfd::fc::fcoe {

bool valid_sof(uint8_t v) {
  switch (v) {
    case sof::f:
    case sof::i4:
    case sof::i2:
    case sof::i3:
    case sof::n4:
    case sof::n2:
    case sof::n3:
    case sof::c4: return true;
    default: return false;
  }
}

bool valid_eof(uint8_t v) {
  switch (v) {
    case eof::n:
    case eof::t:
    case eof::rt:
    case eof::dt:
    case eof::ni:
    case eof::dti:
    case eof::rti:
    case eof::a: return true;
    default: return false;
  }
}

uint32_t fc_crc(const uint8_t* p, size_t len) { return uint32_t(crc32(crc32(0L, Z_NULL, 0), p, uInt(len))); }

std::vector<uint8_t> encapsulate(const mac& dst, const mac& src, uint8_t sof, uint8_t eof, const uint8_t* fc,
                                 size_t fc_len) {
  std::vector<uint8_t> out;
  out.reserve(eth_header_len + header_len + fc_len + trailer_len);
  appender w{out};
  out.insert(out.end(), dst.begin(), dst.end());
  out.insert(out.end(), src.begin(), src.end());
  w.be16(ethertype_fcoe);
  w.u8(version << 4);
  w.zeros(12);
  w.u8(sof);
  out.insert(out.end(), fc, fc + fc_len);
  uint32_t crc = fc_crc(fc, fc_len);
  for (int i = 0; i < 4; ++i) w.u8(uint8_t(crc >> (8 * i)));
  w.u8(eof);
  w.zeros(3);
  return out;
}

const char* to_string(error e) {
  switch (e) {
    case error::none: return "ok";
    case error::truncated: return "truncated frame";
    case error::not_fcoe: return "not an FCoE frame";
    case error::bad_version: return "unknown FCoE version";
    case error::bad_sof: return "invalid SOF";
    case error::bad_eof: return "invalid EOF";
    case error::not_word_aligned: return "FC frame not a whole number of words";
    case error::too_long: return "FC frame too long";
    case error::bad_crc: return "FC CRC mismatch";
  }
  return "?";
}

error decapsulate(const uint8_t* p, size_t len, decapsulated& out) {
  constexpr size_t overhead = eth_header_len + header_len + trailer_len;
  if (len < overhead + fc::header_len) return error::truncated;
  if (get_be16(p + 12) != ethertype_fcoe) return error::not_fcoe;
  const uint8_t* h = p + eth_header_len;
  if ((h[0] >> 4) != version) return error::bad_version;
  if (!valid_sof(h[13])) return error::bad_sof;
  // The FC frame's length is not carried: it ends at the trailer. An FCoE
  // frame is never shorter than Ethernet's 60-byte minimum (the headers,
  // FC header and trailer alone make 60), so no Ethernet padding follows it.
  size_t body = len - eth_header_len - header_len;
  size_t fc_len = body - trailer_len;
  if (fc_len % 4 != 0) return error::not_word_aligned;
  if (fc_len > fc::header_len + fc::max_payload) return error::too_long;
  const uint8_t* fc = h + header_len;
  const uint8_t* trailer = fc + fc_len;
  if (!valid_eof(trailer[4])) return error::bad_eof;
  uint32_t crc =
      uint32_t(trailer[0]) | uint32_t(trailer[1]) << 8 | uint32_t(trailer[2]) << 16 | uint32_t(trailer[3]) << 24;
  if (crc != fc_crc(fc, fc_len)) return error::bad_crc;
  std::copy(p, p + 6, out.dst.begin());
  std::copy(p + 6, p + 12, out.src.begin());
  out.sof = h[13];
  out.eof = trailer[4];
  out.fc = fc;
  out.fc_len = fc_len;
  return error::none;
}

mac vn_port_mac(uint32_t port_id, uint32_t fc_map) {
  return {uint8_t(fc_map >> 16),  uint8_t(fc_map >> 8),  uint8_t(fc_map),
          uint8_t(port_id >> 16), uint8_t(port_id >> 8), uint8_t(port_id)};
}

}  // namespace stmfd::fc::fcoe
