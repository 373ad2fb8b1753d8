#pragma once
// Minimal leveled logging to stderr, one line per event:
//   2026-11-24T04:00:00Z info  login: iqn.initiator -> iqn.target from 127.0.0.1:5000
// Format strings use "{}" placeholders ("{:#x}" prints hex). g++ 12 has no
// <format>, hence this small formatter. Thread-safe (one write per line).
#include <atomic>
#include <sstream>
#include <string>
#include <string_view>

namespace stmfd::log {

enum class level : int { error = 0, warn = 1, info = 2, debug = 3 };

inline std::atomic<int> current_level{int(level::info)};

// Returns false for an unknown name.
bool set_level(std::string_view name);
void write_line(level lv, const std::string& text);

namespace detail {
inline void format_to(std::ostringstream& os, std::string_view fmt) { os << fmt; }

template <class T, class... Ts>
void format_to(std::ostringstream& os, std::string_view fmt, const T& v, const Ts&... rest) {
  auto open = fmt.find('{');
  auto close = open == std::string_view::npos ? open : fmt.find('}', open);
  if (close == std::string_view::npos) {
    os << fmt;
    return;
  }
  os << fmt.substr(0, open);
  auto spec = fmt.substr(open + 1, close - open - 1);
  if (spec.find('x') != std::string_view::npos) {
    if constexpr (std::is_integral_v<T>) {
      os << "0x" << std::hex << uint64_t(v) << std::dec;
    } else {
      os << v;
    }
  } else {
    if constexpr (std::is_same_v<T, uint8_t> || std::is_same_v<T, int8_t>) os << int(v);
    else os << v;
  }
  format_to(os, fmt.substr(close + 1), rest...);
}
}  // namespace detail

template <class... Ts>
void emit(level lv, std::string_view fmt, const Ts&... args) {
  if (int(lv) > current_level.load(std::memory_order_relaxed)) return;
  std::ostringstream os;
  detail::format_to(os, fmt, args...);
  write_line(lv, os.str());
}

template <class... Ts> void error(std::string_view f, const Ts&... a) { emit(level::error, f, a...); }
template <class... Ts> void warn(std::string_view f, const Ts&... a) { emit(level::warn, f, a...); }
template <class... Ts> void info(std::string_view f, const Ts&... a) { emit(level::info, f, a...); }
template <class... Ts> void debug(std::string_view f, const Ts&... a) { emit(level::debug, f, a...); }

}  // namespace stmfd::log
