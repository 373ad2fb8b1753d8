#include "wire/fc/fip.hpp"

#include <algorithm>

#include "wire/fc/bytes.hpp"

namespace stmfd::fc::fip {

const descriptor* message::find(uint8_t type) const {
  for (auto& d : descriptors)
    if (d.type == type) return &d;
  return nullptr;
}

std::vector<uint8_t> encode(const message& m) {
  size_t words = 0;
  for (auto& d : m.descriptors) words += (2 + d.value.size() + 3) / 4;
  std::vector<uint8_t> out;
  appender w{out};
  w.u8(version << 4);
  w.u8(0);
  w.be16(m.hdr.op);
  w.u8(0);
  w.u8(m.hdr.subcode);
  w.be16(uint16_t(words));
  w.be16(m.hdr.flags);
  for (auto& d : m.descriptors) {
    size_t len = (2 + d.value.size() + 3) / 4;
    w.u8(d.type);
    w.u8(uint8_t(len));
    out.insert(out.end(), d.value.begin(), d.value.end());
    w.zeros(len * 4 - 2 - d.value.size());
  }
  return out;
}

std::optional<message> decode(const uint8_t* p, size_t len) {
  if (len < header_len || (p[0] >> 4) != version) return std::nullopt;
  message m;
  m.hdr.op = get_be16(p + 2);
  m.hdr.subcode = p[5];
  m.hdr.flags = get_be16(p + 8);
  size_t list = size_t(get_be16(p + 6)) * 4;
  if (list > len - header_len) return std::nullopt;
  const uint8_t* d = p + header_len;
  while (list > 0) {
    if (list < 4) return std::nullopt;
    size_t dlen = size_t(d[1]) * 4;
    if (dlen == 0 || dlen > list) return std::nullopt;
    m.descriptors.push_back(descriptor{d[0], std::vector<uint8_t>(d + 2, d + dlen)});
    d += dlen;
    list -= dlen;
  }
  return m;
}

std::vector<uint8_t> frame(const fcoe::mac& dst, const fcoe::mac& src, const message& m) {
  std::vector<uint8_t> out(dst.begin(), dst.end());
  out.insert(out.end(), src.begin(), src.end());
  appender w{out};
  w.be16(fcoe::ethertype_fip);
  auto pdu = encode(m);
  out.insert(out.end(), pdu.begin(), pdu.end());
  if (out.size() < 60) out.resize(60, 0);  // Ethernet minimum; the list length bounds the PDU
  return out;
}

descriptor mac_desc(const fcoe::mac& m) { return {desc::mac, std::vector<uint8_t>(m.begin(), m.end())}; }

std::optional<fcoe::mac> as_mac(const descriptor& d) {
  if (d.type != desc::mac || d.value.size() < 6) return std::nullopt;
  fcoe::mac m;
  std::copy(d.value.begin(), d.value.begin() + 6, m.begin());
  return m;
}

descriptor name_desc(uint64_t wwnn) {
  descriptor d{desc::name, {0, 0}};
  appender{d.value}.be64(wwnn);
  return d;
}

std::optional<uint64_t> as_name(const descriptor& d) {
  if (d.type != desc::name || d.value.size() < 10) return std::nullopt;
  return get_be64(d.value.data() + 2);
}

descriptor max_size_desc(uint16_t bytes) {
  descriptor d{desc::max_size, {}};
  appender{d.value}.be16(bytes);
  return d;
}

std::optional<uint16_t> as_max_size(const descriptor& d) {
  if (d.type != desc::max_size || d.value.size() < 2) return std::nullopt;
  return get_be16(d.value.data());
}

// FC-BB-6 Table 57: MAC (6), reserved (1), port identifier (3), port name (8).
descriptor vn_id_desc(const vn_port& v) {
  descriptor d{desc::vn_id, std::vector<uint8_t>(v.mac.begin(), v.mac.end())};
  appender w{d.value};
  w.u8(0);
  w.be24(v.port_id);
  w.be64(v.port_name);
  return d;
}

std::optional<vn_port> as_vn_id(const descriptor& d) {
  if (d.type != desc::vn_id || d.value.size() < 18) return std::nullopt;
  vn_port v;
  std::copy(d.value.begin(), d.value.begin() + 6, v.mac.begin());
  v.port_id = get_be24(d.value.data() + 7);
  v.port_name = get_be64(d.value.data() + 10);
  return v;
}

descriptor els_desc(uint8_t type, const std::vector<uint8_t>& fc_frame) {
  descriptor d{type, std::vector<uint8_t>(2 + fc_frame.size(), 0)};
  std::copy(fc_frame.begin(), fc_frame.end(), d.value.begin() + 2);
  return d;
}

std::optional<std::vector<uint8_t>> as_els(const descriptor& d) {
  if ((d.type != desc::flogi && d.type != desc::fdisc && d.type != desc::logo) || d.value.size() < 2 + fc::header_len)
    return std::nullopt;
  return std::vector<uint8_t>(d.value.begin() + 2, d.value.end());
}

}  // namespace stmfd::fc::fip
