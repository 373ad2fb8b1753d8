// restart_policy: when STMF tries a failed child again.
#include <catch2/catch.hpp>

#include "actors/model/restart_policy.hpp"

using namespace stmfd;
using namespace std::chrono_literals;
using ms = std::chrono::milliseconds;

namespace {
// 1 s doubling to 60 s; two immediate restarts within 30 s.
const retry_limits limits{.first_delay = 1000ms, .max_delay = 60000ms, .max_restarts = 2, .window = 30000ms};
const restart_policy::time_point t0{};
}  // namespace

TEST_CASE("failed_attempts_wait_1s_doubling_to_60s", "[restart_policy]") {
  restart_policy p(limits);
  std::vector<ms> got;
  for (int i = 0; i < 9; ++i) got.push_back(p.attempt_failed());
  CHECK(got == std::vector<ms>{1000ms, 2000ms, 4000ms, 8000ms, 16000ms, 32000ms, 60000ms, 60000ms, 60000ms});
  CHECK(p.delays() == 9);
}

TEST_CASE("crashes_restart_at_once_up_to_max_restarts_within_the_window", "[restart_policy]") {
  restart_policy p(limits);
  CHECK_FALSE(p.crashed(t0));
  CHECK_FALSE(p.crashed(t0 + 1s));
  auto third = p.crashed(t0 + 2s);  // more than two within 30 s
  REQUIRE(third);
  CHECK(*third == 1000ms);
  auto fourth = p.crashed(t0 + 3s);
  REQUIRE(fourth);
  CHECK(*fourth == 2000ms);
}

TEST_CASE("crashes_spread_wider_than_the_window_always_restart_at_once", "[restart_policy]") {
  restart_policy p(limits);
  for (int i = 0; i < 10; ++i) CHECK_FALSE(p.crashed(t0 + std::chrono::seconds(20 * i)));
}

TEST_CASE("the_back_off_starts_over_after_a_quiet_window", "[restart_policy]") {
  restart_policy p(limits);
  for (int i = 0; i < 5; ++i) p.attempt_failed();  // a store that opened at the sixth try
  CHECK(p.delays() == 5);
  CHECK_FALSE(p.crashed(t0 + 100s));  // long after: a first crash restarts at once
  CHECK(p.delays() == 0);
  CHECK_FALSE(p.crashed(t0 + 101s));
  auto d = p.crashed(t0 + 102s);
  REQUIRE(d);
  CHECK(*d == 1000ms);  // from the first delay again, not 32 s
}

TEST_CASE("a_short_max_delay_caps_the_first_delay_too", "[restart_policy]") {
  retry_limits l = limits;
  l.first_delay = 500ms;
  l.max_delay = 300ms;
  restart_policy p(l);
  CHECK(p.attempt_failed() == 300ms);
}
