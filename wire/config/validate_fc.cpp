#include "wire/config/validate_fc.hpp"

#include <cstdio>
#include <map>

#include "wire/config/names.hpp"
#include "wire/config/text_util.hpp"

namespace stmfd::wire::cfg {

namespace {

using detail::quoted;
using detail::text;
using detail::view;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string canonical(uint64_t wwn) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "wwn.%016llx", static_cast<unsigned long long>(wwn));
  return buf;
}

// Checks and rewrites one WWN field; empty or "field: message".
template <class Setter>
std::string check_wwn(std::string_view value, const std::string& at, Setter set) {
  auto wwn = parse_wwn(value);
  if (!wwn)
    return at + ": " + quoted(value) +
           " is not a WWN (16 hex digits, \"wwn.\" and 16 hex digits, or 8 bytes like 20:00:00:1b:32:a0:b0:c1)";
  if (*wwn == 0) return at + ": must not be zero";
  set(canonical(*wwn));
  return {};
}

std::string check_interface(std::string_view name) {
  if (name.empty() || name.size() > 15) return "must be 1 to 15 bytes (a Linux interface name)";
  for (char c : name)
    if (c == '/' || c == ':' || c <= ' ' || c == 0x7F) return "must not contain '/', ':', spaces or control characters";
  return {};
}

}  // namespace

std::optional<uint64_t> parse_wwn(std::string_view t) {
  if (t.size() > 4 && fold_case(t.substr(0, 4)) == "wwn.") t.remove_prefix(4);
  std::string digits;
  if (t.size() == 23) {  // xx:xx:xx:xx:xx:xx:xx:xx
    for (size_t i = 0; i < t.size(); ++i) {
      if (i % 3 == 2) {
        if (t[i] != ':') return std::nullopt;
      } else {
        digits.push_back(t[i]);
      }
    }
  } else {
    digits = std::string(t);
  }
  if (digits.size() != 16) return std::nullopt;
  uint64_t v = 0;
  for (char c : digits) {
    int d = hex_value(c);
    if (d < 0) return std::nullopt;
    v = v << 4 | uint64_t(d);
  }
  return v;
}

std::string check_fc_ports(capnp::List<FcPort>::Builder ports) {
  std::map<std::string, size_t> wwpns;
  for (size_t i = 0; i < ports.size(); ++i) {
    auto p = ports[i];
    std::string at = "fcPorts[" + std::to_string(i) + "]";
    if (auto err = check_wwn(view(p.getWwpn()), at + ".wwpn", [&](const std::string& s) { p.setWwpn(text(s)); });
        !err.empty())
      return err;
    if (auto err = check_wwn(view(p.getWwnn()), at + ".wwnn", [&](const std::string& s) { p.setWwnn(text(s)); });
        !err.empty())
      return err;
    if (auto err = check_interface(view(p.getInterface())); !err.empty()) return at + ".interface: " + err;
    auto [it, fresh] = wwpns.emplace(std::string(view(p.getWwpn())), i);
    if (!fresh)
      return at + ".wwpn: " + quoted(view(p.getWwpn())) + " is already the WWPN of fcPorts[" +
             std::to_string(it->second) + "]";
  }
  return {};
}

}  // namespace stmfd::wire::cfg
