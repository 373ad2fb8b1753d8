#include <catch2/catch.hpp>

#include "actors/model/unit_attentions.hpp"

using stmfd::unit_attentions;
using stmfd::scsi::sense;

TEST_CASE("no_condition_by_default", "[model][ua]") {
  unit_attentions ua;
  CHECK_FALSE(ua.peek(1));
  CHECK_FALSE(ua.take(1));
}

TEST_CASE("power_on_reaches_known_and_future_nexuses_once", "[model][ua]") {
  unit_attentions ua;
  ua.attach(1);
  ua.power_on();
  CHECK(ua.peek(1) == sense::power_on_reset());
  CHECK(ua.peek(1) == sense::power_on_reset());  // peek does not consume
  CHECK(ua.take(1) == sense::power_on_reset());
  CHECK_FALSE(ua.take(1));
  CHECK(ua.peek(42) == sense::power_on_reset());  // first seen after the power on
  CHECK(ua.take(42) == sense::power_on_reset());
  CHECK_FALSE(ua.take(42));
  ua.power_on();  // a second power on is reported again
  CHECK(ua.take(1) == sense::power_on_reset());
  CHECK(ua.take(42) == sense::power_on_reset());
}

TEST_CASE("power_on_supersedes_earlier_conditions_not_later_ones", "[model][ua]") {
  unit_attentions ua;
  ua.post(1, sense::mode_parameters_changed());
  ua.power_on();
  ua.post(1, sense::reported_luns_changed());
  CHECK(ua.take(1) == sense::power_on_reset());
  CHECK(ua.take(1) == sense::reported_luns_changed());
  CHECK_FALSE(ua.take(1));
}

TEST_CASE("post_all_reaches_known_nexuses_only", "[model][ua]") {
  unit_attentions ua;
  ua.attach(1);
  ua.attach(2);
  ua.post_all(sense::reported_luns_changed());
  ua.attach(3);
  CHECK(ua.take(1) == sense::reported_luns_changed());
  CHECK(ua.take(2) == sense::reported_luns_changed());
  CHECK_FALSE(ua.take(3));
}

TEST_CASE("post_all_except_skips_the_originator", "[model][ua]") {
  unit_attentions ua;
  ua.attach(1);
  ua.attach(2);
  ua.post_all_except(1, sense::mode_parameters_changed());
  CHECK_FALSE(ua.peek(1));
  CHECK(ua.take(2) == sense::mode_parameters_changed());
}

TEST_CASE("fifo_order_and_deduplication", "[model][ua]") {
  unit_attentions ua;
  ua.post(7, sense::mode_parameters_changed());
  ua.post(7, sense::reported_luns_changed());
  ua.post(7, sense::mode_parameters_changed());
  CHECK(ua.take(7) == sense::mode_parameters_changed());
  CHECK(ua.take(7) == sense::reported_luns_changed());
  CHECK_FALSE(ua.take(7));
}

TEST_CASE("reset_condition_replaces_older_ones", "[model][ua]") {
  unit_attentions ua;
  ua.post(7, sense::mode_parameters_changed());
  ua.post(7, sense::bus_device_reset());
  ua.post(7, sense::reported_luns_changed());
  CHECK(ua.take(7) == sense::bus_device_reset());
  CHECK(ua.take(7) == sense::reported_luns_changed());
  CHECK_FALSE(ua.take(7));
}

TEST_CASE("clear_and_detach", "[model][ua]") {
  unit_attentions ua;
  ua.post(7, sense::reported_luns_changed());
  ua.post(7, sense::mode_parameters_changed());
  ua.clear(7, sense::reported_luns_changed());
  CHECK(ua.take(7) == sense::mode_parameters_changed());
  ua.post(7, sense::capacity_data_changed());
  ua.detach(7);
  CHECK_FALSE(ua.peek(7));
  ua.post_all(sense::inquiry_data_changed());
  CHECK_FALSE(ua.peek(7));  // detached: not known any more
}

TEST_CASE("queue_is_bounded", "[model][ua]") {
  unit_attentions ua;
  const stmfd::scsi::sense_code codes[] = {sense::mode_parameters_changed(),
                                           sense::reservations_preempted(),
                                           sense::reservations_released(),
                                           sense::registrations_preempted(),
                                           sense::asymmetric_access_state_changed(),
                                           sense::capacity_data_changed(),
                                           sense::commands_cleared_by_another_initiator(),
                                           sense::inquiry_data_changed(),
                                           sense::reported_luns_changed()};
  for (auto c : codes) ua.post(1, c);
  size_t n = 0;
  while (ua.take(1)) ++n;
  CHECK(n == std::size(codes));
  CHECK(n <= unit_attentions::max_queued);
}
