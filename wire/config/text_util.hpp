#pragma once
// Small string helpers shared by the config loader's sources (internal).

#include <capnp/blob.h>

#include <string>
#include <string_view>

namespace stmfd::wire::cfg::detail {

inline std::string_view view(capnp::Text::Reader t) { return {t.cStr(), t.size()}; }

inline capnp::Text::Reader text(const std::string& s) { return {s.c_str(), s.size()}; }

// "\"" + t + "\"", built by appends: GCC 12 warns (-Wrestrict, a false
// positive, PR 105329) on literal + std::string at -O2.
inline std::string quoted(std::string_view t) {
  std::string out;
  out.reserve(t.size() + 2);
  out.push_back('"');
  out.append(t);
  out.push_back('"');
  return out;
}

}  // namespace stmfd::wire::cfg::detail
