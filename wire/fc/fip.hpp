#pragma once
// FIP, the FCoE Initialization Protocol (FC-BB-6 7.8): the PDU after the
// Ethernet header of a frame of type 8914h, with its descriptors. VN2VN
// (FC-BB-6 7.8.7) uses probe, claim notification/response and beacons with
// MAC, name, VN_Port ID, FCoE size and FC-4 feature descriptors; FLOGI and
// its accept travel encapsulated in a link service FIP frame. Pure.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "wire/fc/fcoe.hpp"

namespace stmfd::fc::fip {

constexpr uint8_t version = 1;
constexpr size_t header_len = 10;

namespace op {
constexpr uint16_t discovery = 1, link_service = 2, control = 3, vlan = 4, vn2vn = 5;
}
namespace vn2vn_sub {
constexpr uint8_t probe_request = 1, probe_reply = 2, claim_notify = 3, claim_response = 4, beacon = 5;
}
namespace ls_sub {
constexpr uint8_t request = 1, reply = 2;
}
namespace flag {
constexpr uint16_t fpma = 0x8000, spma = 0x4000, fcf = 0x0020, fdf = 0x0010, rec_or_p2p = 0x0008, available = 0x0004,
                   solicited = 0x0002, f_port = 0x0001;
}
// Descriptor types (FC-BB-6 Table 46). Types from 128 are non-critical:
// a receiver that does not know one skips it.
namespace desc {
constexpr uint8_t priority = 1, mac = 2, fc_map = 3, name = 4, fabric = 5, max_size = 6, flogi = 7, fdisc = 8, logo = 9,
                  elp = 10, vn_id = 11, fka = 12, vendor = 13, vlan = 14, fc4_features = 15, non_critical = 128;
}

struct header {
  uint16_t op = op::vn2vn;
  uint8_t subcode = 0;
  uint16_t flags = 0;
  bool operator==(const header&) const = default;
};

// One descriptor: its type and the bytes after its 2-byte type/length
// header (the length field counts 32-bit words including that header).
struct descriptor {
  uint8_t type = 0;
  std::vector<uint8_t> value;
  bool operator==(const descriptor&) const = default;
};

struct message {
  header hdr;
  std::vector<descriptor> descriptors;
  const descriptor* find(uint8_t type) const;
  bool operator==(const message&) const = default;
};

// The FIP PDU (after the Ethernet header); each descriptor's value must make
// its descriptor a whole number of words (the builders below do).
std::vector<uint8_t> encode(const message& m);
// Nullopt for: shorter than the header, a version other than 1, a
// descriptor list longer than the frame, a descriptor of length 0 or
// running past the list.
std::optional<message> decode(const uint8_t* p, size_t len);
// The Ethernet frame (no FCS) carrying a FIP PDU.
std::vector<uint8_t> frame(const fcoe::mac& dst, const fcoe::mac& src, const message& m);

descriptor mac_desc(const fcoe::mac& m);
std::optional<fcoe::mac> as_mac(const descriptor& d);
descriptor name_desc(uint64_t wwnn);
std::optional<uint64_t> as_name(const descriptor& d);
descriptor max_size_desc(uint16_t bytes);
std::optional<uint16_t> as_max_size(const descriptor& d);

struct vn_port {
  fcoe::mac mac{};
  uint32_t port_id = 0;
  uint64_t port_name = 0;
  bool operator==(const vn_port&) const = default;
};
descriptor vn_id_desc(const vn_port& v);
std::optional<vn_port> as_vn_id(const descriptor& d);

// An encapsulated ELS (FLOGI/FDISC/LOGO descriptors): two reserved bytes,
// then the FC frame header and payload (whole words).
descriptor els_desc(uint8_t type, const std::vector<uint8_t>& fc_frame);
std::optional<std::vector<uint8_t>> as_els(const descriptor& d);

}  // namespace stmfd::fc::fip
