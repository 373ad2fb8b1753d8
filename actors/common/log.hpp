#pragma once
// Leveled logging, one event per line, thread-safe. Backend: spdlog and fmt,
// confined to log.cpp (this header needs only fmt/core.h).
//
// Where it goes (decided once, at the first event):
// - journald, when the process runs under systemd: stderr is the journal's
//   stream (JOURNAL_STREAM names stderr's device and inode, systemd.exec(5)),
//   or JOURNAL_STREAM is unset and INVOCATION_ID is set. Each event is one
//   entry: MESSAGE, PRIORITY (err, warning, info, debug), SYSLOG_IDENTIFIER
//   stmfd.
// - stderr otherwise, as
//     2026-11-24T04:00:00Z info  login: iqn.initiator -> iqn.target from 127.0.0.1:5000
//   (UTC, whole seconds, the level tag padded to 5 characters).
//
// Format strings are fmt's, given at run time: "{}" prints a value, "{:#x}"
// an integer as 0x-prefixed hex, "{{" a brace. uint8_t and int8_t print as
// numbers, bool as true/false. A type fmt cannot format prints through its
// operator<<, a scoped enum without one as its number. A format string that
// does not fit its arguments never throws: the event is written with the raw
// format string and the reason.
#include <fmt/core.h>

#include <atomic>
#include <iosfwd>
#include <string>
#include <string_view>
#include <type_traits>

namespace stmfd::log {

enum class level : int { error = 0, warn = 1, info = 2, debug = 3 };

// Events above this level are dropped before they are formatted.
inline std::atomic<int> current_level{int(level::info)};

// "error", "warn", "info" or "debug"; returns false for any other name.
bool set_level(std::string_view name);
// Writes text as one event, whatever current_level says.
void write_line(level lv, const std::string& text);
// Formats (see above) and writes one event, whatever current_level says.
void vwrite(level lv, std::string_view f, fmt::format_args args) noexcept;
// The text an event with these arguments would carry (no time, no tag).
std::string vformat_text(std::string_view f, fmt::format_args args);

namespace detail {
// The journald decision above, from the two environment values (null when
// unset) and the descriptor that stderr is.
bool use_journald(const char* journal_stream, const char* invocation_id, int stderr_fd);

// Runs put(os, obj) on a string stream and returns what it wrote.
std::string stream_to_string(const void* obj, void (*put)(std::ostream&, const void*));

// What reaches fmt for an argument of type T: T itself when fmt can format
// it, else its number (scoped enums) or its operator<< output.
template <class T>
decltype(auto) adapt(const T& v) {
  if constexpr (fmt::is_formattable<T>::value) {
    return (v);
  } else if constexpr (std::is_enum_v<T>) {
    return static_cast<std::underlying_type_t<T>>(v);
  } else {
    return stream_to_string(&v, [](std::ostream& os, const void* p) { os << *static_cast<const T*>(p); });
  }
}

// Arguments arrive here as lvalues that live until vwrite returns.
template <class... Us>
void write_adapted(level lv, std::string_view f, const Us&... args) {
  vwrite(lv, f, fmt::make_format_args(args...));
}

template <class... Us>
std::string format_adapted(std::string_view f, const Us&... args) {
  return vformat_text(f, fmt::make_format_args(args...));
}
}  // namespace detail

template <class... Ts>
void emit(level lv, std::string_view f, const Ts&... args) {
  if (int(lv) > current_level.load(std::memory_order_relaxed)) return;
  detail::write_adapted(lv, f, detail::adapt(args)...);
}

template <class... Ts>
std::string format_text(std::string_view f, const Ts&... args) {
  return detail::format_adapted(f, detail::adapt(args)...);
}

template <class... Ts>
void error(std::string_view f, const Ts&... a) {
  emit(level::error, f, a...);
}
template <class... Ts>
void warn(std::string_view f, const Ts&... a) {
  emit(level::warn, f, a...);
}
template <class... Ts>
void info(std::string_view f, const Ts&... a) {
  emit(level::info, f, a...);
}
template <class... Ts>
void debug(std::string_view f, const Ts&... a) {
  emit(level::debug, f, a...);
}

}  // namespace stmfd::log
