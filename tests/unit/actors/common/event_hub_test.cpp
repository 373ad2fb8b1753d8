// The event stream's hub (actors/common/event_hub.hpp): every subscriber
// gets every event in order; a full queue drops its oldest and counts them;
// a dropped subscriber is forgotten; the wake callback fires on the first
// event after the queue emptied.
#include <catch2/catch.hpp>

#include "actors/common/event_hub.hpp"

using namespace stmfd;

TEST_CASE("events_reach_every_subscriber_in_order", "[events]") {
  event_hub hub;
  auto a = hub.subscribe(), b = hub.subscribe();
  hub.publish(recovery_event("one"));
  hub.publish(lu_state_event("lu0", lu_state::failed, "gone"));
  for (auto& s : {a, b}) {
    std::vector<event_record> got;
    CHECK(s->take(got) == 0);
    REQUIRE(got.size() == 2);
    CHECK(got[0].reason == "one");
    CHECK(got[0].time_ns > 0);
    CHECK(got[1].what == event_record::kind::lu_state);
    CHECK(got[1].lu == "lu0");
    CHECK(got[1].state == lu_state::failed);
  }
}

TEST_CASE("a_slow_subscriber_loses_its_oldest_events_with_a_count", "[events]") {
  event_hub hub;
  auto slow = hub.subscribe(3);
  auto fast = hub.subscribe();
  for (int i = 0; i < 10; ++i) hub.publish(recovery_event(std::to_string(i)));
  std::vector<event_record> got;
  CHECK(slow->take(got) == 7);
  REQUIRE(got.size() == 3);
  CHECK(got[0].reason == "7");
  CHECK(got[2].reason == "9");
  got.clear();
  CHECK(fast->take(got) == 0);
  CHECK(got.size() == 10);
  got.clear();
  CHECK(slow->take(got) == 0);  // the count was reported once
  CHECK(got.empty());
}

TEST_CASE("wake_fires_when_events_arrive_and_dropped_subscribers_are_forgotten", "[events]") {
  event_hub hub;
  auto s = hub.subscribe();
  int wakes = 0;
  s->on_ready([&] { ++wakes; });
  hub.publish(recovery_event("a"));
  hub.publish(recovery_event("b"));  // queue not empty: no second wake
  CHECK(wakes == 1);
  std::vector<event_record> got;
  s->take(got);
  hub.publish(recovery_event("c"));
  CHECK(wakes == 2);
  s->on_ready(nullptr);
  s.reset();
  hub.publish(recovery_event("d"));  // nobody left: nothing to do, no crash
  auto late = hub.subscribe();
  late->on_ready([&] { ++wakes; });  // nothing queued: no wake
  CHECK(wakes == 2);
}
