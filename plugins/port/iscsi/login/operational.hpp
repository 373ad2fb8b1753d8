#pragma once
// Operational (non-security) keys of the login phase, RFC 7143 13: each key
// is a row of a table giving its kind, legal range, result function and the
// session_params field it sets. Answers follow RFC 7143 6.2:
//   list keys     -> first offered value we support, else Reject
//   numeric keys  -> Minimum/Maximum of offer and ours, Reject if out of range
//   boolean keys  -> AND/OR of offer and ours, Reject if not Yes/No
//   declaratives  -> no answer
//   unknown keys  -> NotUnderstood
//   keys irrelevant to a discovery session -> Irrelevant

#include <vector>

#include "plugins/port/iscsi/login/types.hpp"
#include "wire/iscsi/text_keys.hpp"

namespace stmfd::iscsi::login {

class operational_negotiator {
 public:
  // params is updated as keys are negotiated and must outlive this object.
  operational_negotiator(const target_limits& limits, session_params& params);

  // One key (not a security key, not InitiatorName/InitiatorAlias/TargetName/
  // SessionType); its answer, if any, is appended to out. Returns a login status.
  uint16_t on_key(const text_pair& kv, bool discovery, std::vector<text_pair>& out);

  // After all keys of a text: keeps FirstBurstLength <= MaxBurstLength
  // (RFC 7143 13.14), fixing an answer already in out.
  void end_of_text(std::vector<text_pair>& out);

  // Our MaxRecvDataSegmentLength, to declare (RFC 7143 13.12).
  uint32_t our_mrdsl() const { return our_mrdsl_; }

 private:
  session_params ours_;  // our offers, in the shape of the result
  session_params& params_;
  uint32_t our_mrdsl_;
};

}  // namespace stmfd::iscsi::login
