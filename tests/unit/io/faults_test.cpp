// The fault injection registry (io/faults.hpp): when an armed point fires,
// what it reports, and that the same seed fires on the same passes.
#include <catch2/catch.hpp>

#include <vector>

#include "io/faults.hpp"

using namespace stmfd::faults;

namespace {

// The passes (1-based) on which p fired out of `n`.
std::vector<int> fired_on(point p, int n, std::string_view subject = {}) {
  std::vector<int> out;
  for (int i = 1; i <= n; ++i)
    if (hit(p, subject)) out.push_back(i);
  return out;
}

uint64_t passes_of(point p) {
  for (auto& s : list())
    if (s.p == p) return s.passes;
  return ~0ull;
}

}  // namespace

TEST_CASE("a disarmed point never fires", "[io][faults]") {
  disarm_all();
  CHECK(fired_on(point::lu_execute, 100).empty());
  CHECK_FALSE(fire(point::io_file));
}

TEST_CASE("after and times: fires on the Nth pass, K times, then disarms", "[io][faults]") {
  disarm_all();
  spec s;
  s.after = 3;
  s.times = 2;
  REQUIRE(arm(point::task_start, s).empty());
  const uint64_t before = firings(point::task_start);
  CHECK(fired_on(point::task_start, 10) == std::vector<int>{3, 4});
  CHECK(firings(point::task_start) == before + 2);
  for (auto& st : list())
    if (st.p == point::task_start) CHECK_FALSE(st.armed);
}

TEST_CASE("times 0 fires until disarmed", "[io][faults]") {
  disarm_all();
  spec s;
  s.times = 0;
  REQUIRE(arm(point::lu_io_done, s).empty());
  CHECK(fired_on(point::lu_io_done, 5).size() == 5);
  disarm(point::lu_io_done);
  CHECK(fired_on(point::lu_io_done, 5).empty());
}

TEST_CASE("a seeded chance fires on the same passes for the same seed", "[io][faults]") {
  disarm_all();
  spec s;
  s.times = 0;
  s.percent = 30;
  s.seed = 42;
  REQUIRE(arm(point::io_file,
              [&] {
                auto x = s;
                x.act = action::eio;
                return x;
              }())
              .empty());
  auto first = fired_on(point::io_file, 200);
  s.act = action::eio;
  REQUIRE(arm(point::io_file, s).empty());
  auto second = fired_on(point::io_file, 200);
  CHECK(first == second);
  CHECK(first.size() > 30);  // about 60 of 200
  CHECK(first.size() < 100);
  s.seed = 43;
  REQUIRE(arm(point::io_file, s).empty());
  CHECK(fired_on(point::io_file, 200) != first);
  disarm_all();
}

TEST_CASE("the action and length armed are what a firing reports", "[io][faults]") {
  disarm_all();
  spec s;
  s.act = action::stall;
  s.ms = 123;
  REQUIRE(arm(point::io_file, s).empty());
  auto f = fire(point::io_file);
  CHECK(f.act == action::stall);
  CHECK(f.ms == 123);
  // The default action is the point's first.
  REQUIRE(arm(point::lu_execute, spec{}).empty());
  CHECK(fire(point::lu_execute).act == action::crash);
}

TEST_CASE("a match counts only the passes of that subject", "[io][faults]") {
  disarm_all();
  spec s;
  s.match = "tape0";
  s.after = 2;
  REQUIRE(arm(point::lu_execute, s).empty());
  CHECK_FALSE(hit(point::lu_execute, "disk0"));
  CHECK_FALSE(hit(point::lu_execute, "tape0"));  // pass 1 of tape0
  CHECK_FALSE(hit(point::lu_execute, "disk0"));
  CHECK(passes_of(point::lu_execute) == 1);
  CHECK(hit(point::lu_execute, "tape0"));
}

TEST_CASE("arming refuses what a point cannot do", "[io][faults]") {
  disarm_all();
  spec s;
  s.act = action::eio;
  CHECK_FALSE(arm(point::lu_execute, s).empty());
  s.act = action::crash;
  s.percent = 0;
  CHECK_FALSE(arm(point::lu_execute, s).empty());
  s.percent = 100;
  s.after = 0;
  CHECK_FALSE(arm(point::lu_execute, s).empty());
  CHECK_FALSE(fire(point::lu_execute));
}

TEST_CASE("every point and action has a name that maps back", "[io][faults]") {
  for (size_t i = 0; i < size_t(point::count_); ++i) {
    auto n = name_of(point(i));
    CHECK_FALSE(n.empty());
    CHECK(point_named(n) == point(i));
  }
  for (size_t i = 1; i < size_t(action::count_); ++i) CHECK(action_named(name_of(action(i))) == action(i));
  CHECK_FALSE(point_named("nope"));
  CHECK_FALSE(action_named("none"));
}
