#include "actors/common/log.hpp"

#include <fmt/format.h>
#include <spdlog/logger.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/sinks/systemd_sink.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <utility>

namespace stmfd::log {
namespace {

spdlog::level::level_enum to_spdlog(level lv) {
  switch (lv) {
    case level::error: return spdlog::level::err;
    case level::warn: return spdlog::level::warn;
    case level::info: return spdlog::level::info;
    case level::debug: return spdlog::level::debug;
  }
  return spdlog::level::info;
}

// "%*" in the stderr pattern: our level tag, padded to 5 characters.
class level_tag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
    std::string_view tag = "info ";
    switch (msg.level) {
      case spdlog::level::critical:
      case spdlog::level::err: tag = "error"; break;
      case spdlog::level::warn: tag = "warn "; break;
      case spdlog::level::debug:
      case spdlog::level::trace: tag = "debug"; break;
      default: break;
    }
    dest.append(tag.data(), tag.data() + tag.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<level_tag>(); }
};

// The caller owns the logger.
spdlog::logger* make_logger() {
  spdlog::sink_ptr sink;
  if (detail::use_journald(std::getenv("JOURNAL_STREAM"), std::getenv("INVOCATION_ID"), STDERR_FILENO)) {
    // Message text only: journald stamps the time and keeps the priority.
    sink = std::make_shared<spdlog::sinks::systemd_sink_mt>("stmfd");
  } else {
    sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    auto f = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
    f->add_flag<level_tag>('*').set_pattern("%Y-%m-%dT%H:%M:%SZ %* %v");
    sink->set_formatter(std::move(f));
  }
  auto* logger = new spdlog::logger("stmfd", std::move(sink));
  logger->set_level(spdlog::level::trace);  // filtering is current_level's job
  return logger;
}

// Created at the first event and never destroyed, so threads that still log
// while the process exits find it alive. Not in spdlog's global registry.
spdlog::logger& logger() {
  static spdlog::logger* const l = make_logger();
  return *l;
}

}  // namespace

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
  // spdlog's logger catches what its sinks throw and reports it on stderr.
  logger().log(to_spdlog(lv), spdlog::string_view_t(text.data(), text.size()));
}

std::string vformat_text(std::string_view f, fmt::format_args args) {
  try {
    return fmt::vformat(fmt::string_view(f.data(), f.size()), args);
  } catch (const fmt::format_error& e) {
    return fmt::format("{} [bad log format: {}]", f, e.what());
  }
}

void vwrite(level lv, std::string_view f, fmt::format_args args) noexcept {
  try {
    write_line(lv, vformat_text(f, args));
  } catch (...) {
    // Out of memory while formatting: the event is lost, the caller is not.
  }
}

namespace detail {

// systemd.exec(5): JOURNAL_STREAM is "device:inode" of the journal stream
// systemd connected to stdout/stderr. Children inherit it even when their
// stderr went elsewhere (a file, a terminal), so it counts only when it names
// our stderr. Without it, INVOCATION_ID means we run as a unit whose output
// systemd did not send to the journal: write to the journal directly.
bool use_journald(const char* journal_stream, const char* invocation_id, int stderr_fd) {
  if (journal_stream && *journal_stream) {
    unsigned long long dev = 0, ino = 0;
    struct stat st {};
    return std::sscanf(journal_stream, "%llu:%llu", &dev, &ino) == 2 && ::fstat(stderr_fd, &st) == 0 &&
           static_cast<unsigned long long>(st.st_dev) == dev && static_cast<unsigned long long>(st.st_ino) == ino;
  }
  return invocation_id && *invocation_id;
}

std::string stream_to_string(const void* obj, void (*put)(std::ostream&, const void*)) {
  std::ostringstream os;
  put(os, obj);
  return std::move(os).str();
}

}  // namespace detail
}  // namespace stmfd::log
