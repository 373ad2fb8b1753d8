#include "wire/config/names.hpp"

#include <arpa/inet.h>

#include <charconv>

namespace stmfd::wire::cfg {
namespace {

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_lower_alnum(char c) { return is_digit(c) || (c >= 'a' && c <= 'z'); }

// "'x'" for printable ASCII, "byte 0xNN" for anything else.
std::string describe(char c) {
  auto u = static_cast<unsigned char>(c);
  if (u >= 0x20 && u < 0x7f) return "character '" + std::string(1, c) + "'";
  static constexpr char hex[] = "0123456789ABCDEF";
  return std::string("byte 0x") + hex[u >> 4] + hex[u & 15];
}

// `article` + " " + `type`: "an eui", "a wwn".
std::string check_hex_tail(std::string_view name, std::string_view article, std::string_view type, size_t a, size_t b) {
  std::string_view digits = name.substr(4);
  bool ok = digits.size() == a || digits.size() == b;
  for (char c : digits) ok = ok && is_hex(c);
  if (ok) return {};
  std::string want = std::to_string(a);
  if (b != a) want += " or " + std::to_string(b);
  return std::string(article) + " " + std::string(type) + " name is \"" + std::string(type) + ".\" followed by " +
         want + " hex digits";
}

// RFC 7143 4.2.7.4 iqn format: "iqn." date "." naming-authority [":" x].
std::string check_iqn(std::string_view name) {
  static constexpr std::string_view form = "an iqn name is \"iqn.YYYY-MM.reversed.domain[:anything]\"";
  for (char c : name)
    if (!is_lower_alnum(c) && c != '-' && c != '.' && c != ':')
      return describe(c) + " is not allowed (iqn names use lowercase letters, digits, '-', '.' and ':')";
  std::string_view rest = name.substr(4);
  if (rest.size() < 8 || !is_digit(rest[0]) || !is_digit(rest[1]) || !is_digit(rest[2]) || !is_digit(rest[3]) ||
      rest[4] != '-' || !is_digit(rest[5]) || !is_digit(rest[6]) || rest[7] != '.')
    return std::string(form);
  int month = (rest[5] - '0') * 10 + (rest[6] - '0');
  if (month < 1 || month > 12) return "the month in an iqn name must be 01..12";
  std::string_view authority = rest.substr(8);
  authority = authority.substr(0, authority.find(':'));
  // The naming authority is a reversed domain name: dot-separated labels.
  if (authority.empty()) return std::string(form);
  size_t start = 0;
  while (start <= authority.size()) {
    size_t dot = authority.find('.', start);
    if (dot == std::string_view::npos) dot = authority.size();
    if (dot == start) return "the naming authority of an iqn name has an empty label";
    start = dot + 1;
  }
  return {};
}

}  // namespace

std::string check_iscsi_name(std::string_view name) {
  if (name.empty()) return "must not be empty";
  if (name.size() > 223) return "an iSCSI name is at most 223 bytes (RFC 7143 4.2.7.1)";
  std::string_view type = name.substr(0, 4);
  if (type == "iqn.") return check_iqn(name);
  if (type == "eui.") return check_hex_tail(name, "an", "eui", 16, 16);
  if (type == "naa.") return check_hex_tail(name, "an", "naa", 16, 32);
  return "an iSCSI name starts with \"iqn.\", \"eui.\" or \"naa.\" (RFC 7143 4.2.7)";
}

std::string portal::to_string() const {
  std::string h = ipv6 ? "[" + host + "]" : host;
  return h + ":" + std::to_string(port);
}

std::string parse_portal(std::string_view text, portal& out) {
  static constexpr std::string_view form = "a portal is \"a.b.c.d[:port]\" or \"[ipv6][:port]\"";
  std::string_view host = text, port_text;
  bool v6 = false;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos) return std::string(form);
    host = text.substr(1, close - 1);
    std::string_view after = text.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return std::string(form);
      port_text = after.substr(1);
      if (port_text.empty()) return std::string(form);
    }
    v6 = true;
  } else {
    size_t colon = text.find(':');
    if (colon != std::string_view::npos) {
      if (text.find(':', colon + 1) != std::string_view::npos)
        return "an IPv6 address must be written in brackets, e.g. \"[::1]:3260\"";
      host = text.substr(0, colon);
      port_text = text.substr(colon + 1);
      if (port_text.empty()) return std::string(form);
    }
  }
  if (host.empty()) return std::string(form);

  uint16_t port = 3260;
  if (!port_text.empty()) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc{} || end != port_text.data() + port_text.size() || value == 0 || value > 65535)
      return "the port must be a number from 1 to 65535";
    port = static_cast<uint16_t>(value);
  }

  std::string h(host);
  char canonical[INET6_ADDRSTRLEN] = {};
  if (v6) {
    in6_addr a6{};
    if (h.find('%') != std::string::npos) return "IPv6 zone ids are not supported";
    if (inet_pton(AF_INET6, h.c_str(), &a6) != 1) return "\"" + h + "\" is not an IPv6 address";
    inet_ntop(AF_INET6, &a6, canonical, sizeof canonical);
  } else {
    in_addr a4{};
    if (inet_pton(AF_INET, h.c_str(), &a4) != 1)
      return "\"" + h + "\" is not an IPv4 address (host names are not resolved)";
    inet_ntop(AF_INET, &a4, canonical, sizeof canonical);
  }
  out.host = canonical;
  out.port = port;
  out.ipv6 = v6;
  return {};
}

std::string check_lu_name(std::string_view name) {
  if (name.empty()) return "must not be empty";
  if (name.size() > 64) return "must be at most 64 bytes, got " + std::to_string(name.size());
  for (char c : name) {
    bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '.' || c == '-' || c == '_' || c == ':';
    if (!ok) return describe(c) + " is not allowed (use letters, digits, '.', '-', '_' and ':')";
  }
  return {};
}

std::string check_group_name(std::string_view name) { return check_lu_name(name); }

std::string check_port_name(std::string_view name) {
  if (name.empty()) return "must not be empty";
  std::string folded = fold_case(name);
  std::string_view type = std::string_view(folded).substr(0, 4);
  if (type == "wwn.") return check_hex_tail(folded, "a", "wwn", 16, 16);
  if (type == "iqn." || type == "eui." || type == "naa.") return check_iscsi_name(folded);
  return "a port name is an iSCSI name (\"iqn.\", \"eui.\" or \"naa.\", RFC 7143 4.2.7) or "
         "\"wwn.\" followed by 16 hex digits";
}

std::string fold_case(std::string_view name) {
  std::string out(name);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string check_printable_ascii(std::string_view text) {
  for (char c : text)
    if (c < 0x20 || c > 0x7e) return "must be printable ASCII";
  return {};
}

}  // namespace stmfd::wire::cfg
