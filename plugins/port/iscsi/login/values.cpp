#include "plugins/port/iscsi/login/values.hpp"

namespace stmfd::iscsi::login {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int base64_digit(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

bool has_prefix(std::string_view v, char second) {
  return v.size() >= 2 && v[0] == '0' && (v[1] == second || v[1] == second - ('a' - 'A'));
}

std::optional<std::vector<uint8_t>> parse_base64(std::string_view s) {
  size_t pad = 0;
  while (!s.empty() && s.back() == '=' && pad < 2) {
    s.remove_suffix(1);
    ++pad;
  }
  if (s.empty() || (s.size() + pad) % 4 != 0) return std::nullopt;
  std::vector<uint8_t> out;
  out.reserve(s.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : s) {
    int d = base64_digit(c);
    if (d < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(d);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<uint8_t>(acc >> bits));
    }
  }
  // Leftover bits of the final quantum must be zero (canonical encoding).
  if ((acc & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

}  // namespace

std::optional<uint64_t> parse_number(std::string_view v) {
  if (has_prefix(v, 'x')) {
    std::string_view d = v.substr(2);
    if (d.empty() || d.size() > 16) return std::nullopt;
    uint64_t r = 0;
    for (char c : d) {
      int x = hex_digit(c);
      if (x < 0) return std::nullopt;
      r = (r << 4) | static_cast<uint64_t>(x);
    }
    return r;
  }
  if (v.empty() || v.size() > 20) return std::nullopt;
  uint64_t r = 0;
  for (char c : v) {
    if (c < '0' || c > '9') return std::nullopt;
    uint64_t digit = static_cast<uint64_t>(c - '0');
    if (r > (UINT64_MAX - digit) / 10) return std::nullopt;
    r = r * 10 + digit;
  }
  return r;
}

std::optional<std::vector<uint8_t>> parse_binary(std::string_view v) {
  if (has_prefix(v, 'b')) return parse_base64(v.substr(2));
  if (!has_prefix(v, 'x')) return std::nullopt;
  std::string_view d = v.substr(2);
  if (d.empty()) return std::nullopt;
  std::vector<uint8_t> out;
  out.reserve(d.size() / 2 + 1);
  size_t i = 0;
  if (d.size() % 2 == 1) {
    int x = hex_digit(d[0]);
    if (x < 0) return std::nullopt;
    out.push_back(static_cast<uint8_t>(x));
    i = 1;
  }
  for (; i < d.size(); i += 2) {
    int hi = hex_digit(d[i]), lo = hex_digit(d[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<uint8_t>(hi << 4 | lo));
  }
  return out;
}

std::string to_hex_constant(const uint8_t* data, size_t len) {
  static const char digits[] = "0123456789abcdef";
  std::string s = "0x";
  s.reserve(2 + 2 * len);
  for (size_t i = 0; i < len; ++i) {
    s.push_back(digits[data[i] >> 4]);
    s.push_back(digits[data[i] & 0xF]);
  }
  return s;
}

std::optional<bool> parse_boolean(std::string_view v) {
  if (v == "Yes") return true;
  if (v == "No") return false;
  return std::nullopt;
}

std::vector<std::string_view> split_list(std::string_view v) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (;;) {
    size_t comma = v.find(',', start);
    if (comma == std::string_view::npos) {
      out.push_back(v.substr(start));
      return out;
    }
    out.push_back(v.substr(start, comma - start));
    start = comma + 1;
  }
}

}  // namespace stmfd::iscsi::login
