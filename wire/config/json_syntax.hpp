#pragma once
// Locates the first JSON syntax error in a text (RFC 8259), for messages
// that say where the file is broken. kj's JSON parser, which does the real
// decoding, reports what went wrong but not where.

#include <cstddef>
#include <string>
#include <string_view>

namespace stmfd::wire::cfg {

struct json_syntax_error {
  bool found = false;
  size_t line = 0;    // 1-based
  size_t column = 0;  // 1-based, in bytes
  std::string message;
};

// Checks `text` is exactly one JSON value surrounded by optional white
// space, nested at most `max_depth` arrays/objects deep. One deliberate
// restriction: \u escapes may use only the digits 0-9 (kj 0.9.2 mis-decodes
// a-f), so non-ASCII text must be written as UTF-8.
json_syntax_error find_json_syntax_error(std::string_view text, size_t max_depth = 64);

}  // namespace stmfd::wire::cfg
