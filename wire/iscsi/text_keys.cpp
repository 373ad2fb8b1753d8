#include "wire/iscsi/text_keys.hpp"

#include <cstring>

namespace stmfd::iscsi {
namespace {

// RFC 7143 6.1 standard-label alphabet, plus '#' for the "X#" extension
// key prefix (RFC 7143 13.22).
bool key_char(uint8_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
         c == '+' || c == '@' || c == '_' || c == '#';
}

// Values are UTF-8 text (RFC 7143 6.1 text-value); control characters are
// never meaningful in any key's value, so they are refused as garbage.
bool valid_value(const uint8_t* p, size_t n) {
  size_t i = 0;
  while (i < n) {
    uint8_t c = p[i];
    if (c < 0x80) {
      if (c < 0x20 || c == 0x7F) return false;
      ++i;
      continue;
    }
    size_t extra;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      extra = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (n - i <= extra) return false;  // truncated sequence
    for (size_t k = 1; k <= extra; ++k) {
      uint8_t cc = p[i + k];
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Reject overlong forms, surrogates and out-of-range code points.
    static constexpr uint32_t min_cp[4] = {0, 0x80, 0x800, 0x10000};
    if (cp < min_cp[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += extra + 1;
  }
  return true;
}

text_parse_result fail(std::string msg) {
  text_parse_result r;
  r.ok = false;
  r.error = std::move(msg);
  return r;
}

}  // namespace

text_parse_result parse_text(const uint8_t* data, size_t len) {
  text_parse_result r;
  size_t pos = 0;
  while (pos < len) {
    const uint8_t* start = data + pos;
    const void* nul = std::memchr(start, 0, len - pos);
    size_t n = nul ? static_cast<size_t>(static_cast<const uint8_t*>(nul) - start) : len - pos;
    if (n == 0) {
      // Only NUL padding may follow the last pair.
      for (size_t i = pos; i < len; ++i)
        if (data[i] != 0) return fail("empty key=value pair at offset " + std::to_string(pos));
      break;
    }
    const void* eq = std::memchr(start, '=', n);
    if (!eq) return fail("pair without '=' at offset " + std::to_string(pos));
    size_t klen = static_cast<size_t>(static_cast<const uint8_t*>(eq) - start);
    if (klen == 0) return fail("empty key at offset " + std::to_string(pos));
    if (klen > max_key_length) return fail("key longer than 63 bytes at offset " + std::to_string(pos));
    for (size_t i = 0; i < klen; ++i)
      if (!key_char(start[i])) return fail("invalid character in key at offset " + std::to_string(pos + i));
    const uint8_t* v = start + klen + 1;
    size_t vlen = n - klen - 1;
    std::string key(reinterpret_cast<const char*>(start), klen);
    if (vlen > max_value_length) return fail("value of " + key + " longer than 8192 bytes");
    if (!valid_value(v, vlen)) return fail("invalid characters in value of " + key);
    r.pairs.push_back(text_pair{std::move(key), std::string(reinterpret_cast<const char*>(v), vlen)});
    pos += n + 1;  // may step past len when the last NUL is missing
  }
  return r;
}

void append_text(std::vector<uint8_t>& out, std::string_view key, std::string_view value) {
  out.reserve(out.size() + key.size() + value.size() + 2);
  out.insert(out.end(), key.begin(), key.end());
  out.push_back('=');
  out.insert(out.end(), value.begin(), value.end());
  out.push_back(0);
}

}  // namespace stmfd::iscsi
