#pragma once
// iSCSI text format (RFC 7143 6.1): a data segment holding key=value pairs,
// each followed by one NUL byte. Used by Login and Text Request/Response.
//
// This layer knows the syntax only; which keys exist and what their values
// mean is the login negotiator's business.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace stmfd::iscsi {

struct text_pair {
  std::string key;
  std::string value;
};

struct text_parse_result {
  bool ok = true;
  std::vector<text_pair> pairs;  // in wire order, duplicates kept
  std::string error;             // set when !ok
};

// RFC 7143 6.1 limits enforced here.
constexpr size_t max_key_length = 63;      // "key names MUST NOT exceed 63 bytes"
constexpr size_t max_value_length = 8192;  // per value; per-key limits (e.g. 255 for simple
                                           // values, 223 for iSCSI names) belong to the keys

// Parses a complete text (after C-bit reassembly). Rejects: a pair without
// '=', an empty key, a key over 63 bytes or with characters outside the
// key alphabet (letters, digits, . - + @ _ and the '#' of "X#" keys), a value
// over 8192 bytes, a value with control characters or malformed UTF-8, and an
// empty pair in the middle of the text.
//
// RFC 7143 6.1 says every pair, the last one included, MUST be followed by a
// NUL. We are lenient on input: a last pair missing its NUL is accepted, and
// trailing NUL bytes (e.g. segment padding passed along) are ignored.
text_parse_result parse_text(const uint8_t* data, size_t len);

// Appends "key=value\0".
void append_text(std::vector<uint8_t>& out, std::string_view key, std::string_view value);

}  // namespace stmfd::iscsi
