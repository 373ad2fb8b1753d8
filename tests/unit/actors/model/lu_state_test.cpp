// lu_status: the state STMF keeps for each LU and reports to the admin
// interface (online, restarting, failed with a reason, offline).
#include <catch2/catch.hpp>

#include "actors/model/lu_state.hpp"

using namespace stmfd;
using namespace std::chrono_literals;

namespace {
const retry_limits one_restart{.max_restarts = 1};  // 1 s doubling to 60 s, a 30 s window
const lu_status::time_point t0{};
}  // namespace

TEST_CASE("an_lu_is_offline_until_started", "[lu_state]") {
  lu_status s;
  CHECK(s.state() == lu_state::offline);
  CHECK(s.reason() == "not started");
  s.started();
  CHECK(s.state() == lu_state::online);
  CHECK(s.reason().empty());
}

TEST_CASE("a_store_that_cannot_be_opened_is_failed_with_its_reason_and_backs_off", "[lu_state]") {
  lu_status s(one_restart);
  CHECK(s.attempt_failed("disk1: cannot open /x: No such file or directory") == 1000ms);
  CHECK(s.state() == lu_state::failed);
  CHECK(s.reason() == "disk1: cannot open /x: No such file or directory");
  CHECK(s.attempt_failed("disk1: cannot open /x: Permission denied") == 2000ms);
  CHECK(s.reason() == "disk1: cannot open /x: Permission denied");  // the latest cause
  CHECK(s.failed_attempts() == 2);
  s.started();
  CHECK(s.state() == lu_state::online);
  CHECK(s.reason().empty());
}

TEST_CASE("a_crash_is_restarting_and_a_crash_loop_is_failed", "[lu_state]") {
  lu_status s(one_restart);
  s.started();
  CHECK_FALSE(s.crashed("fault injected", t0));
  CHECK(s.state() == lu_state::restarting);
  CHECK(s.reason() == "fault injected");
  s.started();
  auto delay = s.crashed("fault injected again", t0 + 1s);
  REQUIRE(delay);
  CHECK(*delay == 1000ms);
  CHECK(s.state() == lu_state::failed);
  CHECK(s.reason() == "too many restarts (limit 1 within 30 s); last failure: fault injected again");
}

TEST_CASE("offline_keeps_its_reason", "[lu_state]") {
  lu_status s;
  s.offline("no LU provider 'tape' registered");
  CHECK(s.state() == lu_state::offline);
  CHECK(s.reason() == "no LU provider 'tape' registered");
}

TEST_CASE("states_have_names_for_the_admin_interface", "[lu_state]") {
  CHECK(to_string(lu_state::online) == "online");
  CHECK(to_string(lu_state::restarting) == "restarting");
  CHECK(to_string(lu_state::failed) == "failed");
  CHECK(to_string(lu_state::offline) == "offline");
}
