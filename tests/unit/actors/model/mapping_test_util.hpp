#pragma once
// Shared names and helpers of the LUN mapping tests.

#include <stdexcept>
#include <string>

#include "actors/model/mapping.hpp"

namespace stmfd::test {

inline const std::string host_a = "iqn.2026-11.org.example:host-a";
inline const std::string host_b = "iqn.2026-11.org.example:host-b";
inline const std::string target_1 = "iqn.2026-11.org.stmfd:t1";
inline const std::string target_2 = "iqn.2026-11.org.stmfd:t2";

inline view_entry all_view(std::string lu, uint16_t lun) { return {std::move(lu), {}, {}, {}, lun}; }
inline view_entry hg_view(std::string lu, std::string hg, uint16_t lun) {
  return {std::move(lu), std::move(hg), {}, {}, lun};
}
inline view_entry tg_view(std::string lu, std::string tg, uint16_t lun) {
  return {std::move(lu), {}, std::move(tg), {}, lun};
}
inline view_entry target_view(std::string lu, std::string target, uint16_t lun) {
  return {std::move(lu), {}, {}, std::move(target), lun};
}

// "0=d0 3=d1": what luns_for returns, in its order.
inline std::string luns(const mapping& m, std::string_view initiator, std::string_view target) {
  std::string out;
  for (const auto& a : m.luns_for(initiator, target)) {
    if (!out.empty()) out += ' ';
    out += std::to_string(a.lun) + "=" + a.lu;
  }
  return out;
}

// The error of an operation, or "OK".
inline std::string err(const std::optional<std::string>& e) { return e ? *e : "OK"; }

// A mapping with LUs d0..d3, host groups hg1 = {host_a}, hg2 = {host_b},
// target groups tg1 = {target_1}, tg2 = {target_2}, and no views.
inline mapping sample() {
  mapping m;
  auto e = m.replace({{"hg1", {host_a}}, {"hg2", {host_b}}}, {{"tg1", {target_1}}, {"tg2", {target_2}}}, {},
                     {"d0", "d1", "d2", "d3"});
  if (e) throw std::logic_error(*e);
  return m;
}

}  // namespace stmfd::test
