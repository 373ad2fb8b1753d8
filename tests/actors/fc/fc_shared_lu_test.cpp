// One LU reached over FC and over another port at once keeps one set of
// reservations and unit attentions (SPC-4 5.13, SAM-5 6.3.3): the FC
// initiator's nexus and the fixture's iSCSI-form nexus share the LU shell.
#include "tests/actors/fc/fc_fixture.hpp"
#include "wire/scsi/cdb.hpp"

using namespace stmfd;
using namespace stmfd::test;
using namespace stmfd::fc;

namespace {

// PERSISTENT RESERVE OUT (SPC-4 6.16) with a 24-byte parameter list.
std::vector<uint8_t> prout(uint8_t service_action, uint8_t type) {
  std::vector<uint8_t> c(10, 0);
  c[0] = 0x5F;
  c[1] = service_action;
  c[2] = type;
  c[8] = 24;
  return c;
}

std::vector<uint8_t> prout_params(uint64_t key, uint64_t sa_key) {
  std::vector<uint8_t> p(24, 0);
  scsi::put_be32(p.data(), uint32_t(key >> 32));
  scsi::put_be32(p.data() + 4, uint32_t(key));
  scsi::put_be32(p.data() + 8, uint32_t(sa_key >> 32));
  scsi::put_be32(p.data() + 12, uint32_t(sa_key));
  return p;
}

}  // namespace

TEST_CASE("fc_reservation_holds_against_another_transports_nexus", "[actors][fc][shared]") {
  fc_fixture f;
  REQUIRE(f.ini->login());
  constexpr uint64_t key = 0xFC00FC00FC00FC00;
  auto reg = f.ini->command(prout(0x00, 0), 24, false, true, prout_params(0, key));  // REGISTER
  REQUIRE(reg.rsp);
  REQUIRE(reg.rsp->status == 0);
  auto res = f.ini->command(prout(0x01, 0x01), 24, false, true, prout_params(key, 0));  // RESERVE, Write Exclusive
  REQUIRE(res.rsp);
  REQUIRE(res.rsp->status == 0);

  // The other nexus may read but not write (SPC-4 Table 49).
  auto& s = *f.stmf;
  auto w = s.run(s.make_task(write10(0, 1), wire::Direction::WRITE, 512, std::vector<uint8_t>(512, 0x5A)));
  CHECK(w->task.getStatus() == 0x18);  // RESERVATION CONFLICT
  auto r = s.run(s.make_task(read10(0, 1), wire::Direction::READ, 512));
  CHECK(r->task.getStatus() == 0);
  // The holder writes.
  auto mine = f.ini->command(fc_cdb_write10(0, 1), 512, false, true, pattern(512, 4));
  REQUIRE(mine.rsp);
  CHECK(mine.rsp->status == 0);
  // PERSISTENT RESERVE IN READ RESERVATION from the other nexus sees the FC key.
  std::vector<uint8_t> prin = {0x5E, 0x01, 0, 0, 0, 0, 0, 0, 64, 0};
  auto rr = s.run(s.make_task(prin, wire::Direction::READ, 64));
  REQUIRE(rr->task.getStatus() == 0);
  REQUIRE(rr->task.getDataInLength() >= 24);
  uint64_t held = 0;
  for (int i = 0; i < 8; ++i) held = held << 8 | rr->data.data[8 + i];
  CHECK(held == key);
}

TEST_CASE("fc_lu_reset_posts_a_unit_attention_to_the_other_nexus", "[actors][fc][shared]") {
  fc_fixture f;
  REQUIRE(f.ini->login());
  auto& s = *f.stmf;
  REQUIRE(s.run(s.make_task(test_unit_ready(), wire::Direction::NONE, 0))->task.getStatus() == 0);
  auto tmf = f.ini->command({}, 0, false, false, {}, 0, fcp::tmf::lu_reset);
  REQUIRE(tmf.rsp);
  REQUIRE(tmf.rsp->response == std::optional<uint8_t>(fcp::rsp_code::complete));
  auto t = s.run(s.make_task(test_unit_ready(), wire::Direction::NONE, 0));
  CHECK(t->task.getStatus() == 0x02);
  CHECK(sense_of(t) == std::tuple<int, int, int>{0x06, 0x29, 0x03});  // BUS DEVICE RESET FUNCTION OCCURRED
}
