#pragma once
// Value encodings of the iSCSI text format (RFC 7143 6.1): numbers, binary
// values (hex "0x..." or base64 "0b..."), Yes/No, and comma lists.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stmfd::iscsi::login {

// decimal-constant or hex-constant ("0x"/"0X"), at most 64 bits.
std::optional<uint64_t> parse_number(std::string_view v);

// hex-constant (an odd digit count means an implied leading zero) or
// base64-constant ("0b"/"0B", RFC 4648 alphabet, '=' padding). Empty payload
// is refused.
std::optional<std::vector<uint8_t>> parse_binary(std::string_view v);

// "0x" followed by two lowercase hex digits per byte.
std::string to_hex_constant(const uint8_t* data, size_t len);

// "Yes" / "No" (RFC 7143 6.1 boolean-value).
std::optional<bool> parse_boolean(std::string_view v);
inline const char* boolean_text(bool b) { return b ? "Yes" : "No"; }

// Splits a list-of-values on ','; empty items are kept (and match nothing).
std::vector<std::string_view> split_list(std::string_view v);

}  // namespace stmfd::iscsi::login
