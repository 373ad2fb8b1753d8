// The loopback HBA pair: queues, wake-ups, completions, link state.
#include <catch2/catch.hpp>

#include "plugins/port/fc/hba/loopback.hpp"

using namespace stmfd::fc;

TEST_CASE("a frame sent on one end is received on the other", "[fc][hba]") {
  auto p = hba::make_loopback("lo-unit-0");
  int wakes = 0;
  p.target->set_notify([&] { ++wakes; });
  frame f;
  f.hdr.ox_id = 7;
  f.payload = {1, 2, 3};
  frame g = f;
  REQUIRE(p.initiator->transmit(std::move(g)));
  g = f;
  REQUIRE(p.initiator->transmit(std::move(g)));
  CHECK(wakes == 1);  // only when the queue went from empty to not
  std::vector<frame> got;
  CHECK(p.target->receive(got, 8) == 2);
  CHECK(got[0].payload == f.payload);
  CHECK(hba::open_loopback("lo-unit-0") == p.target);
  hba::remove_loopback("lo-unit-0");
  CHECK_FALSE(hba::open_loopback("lo-unit-0"));
}

TEST_CASE("completions only for frames that ask for one", "[fc][hba]") {
  auto p = hba::make_loopback("lo-unit-1");
  REQUIRE(p.target->transmit(frame{}, 0));
  REQUIRE(p.target->transmit(frame{}, 42));
  std::vector<hba::tx_completion> done;
  REQUIRE(p.target->completions(done, 8) == 1);
  CHECK(done[0].cookie == 42);
  CHECK(done[0].ok);
  hba::remove_loopback("lo-unit-1");
}

TEST_CASE("a full receive queue refuses and the sender keeps the frame", "[fc][hba]") {
  auto p = hba::make_loopback("lo-unit-2", 0xEF, 0xE8, 2);
  REQUIRE(p.initiator->transmit(frame{}));
  REQUIRE(p.initiator->transmit(frame{}));
  frame third;
  third.payload = {7, 7, 7};
  CHECK_FALSE(p.initiator->transmit(std::move(third)));
  CHECK(third.payload == std::vector<uint8_t>{7, 7, 7});  // not consumed
  CHECK(p.target->refused() == 1);
  std::vector<frame> got;
  CHECK(p.target->receive(got, 1) == 1);
  CHECK(p.initiator->transmit(std::move(third)));  // room again
  got.clear();
  p.set_link(false);
  CHECK_FALSE(p.target->link_up());
  CHECK_FALSE(p.initiator->transmit(frame{}));
  got.clear();
  CHECK(p.target->receive(got, 8) == 0);  // a link going down loses what was queued
  p.set_link(true);
  CHECK(p.initiator->transmit(frame{}));
  hba::remove_loopback("lo-unit-2");
}
