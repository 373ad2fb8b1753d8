// An LU restart keeps what the initiator set with MODE SELECT (the core's
// saved_state, kept by STMF) and reports the restart as architecture.md's
// table says: the next command on the nexus gets UNIT ATTENTION 29h/00h.
#include "tests/actors/fixture.hpp"

using namespace stmfd;
using namespace stmfd::test;
using kind = lu_definition::backing_kind;

namespace {

// MODE SENSE(6), DBD=1, the Caching page (SBC-4 7.5.5), current values.
std::vector<uint8_t> mode_sense_caching() { return {0x1A, 0x08, 0x08, 0, 0xFF, 0}; }

// MODE SELECT(6) PF=1 with a 4-byte header (no block descriptor) and the
// Caching page with WCE as given (its other bits are not changeable: 0).
std::vector<uint8_t> caching_page_list(bool wce) {
  std::vector<uint8_t> d(4 + 20, 0);
  d[4] = 0x08;
  d[5] = 0x12;
  d[6] = wce ? 0x04 : 0x00;
  return d;
}

// WCE of a MODE SENSE(6) DBD=1 reply for the Caching page.
bool wce_of(const task_ptr& t) {
  REQUIRE(t->task.getStatus() == 0);
  REQUIRE(t->task.getDataInLength() >= 4 + 3);
  const uint8_t* d = t->data.data;
  REQUIRE(d[3] == 0);              // no block descriptor
  REQUIRE((d[4] & 0x3F) == 0x08);  // the Caching page
  return (d[6] & 0x04) != 0;
}

}  // namespace

TEST_CASE("an LU restart keeps the Caching page set by MODE SELECT and reports POWER ON", "[actors][recovery]") {
  auto backing = GENERATE(kind::file, kind::ram);
  stmf_fixture f(backing);
  REQUIRE(wce_of(f.run(f.make_task(mode_sense_caching(), wire::Direction::READ, 255))));  // the definition's WCE=1

  auto list = caching_page_list(false);
  auto sel = f.run(
      f.make_task({0x15, 0x10, 0, 0, uint8_t(list.size()), 0}, wire::Direction::WRITE, uint32_t(list.size()), list));
  REQUIRE(sel->task.getStatus() == 0);
  REQUIRE_FALSE(wce_of(f.run(f.make_task(mode_sense_caching(), wire::Direction::READ, 255))));

  faults::arm(faults::point::lu_execute);
  auto crashed = f.run(f.make_task(test_unit_ready(), wire::Direction::NONE, 0));
  REQUIRE(sense_of(crashed) == std::make_tuple(0x4, 0x44, 0x00));
  const auto old = f.grant.luns[0].lu.address();  // weak: wait_lu_update drops the old handle
  auto lu = f.wait_lu_update();
  REQUIRE(lu);
  REQUIRE(lu.address() != old);

  // The first command after the restart: UNIT ATTENTION, POWER ON (29h/00h) ...
  auto first = f.run(f.make_task(mode_sense_caching(), wire::Direction::READ, 255), lu);
  CHECK(first->task.getStatus() == 2);
  CHECK(sense_of(first) == std::make_tuple(0x6, 0x29, 0x00));
  // ... and the Caching page still says what the initiator set.
  CHECK_FALSE(wce_of(f.run(f.make_task(mode_sense_caching(), wire::Direction::READ, 255), lu)));
}

// The Control page is kept per I_T nexus (VPD 87h); an LU restart keeps it
// too: the unit attention after the restart comes in descriptor format
// (SPC-4 4.5.2: response code 72h) because this nexus set D_SENSE.
TEST_CASE("an LU restart keeps the nexus's Control page (D_SENSE)", "[actors][recovery]") {
  stmf_fixture f(kind::ram);
  std::vector<uint8_t> list(4 + 12, 0);
  list[4] = 0x0A;
  list[5] = 0x0A;
  list[6] = 0x02 | 0x04;  // GLTSD as reported, D_SENSE set
  list[12] = 0xFF;        // BUSY TIMEOUT PERIOD as reported
  list[13] = 0xFF;
  auto sel = f.run(
      f.make_task({0x15, 0x10, 0, 0, uint8_t(list.size()), 0}, wire::Direction::WRITE, uint32_t(list.size()), list));
  REQUIRE(sel->task.getStatus() == 0);

  faults::arm(faults::point::lu_execute);
  auto crashed = f.run(f.make_task(test_unit_ready(), wire::Direction::NONE, 0));
  REQUIRE(crashed->task.getStatus() == 2);
  auto lu = f.wait_lu_update();
  REQUIRE(lu);

  auto first = f.run(f.make_task(test_unit_ready(), wire::Direction::NONE, 0), lu);
  REQUIRE(first->task.getStatus() == 2);
  auto s = first->task.getSense();
  REQUIRE(s.size() >= 4);
  CHECK(s[0] == 0x72);        // descriptor format
  CHECK((s[1] & 0x0F) == 6);  // UNIT ATTENTION
  CHECK(s[2] == 0x29);
  CHECK(s[3] == 0x00);
}
