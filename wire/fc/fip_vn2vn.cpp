#include "wire/fc/fip_vn2vn.hpp"

#include "wire/fc/bytes.hpp"

namespace stmfd::fc::fip {

namespace {

constexpr size_t type_map_bytes = 32;   // 256 FC-4 types, one bit each
constexpr size_t features_bytes = 128;  // 4 bits per type
constexpr size_t fc4_value_len = 2 + type_map_bytes + features_bytes;

bool unicast(const fcoe::mac& m) {
  bool zero = true;
  for (auto b : m) zero = zero && b == 0;
  return !zero && (m[0] & 1) == 0;
}

// Exact value lengths (descriptor length less its 2-byte header).
size_t value_len(uint8_t type) {
  switch (type) {
    case desc::mac: return 6;
    case desc::name: return 10;
    case desc::vn_id: return 18;
    case desc::max_size: return 2;
    case desc::fc4_features: return fc4_value_len;
    default: return 0;
  }
}

}  // namespace

descriptor fc4_features_desc(bool fcp, uint8_t fcp_features) {
  descriptor d{desc::fc4_features, std::vector<uint8_t>(fc4_value_len, 0)};
  if (fcp) {
    // Type 08h: bit 8 of the first big-endian map word; its features are
    // the low nibble of the second feature word (types 8..15).
    d.value[2 + 2] = 0x01;
    d.value[2 + type_map_bytes + 4 + 3] = fcp_features & 0x0F;
  }
  return d;
}

message encode(const vn2vn_msg& v) {
  message m;
  m.hdr.op = op::vn2vn;
  m.hdr.subcode = v.subcode;
  m.hdr.flags = v.flags;
  m.descriptors.push_back(mac_desc(v.enode));
  m.descriptors.push_back(name_desc(v.node_name));
  m.descriptors.push_back(vn_id_desc(v.vn));
  if (v.subcode == vn2vn_sub::claim_notify || v.subcode == vn2vn_sub::claim_response) {
    m.descriptors.push_back(fc4_features_desc(v.fcp, v.fcp_features));
    m.descriptors.push_back(max_size_desc(v.fcoe_size));
  }
  return m;
}

std::optional<vn2vn_msg> decode_vn2vn(const message& m) {
  if (m.hdr.op != op::vn2vn || m.hdr.subcode < vn2vn_sub::probe_request || m.hdr.subcode > vn2vn_sub::beacon)
    return std::nullopt;
  const bool claim = m.hdr.subcode == vn2vn_sub::claim_notify || m.hdr.subcode == vn2vn_sub::claim_response;
  vn2vn_msg v;
  v.subcode = m.hdr.subcode;
  v.flags = m.hdr.flags;
  uint32_t seen = 0;
  for (auto& d : m.descriptors) {
    if (d.type >= desc::non_critical) continue;  // FC-BB-6: unknown non-critical descriptors are skipped
    bool allowed = d.type == desc::mac || d.type == desc::name || d.type == desc::vn_id ||
                   (claim && (d.type == desc::fc4_features || d.type == desc::max_size));
    if (!allowed || (seen & (1u << d.type)) || d.value.size() != value_len(d.type)) return std::nullopt;
    seen |= 1u << d.type;
    switch (d.type) {
      case desc::mac: v.enode = *as_mac(d); break;
      case desc::name: v.node_name = *as_name(d); break;
      case desc::vn_id: v.vn = *as_vn_id(d); break;
      case desc::max_size: v.fcoe_size = *as_max_size(d); break;
      case desc::fc4_features:
        v.fcp = (d.value[2 + 2] & 0x01) != 0;
        v.fcp_features = d.value[2 + type_map_bytes + 4 + 3] & 0x0F;
        break;
    }
  }
  const uint32_t required = 1u << desc::mac | 1u << desc::name | 1u << desc::vn_id;
  if ((seen & required) != required || !unicast(v.enode)) return std::nullopt;
  return v;
}

message encode(const link_service_msg& l) {
  message m;
  m.hdr.op = op::link_service;
  m.hdr.subcode = l.subcode;
  m.descriptors.push_back(els_desc(l.els_type, l.fc));
  if (l.mac) m.descriptors.push_back(mac_desc(*l.mac));
  return m;
}

std::optional<link_service_msg> decode_link_service(const message& m) {
  if (m.hdr.op != op::link_service || (m.hdr.subcode != ls_sub::request && m.hdr.subcode != ls_sub::reply))
    return std::nullopt;
  if (m.descriptors.empty()) return std::nullopt;
  const descriptor& first = m.descriptors.front();
  if (first.type != desc::flogi && first.type != desc::fdisc && first.type != desc::logo && first.type != desc::elp)
    return std::nullopt;
  if (first.value.size() < 2 + fc::header_len + 4) return std::nullopt;
  link_service_msg l;
  l.subcode = m.hdr.subcode;
  l.els_type = first.type;
  l.fc.assign(first.value.begin() + 2, first.value.end());
  for (size_t i = 1; i < m.descriptors.size(); ++i) {
    const descriptor& d = m.descriptors[i];
    if (d.type == desc::mac) {
      if (d.value.size() != 6) return std::nullopt;
      if (!l.mac) l.mac = as_mac(d);  // a switch may send a second one (the FCoE MAC); unused in VN2VN
    } else if (d.type < desc::non_critical) {
      return std::nullopt;
    }
  }
  const bool ls_rjt = l.fc[fc::header_len] == 0x01;
  if (!l.mac && !ls_rjt) return std::nullopt;
  return l;
}

}  // namespace stmfd::fc::fip
