#pragma once
// A received Login Request PDU as the negotiator's login_request (RFC 7143
// 11.12): its BHS fields, and its text data segment borrowed for the call.
#include <cstddef>
#include <cstdint>

#include "plugins/port/iscsi/login/types.hpp"
#include "wire/iscsi/pdu.hpp"

namespace stmfd::iscsi::login {

login_request decode_request(bhs_view h, const uint8_t* data, size_t dlen);

}  // namespace stmfd::iscsi::login
