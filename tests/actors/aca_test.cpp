// No ACA (actors/model/aca.hpp) through the LU shell's generic precheck:
// every LU kind reports NormACA 0, so the ACA task attribute and NACA=1
// get CHECK CONDITION before the command reaches the task set or the
// medium, and a pending unit attention stays for the next command.
#include "tests/actors/fixture.hpp"
#include "wire/scsi/cdb.hpp"

using namespace stmfd;
using namespace stmfd::test;
using kind = lu_definition::backing_kind;

namespace {
std::vector<uint8_t> read10_naca() {
  auto c = read10(0, 1);
  c[9] = 0x04;  // CONTROL: NACA
  return c;
}
}  // namespace

TEST_CASE("aca task attribute and naca are refused, nothing else is", "[actors][aca]") {
  for (auto k : {kind::ram, kind::file}) {
    stmf_fixture f(k);
    auto inq = f.run(f.make_task({0x12, 0, 0, 0, 96, 0}, wire::Direction::READ, 96));
    REQUIRE(inq->task.getStatus() == 0);
    CHECK((inq->data.data[3] & 0x20) == 0);  // NormACA 0

    auto aca = f.make_task(read10(0, 1), wire::Direction::READ, 512);
    aca->task.setAttribute(wire::TaskAttribute::ACA);
    aca = f.run(std::move(aca));
    CHECK(sense_of(aca) == std::make_tuple(0x5, 0x49, 0x00));  // INVALID MESSAGE ERROR
    CHECK(aca->task.getDataInLength() == 0);

    auto naca = f.run(f.make_task(read10_naca(), wire::Direction::READ, 512));
    REQUIRE(sense_of(naca) == std::make_tuple(0x5, 0x24, 0x00));
    auto s = naca->task.getSense();
    CHECK((s[15] & 0x80) != 0);  // SKSV
    CHECK((s[15] & 0x40) != 0);  // C/D: in the CDB
    CHECK((s[15] & 0x08) != 0);  // BPV
    CHECK((s[15] & 0x07) == 2);  // bit 2
    CHECK(((s[16] << 8) | s[17]) == 9);

    // The other attributes run (SIMPLE, ORDERED, HEAD OF QUEUE).
    for (auto a : {wire::TaskAttribute::SIMPLE, wire::TaskAttribute::ORDERED, wire::TaskAttribute::HEAD_OF_QUEUE}) {
      auto t = f.make_task(read10(0, 1), wire::Direction::READ, 512);
      t->task.setAttribute(a);
      CHECK(f.run(std::move(t))->task.getStatus() == 0);
    }
  }
}

TEST_CASE("a refused aca command leaves a pending unit attention", "[actors][aca]") {
  stmf_fixture f(kind::ram);
  // An implicit ALUA transition of the fixture's group posts 2Ah/06h.
  std::string err = "no answer";
  f.self
      ->request(f.stmf, std::chrono::seconds(5), alua_atom::value,
                tpg_change{1, access_state::active_non_optimized, ""})
      .receive([&](const std::string& e) { err = e; }, [&](caf::error& e) { err = to_string(e); });
  REQUIRE(err.empty());
  auto aca = f.make_task(test_unit_ready(), wire::Direction::NONE, 0);
  aca->task.setAttribute(wire::TaskAttribute::ACA);
  CHECK(sense_of(f.run(std::move(aca))) == std::make_tuple(0x5, 0x49, 0x00));
  auto naca = f.run(f.make_task({0x00, 0, 0, 0, 0, 0x04}, wire::Direction::NONE, 0));
  CHECK(sense_of(naca) == std::make_tuple(0x5, 0x24, 0x00));
  // Neither took the unit attention: the next plain command gets it, then GOOD.
  CHECK(sense_of(f.run(f.make_task(test_unit_ready(), wire::Direction::NONE, 0))) == std::make_tuple(0x6, 0x2A, 0x06));
  CHECK(f.run(f.make_task(test_unit_ready(), wire::Direction::NONE, 0))->task.getStatus() == 0);
}
