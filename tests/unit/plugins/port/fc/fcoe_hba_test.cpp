// The FCoE HBA's queues (the half the port provider sees) and the data
// field an interface MTU allows.
#include <catch2/catch.hpp>

#include "plugins/port/fc/hba/fcoe_hba.hpp"

using namespace stmfd::fc;
using stmfd::fc::hba::fcoe_hba;

TEST_CASE("the FC data field follows the MTU: 2112 from 2158, whole words below, none under 302", "[fc][fcoe]") {
  CHECK(hba::fcoe_max_payload(9000) == 2112);
  CHECK(hba::fcoe_max_payload(2158) == 2112);
  CHECK(hba::fcoe_max_payload(2157) == 2108);
  CHECK(hba::fcoe_max_payload(1500) == 1452);
  CHECK(hba::fcoe_max_payload(302) == 256);
  CHECK(hba::fcoe_max_payload(301) == 0);
}

TEST_CASE("the FCoE HBA queues frames only while the link is up", "[fc][fcoe]") {
  fcoe_hba q("eth9", 2);
  int owner_wakes = 0, driver_wakes = 0;
  q.set_notify([&] { ++owner_wakes; });
  q.set_driver_wake([&] { ++driver_wakes; });
  frame f;
  f.hdr.d_id = 1;
  CHECK_FALSE(q.link_up());
  CHECK_FALSE(q.transmit(frame(f), 5));  // down: refused, the caller keeps it
  CHECK_FALSE(q.deliver(frame(f)));
  CHECK(q.rx_dropped() == 1);

  q.set_link(true, 0xFC01, 2112);
  CHECK(owner_wakes == 1);
  CHECK(q.link_up());
  CHECK(q.port_id() == 0xFC01);
  CHECK(q.max_payload() == 2112);
  CHECK(q.transmit(frame(f), 5));
  CHECK(driver_wakes == 1);  // the queue went from empty to not
  CHECK(q.transmit(frame(f), 0));
  CHECK(driver_wakes == 1);
  CHECK_FALSE(q.transmit(frame(f), 6));  // full (capacity 2)
  std::vector<fcoe_hba::outgoing> out;
  CHECK(q.take_tx(out, 10) == 2);
  CHECK(out[0].cookie == 5);
  q.complete(5, true);
  q.complete(0, true);  // cookie 0 asks for no completion
  std::vector<hba::tx_completion> done;
  CHECK(q.completions(done, 10) == 1);
  CHECK(done[0].cookie == 5);
  CHECK(done[0].ok);

  CHECK(q.deliver(frame(f)));
  q.lose({7, 9});
  std::vector<uint32_t> lost;
  CHECK(q.lost_peers(lost) == 2);
  CHECK(lost == std::vector<uint32_t>{7, 9});
  CHECK(q.lost_peers(lost) == 0);

  // Down: what waits is dropped; a transmission waiting completes not ok.
  CHECK(q.transmit(frame(f), 8));
  q.set_link(false, 0, 0);
  std::vector<frame> rx;
  CHECK(q.receive(rx, 10) == 0);
  done.clear();
  CHECK(q.completions(done, 10) == 1);
  CHECK(done[0].cookie == 8);
  CHECK_FALSE(done[0].ok);
  CHECK(q.port_id() == 0);
}
