#pragma once
// Answer to a Text Request "SendTargets=<value>" (RFC 7143 13.3, Appendix C).
//
//   discovery session: "All" lists every target; "<target name>" lists that
//                      target (nothing if unknown); an empty value is Reject.
//   normal session:    "" or the session's own target name lists that target;
//                      another name lists nothing; "All" is Reject.
//
// Each listed target is "TargetName=<name>" followed by one
// "TargetAddress=<portal>,<tpgt>" per portal. Nothing else is emitted:
// libiscsi fails discovery on any other key in this answer. The caller
// splits the result over several Text Responses (C bit) when it exceeds the
// initiator's MaxRecvDataSegmentLength.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "plugins/port/iscsi/login/types.hpp"

namespace stmfd::iscsi::login {

std::vector<uint8_t> send_targets(const directory& dir, std::string_view value,
                                  const std::string* session_target /*nullptr in discovery*/);

}  // namespace stmfd::iscsi::login
