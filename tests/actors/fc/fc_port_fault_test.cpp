// Issue 10: the FC port provider failing with frames arriving (the port_fc
// fault point): the exchange in progress gets no answer, STMF restarts the
// provider, which binds its HBA again and serves a new login; what was
// written before is read back byte for byte.
#include <thread>

#include "tests/actors/fc/fc_fixture.hpp"

using namespace stmfd;
using namespace stmfd::test;
using namespace stmfd::fc;

TEST_CASE("fc_a_failed_port_provider_comes_back_for_a_new_login", "[actors][fc][faults]") {
  fc_fixture f;
  REQUIRE(f.ini->login());
  auto data = pattern(4096, 9);
  auto w = f.ini->command(fc_cdb_write10(0, 8), 4096, false, true, data);
  REQUIRE(w.rsp);
  REQUIRE(w.rsp->status == 0);
  const uint64_t before = faults::firings(faults::point::port_fc);
  REQUIRE(faults::arm(faults::point::port_fc, faults::spec{}).empty());
  // Its FCP_CMND is the frame that kills the port: no answer.
  auto lost = f.ini->command(fc_cdb_read10(0, 8), 4096, true, false);
  CHECK_FALSE(lost.rsp);
  CHECK(faults::firings(faults::point::port_fc) == before + 1);
  bool back = false;
  for (int i = 0; i < 6 && !back; ++i) {  // the restarted provider binds its HBA again
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    back = f.ini->login();
  }
  REQUIRE(back);
  auto r = f.ini->command(fc_cdb_read10(0, 8), 4096, true, false);
  REQUIRE(r.rsp);
  CHECK(r.rsp->status == 0);
  CHECK(r.data == data);
}
