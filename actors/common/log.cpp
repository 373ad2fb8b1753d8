#include "actors/common/log.hpp"

#include <unistd.h>

#include <ctime>

namespace stmfd::log {

bool set_level(std::string_view name) {
  static constexpr std::pair<std::string_view, level> names[] = {
      {"error", level::error}, {"warn", level::warn}, {"info", level::info}, {"debug", level::debug}};
  for (auto& [n, lv] : names)
    if (n == name) {
      current_level = int(lv);
      return true;
    }
  return false;
}

void write_line(level lv, const std::string& text) {
  static constexpr const char* tags[] = {"error", "warn ", "info ", "debug"};
  char stamp[32];
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
  std::string line = std::string(stamp) + " " + tags[int(lv)] + " " + text + "\n";
  // One write(2) per line keeps lines whole across threads.
  ssize_t rc = ::write(STDERR_FILENO, line.data(), line.size());
  (void)rc;
}

}  // namespace stmfd::log
