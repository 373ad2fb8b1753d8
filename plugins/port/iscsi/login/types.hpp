#pragma once
// Data shared by the login negotiator and the port provider: what the port
// knows about its targets, our limits, one Login Request/Response as fields,
// and the negotiated outcome (RFC 7143 6.2-6.4, 11.12, 11.13, 13).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace stmfd::iscsi::login {

// CHAP secrets of one target (RFC 7143 12.1.3). Empty user => CHAP not
// required; mutual_* empty => the target cannot prove itself (one-way only).
struct chap_config {
  std::string user, secret;
  std::string mutual_user, mutual_secret;
};

// One target as the port provider knows it.
struct target_info {
  std::string name;   // iqn...
  std::string alias;  // may be empty
  uint16_t tpgt = 1;
  uint16_t target_port_group = 1;    // ALUA (SPC-4 5.15): config Target.targetPortGroup
  std::vector<std::string> portals;  // "127.0.0.1:3260"; SendTargets emits TargetAddress=<portal>,<its tag>
  // The TPGT of each of `portals` (same order) when the target is bound to
  // several portal groups (config Target.portalGroups); empty: every
  // portal has `tpgt`.
  std::vector<uint16_t> portal_tags;
  // RFC 7143 13.9: the tag of the portal group `portal` belongs to (`tpgt`
  // for a portal it does not list, or an empty one).
  uint16_t tag_for(std::string_view portal) const {
    for (size_t i = 0; i < portals.size() && i < portal_tags.size(); ++i)
      if (portals[i] == portal) return portal_tags[i];
    return tpgt;
  }
  chap_config chap;
  // COMSTAR's per-initiator CHAP (config auth "chap" without a chapUser):
  // the initiator answers with its own record's credentials
  // (directory::initiator_chap); chap.mutual_* still prove the target.
  bool chap_per_initiator = false;
  // stmfadm offline-target: logins answer Service Unavailable (0x0301) and
  // SendTargets leaves the target out.
  bool online = true;
};

// Our side's offers and limits (from config). Values outside the RFC 7143
// ranges are clamped into them by the negotiator.
struct target_limits {
  uint32_t max_recv_data_segment_length = 262144;  // what we can receive per PDU (declared)
  uint32_t max_burst_length = 1048576, first_burst_length = 65536;
  bool immediate_data = true, initial_r2t = false;
  uint32_t max_outstanding_r2t = 1;
  uint32_t default_time2wait = 2, default_time2retain = 0;  // ERL 0 only
};

// Implemented by the port provider; must outlive every negotiator using it.
class directory {
 public:
  virtual ~directory() = default;
  virtual const target_info* find(std::string_view name) const = 0;
  virtual std::vector<const target_info*> all() const = 0;
  // The CHAP credentials of an initiator's record (itadm create-initiator;
  // user: its CHAP_N, secret: its secret, mutual_* empty); null: none.
  virtual const chap_config* initiator_chap(std::string_view /*initiator*/) const { return nullptr; }
  // itadm modify-defaults -D chap: discovery sessions authenticate each
  // initiator with its record's credentials.
  virtual bool discovery_chap() const { return false; }
};

// The negotiated outcome, read by the full feature phase. Fields start at the
// RFC 7143 defaults and change only by negotiation.
struct session_params {
  bool discovery = false;
  std::string initiator_name, initiator_alias, target_name;
  bool header_digest = false, data_digest = false;
  uint32_t initiator_mrdsl = 8192;  // max data segment WE may send (initiator's MaxRecvDataSegmentLength)
  uint32_t target_mrdsl = 262144;   // max data segment the initiator may send us (ours; 8192 if
                                    // login never reached the operational stage)
  uint32_t max_burst_length = 262144, first_burst_length = 65536;
  bool immediate_data = true, initial_r2t = true;
  uint32_t max_outstanding_r2t = 1;
  bool data_pdu_in_order = true, data_sequence_in_order = true;
  uint32_t error_recovery_level = 0, default_time2wait = 2, default_time2retain = 20, max_connections = 1;
};

// Fields of one Login Request PDU (RFC 7143 11.12); the caller decodes the BHS.
struct login_request {
  bool transit = false, cont = false;
  uint8_t csg = 0, nsg = 0;
  uint8_t version_max = 0, version_min = 0;
  uint8_t isid[6] = {};
  uint16_t tsih = 0;
  uint16_t cid = 0;
  uint32_t cmd_sn = 0, exp_stat_sn = 0;
  const uint8_t* data = nullptr;  // the text data segment (without padding); borrowed for the call
  size_t data_len = 0;
};

// Fields of the Login Response to send (RFC 7143 11.13). Version-max and
// Version-active are always 0x00.
struct login_response {
  uint8_t status_class = 0, status_detail = 0;  // RFC 7143 11.13.5
  bool transit = false;
  uint8_t csg = 0, nsg = 0;
  std::vector<uint8_t> data;  // response text
  bool complete = false;      // login done: go to full feature phase after sending
  bool close = false;         // failed: send then close the connection
};

// Login stages (RFC 7143 11.12.3).
enum stage : uint8_t { security_negotiation = 0, operational_negotiation = 1, full_feature = 3 };

// Status-Class << 8 | Status-Detail (RFC 7143 11.13.5).
namespace status {
constexpr uint16_t success = 0x0000;
constexpr uint16_t initiator_error = 0x0200;
constexpr uint16_t authentication_failure = 0x0201;
constexpr uint16_t authorization_failure = 0x0202;
constexpr uint16_t not_found = 0x0203;
constexpr uint16_t target_removed = 0x0204;
constexpr uint16_t unsupported_version = 0x0205;
constexpr uint16_t too_many_connections = 0x0206;
constexpr uint16_t missing_parameter = 0x0207;
constexpr uint16_t cant_include_in_session = 0x0208;
constexpr uint16_t session_type_not_supported = 0x0209;
constexpr uint16_t session_does_not_exist = 0x020A;
constexpr uint16_t invalid_during_login = 0x020B;
constexpr uint16_t target_error = 0x0300;
constexpr uint16_t service_unavailable = 0x0301;
constexpr uint16_t out_of_resources = 0x0302;
}  // namespace status

}  // namespace stmfd::iscsi::login
