#pragma once
// The FIP messages a VN2VN VN_Port exchanges (FC-BB-6 7.8.7), built on the
// generic FIP PDU codec (fip.hpp): probe request/reply, claim notification/
// response and beacon, each with the ENode's MAC, the node name and the
// VN_Port's identity (MAC, port ID, port name); claims also carry the FC-4
// features and the largest FCoE frame the sender takes. And the link
// service PDUs that carry an encapsulated ELS (FC-BB-6 7.8.5: FLOGI, FDISC,
// LOGO), which in VN2VN travel between VN_Ports. Pure: no sockets, no time.
#include <cstdint>
#include <optional>
#include <vector>

#include "wire/fc/fip.hpp"

namespace stmfd::fc::fip {

// FC-BB-6 7.8.7: the multicast groups VN2VN frames go to.
inline constexpr fcoe::mac all_vn2vn_macs{0x01, 0x10, 0x18, 0x01, 0x00, 0x04};
inline constexpr fcoe::mac all_p2p_macs{0x01, 0x10, 0x18, 0x01, 0x00, 0x05};

// The VN2VN protocol timers of FC-BB-6 7.8.7, in milliseconds.
namespace vn2vn_ms {
constexpr unsigned probe_wait = 100;     // random start delay bound, and the gap between the two probes
constexpr unsigned announce_wait = 400;  // probe to claim, claim to up; claims no closer than this
constexpr unsigned beacon_interval = 8000;
constexpr unsigned beacon_fuzz = 100;      // random extra delay of each beacon
constexpr unsigned rate_limit_count = 10;  // address proposals before slowing down
constexpr unsigned rate_limit_interval = 10000;
constexpr unsigned peer_timeout = beacon_interval * 5 / 2;  // a peer silent this long is gone
}  // namespace vn2vn_ms

// FC-4 feature bits of FCP (the name server's FC-4 Features object, FC-GS),
// 4 bits per FC-4 type in the descriptor's feature words.
namespace fcp_feature {
constexpr uint8_t target = 0x1, initiator = 0x2;
}

struct vn2vn_msg {
  uint8_t subcode = vn2vn_sub::beacon;
  uint16_t flags = 0;  // flag::rec_or_p2p set by ports in recorded-address or point-to-point mode
  fcoe::mac enode{};   // the sender's ENode MAC (MAC descriptor)
  uint64_t node_name = 0;
  vn_port vn;                // the VN_Port: its MAC, port ID and port name
  uint16_t fcoe_size = 0;    // claims: largest FCoE frame accepted (FCoE header to EOF); 0 when absent
  bool fcp = false;          // claims: the FC-4 type map lists FCP
  uint8_t fcp_features = 0;  // claims: fcp_feature bits
  bool operator==(const vn2vn_msg&) const = default;
};

// The FIP PDU of a VN2VN message (op 5): MAC, name and VN_Port ID
// descriptors, plus FC-4 features and FCoE size for claims.
message encode(const vn2vn_msg& v);
// Nullopt unless `m` is a VN2VN PDU with a known subcode carrying exactly
// one valid MAC, name and VN_Port ID descriptor (claims may add FC-4
// features and FCoE size), each of its exact length, a unicast MAC, and no
// unknown critical descriptor (types below 128).
std::optional<vn2vn_msg> decode_vn2vn(const message& m);

// FC-BB-6 7.8.5: a link service PDU (op 2, subcode request or reply)
// carrying one FC frame (header + payload with fill) in an FLOGI, FDISC,
// LOGO or ELP descriptor, first, followed by a MAC descriptor (absent only
// in an LS_RJT).
struct link_service_msg {
  uint8_t subcode = ls_sub::request;
  uint8_t els_type = desc::flogi;  // desc::flogi, fdisc, logo or elp
  std::vector<uint8_t> fc;         // the FC frame
  std::optional<fcoe::mac> mac;
};
message encode(const link_service_msg& l);
// Nullopt unless the encapsulated frame comes first and holds at least an
// FC header and one payload word, and a MAC descriptor follows it (unless
// the payload is an LS_RJT); unknown critical descriptors are refused.
std::optional<link_service_msg> decode_link_service(const message& m);

// The FC-4 features descriptor (FC-BB-6 7.8.7): two reserved bytes, the
// FC-4 type bit map (32 bytes) and the features (4 bits per type, 128 bytes).
descriptor fc4_features_desc(bool fcp, uint8_t fcp_features);

}  // namespace stmfd::fc::fip
