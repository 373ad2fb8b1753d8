#pragma once
// The login phase of one connection as a pure state machine (RFC 7143 6.2-6.4,
// 11.12, 11.13, 12, 13). The caller decodes each Login Request BHS into a
// login_request, calls on_request, and sends the returned login_response
// (ISID, ITT, StatSN and the other BHS fields are the caller's). After a
// response with complete=true the connection is in full feature phase with
// params(); after one with close=true it is closed.
//
// Behaviour, briefly:
//   - version: Version-min must be 0 (0x0205 otherwise).
//   - stages: CSG 0 (security) or 1 (operational); T=1 needs NSG > CSG with
//     NSG 1 or 3, and C=0; the next request must use the stage we moved to.
//     We set T only when the initiator did and we can leave the stage.
//   - C bit: partial texts are buffered (up to 64 KiB) and answered with an
//     empty T=0 response; the keys are processed when the last part arrives.
//   - first text: InitiatorName required (0x0207), SessionType Normal or
//     Discovery (0x0209 otherwise), TargetName required for Normal (0x0207)
//     and known (0x0203). Normal sessions get TargetAlias (if any) and
//     TargetPortalGroupTag in the first response. Later texts may repeat
//     these four with the same value (libiscsi does); a change is 0x0200.
//   - any other key offered twice during the login: 0x0200 (RFC 7143 6.2).
//   - security: see chap.hpp. A target with CHAP configured refuses None and
//     a login that skips the security stage (0x0201).
//   - operational: see operational.hpp. Our MaxRecvDataSegmentLength is
//     declared in the first operational-stage response.
//   - TSIH is not examined here: joining or reinstating sessions is the
//     caller's job (we only negotiate MaxConnections=1, ErrorRecoveryLevel=0).

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "plugins/port/iscsi/login/chap.hpp"
#include "plugins/port/iscsi/login/operational.hpp"
#include "plugins/port/iscsi/login/send_targets.hpp"
#include "plugins/port/iscsi/login/types.hpp"
#include "wire/iscsi/text_keys.hpp"

namespace stmfd::iscsi::login {

class negotiator {
 public:
  static constexpr size_t max_pending_text = 65536;
  static constexpr size_t max_name_length = 223;  // iSCSI names, RFC 7143 4.2.7.1
  static constexpr size_t max_alias_length = 255;

  // dir and limits must outlive the negotiator.
  negotiator(const directory& dir, const target_limits& limits);
  negotiator(const negotiator&) = delete;
  negotiator& operator=(const negotiator&) = delete;

  login_response on_request(const login_request& req);  // one call per Login Request PDU
  const session_params& params() const { return params_; }
  const target_info* target() const { return target_; }  // nullptr for discovery (or before the first text)
  // The portal ("host:port" as configured) the connection arrived through:
  // the login reports its group's tag (target_info::tag_for). Empty: the
  // target's first tag.
  void set_portal(std::string portal) { portal_ = std::move(portal); }

 private:
  uint16_t check_stage(const login_request& req);
  uint16_t process_text(const login_request& req, std::vector<text_pair>& out);
  uint16_t first_text(const std::vector<text_pair>& pairs);
  uint16_t redeclaration(const text_pair& kv) const;
  login_response fail(const login_request& req, uint16_t st);
  // Picks the CHAP policy once the initiator and target are known.
  uint16_t choose_auth();

  const directory& dir_;
  session_params params_;
  operational_negotiator op_;
  authenticator auth_;
  const target_info* target_ = nullptr;
  chap_config chap_;  // the policy the authenticator reads (see choose_auth)
  std::string portal_;

  bool started_ = false;   // a PDU has been seen
  bool named_ = false;     // the first complete text has been processed
  bool finished_ = false;  // completed or failed: no more requests
  bool declared_mrdsl_ = false;
  uint8_t stage_ = security_negotiation;  // the CSG the next request must carry
  std::vector<uint8_t> pending_;          // C-bit text parts
  std::set<std::string> offered_;         // keys negotiated so far (RFC 7143 6.2: once each)
};

}  // namespace stmfd::iscsi::login
