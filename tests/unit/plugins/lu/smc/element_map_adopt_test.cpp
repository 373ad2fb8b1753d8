// element_map::adopt_drives (plugins/lu/smc/element_map.cpp): a changer
// that restarted while its drives kept running takes the drive elements
// from what the drives really hold, and every cartridge ends in exactly one
// element whatever the (stale) map said.
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "plugins/lu/smc/element_map.hpp"

using namespace stmfd::smc;

namespace {
element_map make() { return element_map(layout{4, 1, 2}, {"A00001L6", "A00002L6", "A00003L6"}); }

// Every cartridge is in exactly one element.
void check_each_once(const element_map& m) {
  std::map<int, int> seen;
  for (const auto& e : m.elements())
    if (e.full()) ++seen[e.cartridge];
  for (size_t c = 0; c < m.cartridge_count(); ++c) {
    INFO("cartridge " << m.barcode(int(c)));
    CHECK(seen[int(c)] == 1);
  }
}
}  // namespace

TEST_CASE("adopt_drives_takes_a_loaded_drive_the_map_forgot", "[smc][element_map][restart]") {
  auto m = make();  // the map says slot 1 holds A00002L6; drive 0 really holds it
  CHECK(m.adopt_drives({1, -1}));
  const element* d = m.find(0x0100);
  REQUIRE(d->full());
  CHECK(m.barcode(d->cartridge) == "A00002L6");
  CHECK(d->source == 0x1001);  // the slot it left
  CHECK_FALSE(m.find(0x1001)->full());
  CHECK(m.check(0x1001, 0x0101) == move_error::source_empty);  // no second copy to lend drive 1
  CHECK(m.check(0x1000, 0x0100) == move_error::destination_full);
  check_each_once(m);
  CHECK_FALSE(m.adopt_drives({1, -1}));  // the same answer again changes nothing
}

TEST_CASE("adopt_drives_follows_the_drive_that_really_holds_it", "[smc][element_map][restart]") {
  auto m = make();
  m.move(0x1002, 0x0100);          // the map: drive 0 holds A00003L6 (from slot 2)
  m.move(0x1000, 0x0010);          // and A00001L6 sits in import/export
  CHECK(m.adopt_drives({-1, 2}));  // but drive 1 holds A00003L6, drive 0 nothing
  CHECK_FALSE(m.find(0x0100)->full());
  REQUIRE(m.find(0x0101)->full());
  CHECK(m.barcode(m.find(0x0101)->cartridge) == "A00003L6");
  CHECK(m.find(0x0101)->source == 0x1002);  // the source the map recorded
  // A drive holding the import/export element's cartridge: the source is
  // the one that element recorded (none: it never left a slot by a move).
  auto k = make();
  k.move(0x1000, 0x0010);
  CHECK(k.adopt_drives({0}));
  CHECK_FALSE(k.find(0x0010)->full());
  CHECK(k.find(0x0100)->source == 0x1000);
  check_each_once(m);
  check_each_once(k);
}

TEST_CASE("adopt_drives_sends_unheld_cartridges_home_and_ignores_double_claims", "[smc][element_map][restart]") {
  auto m = make();
  m.move(0x1000, 0x0100);
  m.move(0x1001, 0x0101);
  m.move(0x1002, 0x1000);         // A00003L6 now in slot 0: drive 0's home slot is taken
  CHECK(m.adopt_drives({1, 1}));  // both drives claim A00002L6; A00001L6 is held by none
  REQUIRE(m.find(0x0100)->full());
  CHECK(m.barcode(m.find(0x0100)->cartridge) == "A00002L6");
  CHECK(m.find(0x0100)->source == 0x1001);
  CHECK_FALSE(m.find(0x0101)->full());  // the second claim shows empty
  CHECK(m.holding("A00001L6")->type == element_type::storage);
  CHECK(m.holding("A00001L6")->address != 0x1000);  // not where A00003L6 is
  CHECK(m.holding("A00001L6")->source == 0x1000);   // its source stays
  CHECK_FALSE(m.adopt_drives({1, -1, 0, 0}));       // entries beyond the drives: ignored
  CHECK(m.adopt_drives({7}));                       // no such cartridge: the drive counts as empty
  CHECK_FALSE(m.find(0x0100)->full());
  CHECK(m.holding("A00002L6")->type == element_type::storage);  // home: its slot holds A00001L6, so an empty one
  check_each_once(m);
}
