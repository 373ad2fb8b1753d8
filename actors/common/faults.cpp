#include "actors/common/faults.hpp"

#include <array>
#include <charconv>
#include <string>

namespace stmfd::faults {

namespace {
std::array<std::atomic<uint32_t>, size_t(point::count_)> armed{};
constexpr std::array<std::string_view, size_t(point::count_)> names = {"task_start", "lu_execute", "lu_io_done",
                                                                       "session_pdu", "lu_io_stall"};
}  // namespace

void arm(point p, uint32_t times) { armed[size_t(p)].store(times); }

void disarm_all() {
  for (auto& a : armed) a.store(0);
}

bool hit(point p) {
  auto& a = armed[size_t(p)];
  uint32_t cur = a.load(std::memory_order_relaxed);
  while (cur > 0) {
    if (a.compare_exchange_weak(cur, cur - 1)) return true;
  }
  return false;
}

bool arm_from_string(std::string_view spec) {
  while (!spec.empty()) {
    auto comma = spec.find(',');
    auto item = spec.substr(0, comma);
    spec = comma == std::string_view::npos ? std::string_view() : spec.substr(comma + 1);
    auto eq = item.find('=');
    auto name = item.substr(0, eq);
    uint32_t times = 1;
    if (eq != std::string_view::npos) {
      auto v = item.substr(eq + 1);
      if (std::from_chars(v.data(), v.data() + v.size(), times).ec != std::errc()) return false;
    }
    bool found = false;
    for (size_t i = 0; i < names.size(); ++i)
      if (names[i] == name) {
        arm(point(i), times);
        found = true;
      }
    if (!found) return false;
  }
  return true;
}

}  // namespace stmfd::faults
