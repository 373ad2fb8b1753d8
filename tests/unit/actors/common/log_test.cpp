#include "actors/common/log.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ostream>
#include <regex>
#include <string>

using namespace stmfd;

namespace {

struct peer_address {
  std::string host;
  int port;
};
std::ostream& operator<<(std::ostream& os, const peer_address& p) { return os << p.host << ':' << p.port; }

enum class tmf : uint8_t { abort_task = 1, lun_reset = 5 };
enum plain_state { idle = 0, running = 3 };

// Runs fn with stderr redirected to a temporary file; returns what it wrote.
template <class F>
std::string capture_stderr(F fn) {
  std::FILE* tmp = std::tmpfile();
  REQUIRE(tmp);
  std::fflush(stderr);
  int saved = ::dup(STDERR_FILENO);
  ::dup2(::fileno(tmp), STDERR_FILENO);
  fn();
  std::fflush(stderr);
  ::dup2(saved, STDERR_FILENO);
  ::close(saved);
  std::string out;
  std::rewind(tmp);
  for (int c; (c = std::fgetc(tmp)) != EOF;) out += char(c);
  std::fclose(tmp);
  return out;
}

}  // namespace

TEST_CASE("log_formats_call_site_argument_types", "[log]") {
  // The shapes the daemon's call sites pass.
  CHECK(log::format_text("lu {}: {} bytes, {}-byte blocks, write cache {}", std::string("disk0"), uint64_t{1} << 30,
                         uint32_t{512}, "on") == "lu disk0: 1073741824 bytes, 512-byte blocks, write cache on");
  CHECK(log::format_text("{}: Data-Out for unknown ITT {:#x} dropped", std::string_view("10.0.0.1:5000"),
                         uint32_t{0xdeadbeef}) == "10.0.0.1:5000: Data-Out for unknown ITT 0xdeadbeef dropped");
  CHECK(log::format_text("login failed (status {:#x})", unsigned(2) << 8 | 1u) == "login failed (status 0x201)");
  CHECK(log::format_text("lu {} failed {} times in {}s", "x", 5, std::chrono::seconds(60).count()) ==
        "lu x failed 5 times in 60s");
  CHECK(log::format_text("{} sessions, I/O error {}", size_t{3}, -5) == "3 sessions, I/O error -5");
  CHECK(log::format_text("no arguments") == "no arguments");
}

TEST_CASE("log_small_integers_print_as_numbers", "[log]") {
  CHECK(log::format_text("{} {} {:#x}", uint8_t{7}, int8_t{-3}, uint8_t{0x3f}) == "7 -3 0x3f");
  CHECK(log::format_text("{:#x}", uint16_t{0}) == "0x0");
  CHECK(log::format_text("{}", true) == "true");
}

TEST_CASE("log_types_without_fmt_support_use_operator_or_number", "[log]") {
  CHECK(log::format_text("from {}", peer_address{"127.0.0.1", 3260}) == "from 127.0.0.1:3260");
  CHECK(log::format_text("tmf {} state {}", tmf::lun_reset, running) == "tmf 5 state 3");
}

TEST_CASE("log_bad_format_string_is_written_not_thrown", "[log]") {
  CHECK(log::format_text("a {} b {}", 1) == "a {} b {} [bad log format: argument not found]");
  CHECK(log::format_text("{:#x}", "text").rfind("{:#x} [bad log format: ", 0) == 0);
  CHECK(log::format_text("braces {{}} {}", 1) == "braces {} 1");
}

TEST_CASE("log_journald_only_when_stderr_is_the_journal_stream_or_a_bare_unit", "[log]") {
  std::FILE* tmp = std::tmpfile();
  REQUIRE(tmp);
  struct stat st {};
  REQUIRE(::fstat(::fileno(tmp), &st) == 0);
  std::string mine = std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
  std::string other = std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino + 1);
  int fd = ::fileno(tmp);

  CHECK(log::detail::use_journald(mine.c_str(), nullptr, fd));
  CHECK(log::detail::use_journald(mine.c_str(), "0123abcd", fd));
  // Inherited from a unit, but our stderr went elsewhere.
  CHECK_FALSE(log::detail::use_journald(other.c_str(), "0123abcd", fd));
  CHECK_FALSE(log::detail::use_journald("garbage", nullptr, fd));
  // A unit whose output systemd did not connect to the journal.
  CHECK(log::detail::use_journald(nullptr, "0123abcd", fd));
  CHECK(log::detail::use_journald("", "0123abcd", fd));
  CHECK_FALSE(log::detail::use_journald(nullptr, nullptr, fd));
  CHECK_FALSE(log::detail::use_journald(nullptr, "", fd));
  std::fclose(tmp);
}

TEST_CASE("log_stderr_lines_carry_utc_time_and_padded_level", "[log]") {
  // The sink is chosen at the first event: make sure it is stderr.
  ::unsetenv("JOURNAL_STREAM");
  ::unsetenv("INVOCATION_ID");
  REQUIRE(log::set_level("info"));
  std::string out = capture_stderr([] {
    log::info("hello {} {:#x}", uint8_t{7}, 255u);
    log::debug("dropped at level info");
    log::warn("careful");
    log::error("broken {}", "x");
  });
  const std::regex lines(
      "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ info  hello 7 0xff\n"
      "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ warn  careful\n"
      "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ error broken x\n");
  INFO(out);
  CHECK(std::regex_match(out, lines));

  REQUIRE(log::set_level("debug"));
  out = capture_stderr([] { log::debug("now {}", "shown"); });
  CHECK(std::regex_match(out, std::regex("\\S+Z debug now shown\n")));
  REQUIRE(log::set_level("info"));
}

TEST_CASE("log_set_level_accepts_only_known_names", "[log]") {
  CHECK(log::set_level("warn"));
  CHECK(log::current_level.load() == int(log::level::warn));
  CHECK_FALSE(log::set_level("verbose"));
  CHECK_FALSE(log::set_level("WARN"));
  CHECK(log::current_level.load() == int(log::level::warn));
  CHECK(log::set_level("info"));
}
