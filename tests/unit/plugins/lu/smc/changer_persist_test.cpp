// The changer's state file (plugins/lu/smc/changer_persist.cpp): the map
// tagged with its library definition's digest, the previous definition's
// map kept after an administrator's change, so a restart with either
// config file (before or after the change: a crash between the map write
// and the config write) takes the matching map; version 1 files; garbage
// refused; the drives' medium files placing their cartridges.
#include <catch2/catch.hpp>

#include <string>

#include "tests/unit/plugins/lu/smc/changer_fixture.hpp"

using namespace stmfd;
using namespace stmfd::smc;
using namespace stmfd::smc::test;

namespace {

std::string at(const changer& c, uint16_t address) {
  const element* e = c.map().find(address);
  return e && e->full() ? c.map().barcode(e->cartridge) : std::string();
}

std::string text_of(const std::vector<uint8_t>& v) { return {v.begin(), v.end()}; }
std::vector<uint8_t> bytes_of(const std::string& s) { return {s.begin(), s.end()}; }

size_t count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t i = s.find(what); i != std::string::npos; i = s.find(what, i + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("definition_digest_changes_with_what_the_map_depends_on", "[smc][persist]") {
  auto a = small_library();
  auto b = std::make_shared<library_definition>(*a);
  CHECK(definition_digest(*a) == definition_digest(*b));
  b->cartridges.push_back({"NEW001L6", "/lib/NEW001L6.cart", 1 << 20});
  CHECK(definition_digest(*a) != definition_digest(*b));
  auto c = std::make_shared<library_definition>(*a);
  c->drives[1].lu_name = "other";
  CHECK(definition_digest(*a) != definition_digest(*c));
  auto d = std::make_shared<library_definition>(*a);
  d->slots = 5;
  CHECK(definition_digest(*a) != definition_digest(*d));
}

TEST_CASE("changer_state_file_keeps_the_old_map_until_restart", "[smc][persist][crash]") {
  changer_fixture f;
  auto before = small_library();
  REQUIRE(f.run(move_medium(0x1001, 0x0010)).good());  // A00002L6 into import/export
  CHECK(count(text_of(f.c.persistent_state()), "\nmap ") == 1);
  CHECK(text_of(f.c.persistent_state()).rfind("stmfd-library 2\nmap ", 0) == 0);

  // The admin plane exports A00002L6 and adds NEW001L6 in slot 3.
  auto after = std::make_shared<library_definition>(*before);
  std::erase_if(after->cartridges, [](const auto& c) { return c.barcode == "A00002L6"; });
  after->cartridges.push_back({"NEW001L6", "/lib/NEW001L6.cart", 1 << 20});
  REQUIRE(f.c.change_library({after, uint16_t(0x1003), false, false}).what == library_change_result::code::ok);
  const auto saved = f.c.persistent_state();  // what the changer wrote before the config write
  CHECK(count(text_of(saved), "\nmap ") == 2);

  SECTION("a crash before the config write: the old config takes the old map") {
    changer next(changer_fixture::make_id(), before);
    REQUIRE(next.restore(saved));
    CHECK(at(next, 0x0010) == "A00002L6");  // where it was, not the first empty slot
    CHECK(at(next, 0x1003).empty());        // no cartridge the old config lacks
    CHECK(at(next, 0x1000) == "A00001L6");
    CHECK(count(text_of(next.persistent_state()), "\nmap ") == 1);  // the restart settles it
  }
  SECTION("the config write done: the new config takes the new map") {
    changer next(changer_fixture::make_id(), after);
    REQUIRE(next.restore(saved));
    CHECK(at(next, 0x0010).empty());
    CHECK(at(next, 0x1003) == "NEW001L6");
    CHECK(next.map().holding("A00002L6") == nullptr);
  }
  SECTION("a config edited by hand (neither digest): the current map, tolerantly") {
    auto edited = std::make_shared<library_definition>(*after);
    edited->cartridges.push_back({"HAND01L6", "/lib/HAND01L6.cart", 1 << 20});
    changer next(changer_fixture::make_id(), edited);
    REQUIRE(next.restore(saved));
    CHECK(at(next, 0x1003) == "NEW001L6");
    REQUIRE(next.map().holding("HAND01L6"));  // new: first empty slot
    CHECK(next.map().holding("HAND01L6")->type == element_type::storage);
  }
}

TEST_CASE("changer_restore_reads_version_1_and_refuses_garbage", "[smc][persist]") {
  changer c(changer_fixture::make_id(), small_library());
  REQUIRE(c.restore(bytes_of("stmfd-library 1\n10 1001 A00002L6\n1000 - A00001L6\n1002 - A00003L6\n")));
  CHECK(at(c, 0x0010) == "A00002L6");
  for (std::string bad : {std::string("stmfd-library 2\n"),                              // no map
                          std::string("stmfd-library 2\n1000 - A00001L6\n"),             // a line before a section
                          std::string("stmfd-library 2\nmap 12\n1000 - A00001L6\n"),     // short digest
                          std::string("stmfd-library 2\nmap zzzzzzzzzzzzzzzz\n"),        // not hex
                          std::string("stmfd-library 2\nmap 0000000000000001\n1000 -"),  // no newline
                          std::string("stmfd-library 3\nmap 0000000000000001\n")}) {
    INFO(bad);
    CHECK_FALSE(c.restore(bytes_of(bad)));
  }
  CHECK(at(c, 0x0010) == "A00002L6");  // unchanged
}

TEST_CASE("changer_adopt_drives_matches_medium_files_to_cartridges", "[smc][persist][restart]") {
  changer_fixture f;
  REQUIRE(f.run(move_medium(0x1001, 0x0100)).good());  // drive 0 holds A00002L6
  const auto saved = f.c.persistent_state();
  // The changer restarts alone: drive 0 now holds A00002L6 and drive 1 a
  // file no cartridge of the library has (not placed).
  changer next(changer_fixture::make_id(), small_library());
  REQUIRE(next.restore(saved));
  CHECK_FALSE(next.adopt_drives({"/lib/A00002L6.cart", "/elsewhere/X.cart"}));  // the map was right
  CHECK(at(next, 0x0100) == "A00002L6");
  CHECK(next.map().find(0x0100)->source == 0x1001);
  CHECK(at(next, 0x0101).empty());
  // A stale map (the state file from before the move): the drive wins.
  changer stale(changer_fixture::make_id(), small_library());
  CHECK(stale.adopt_drives({"", "/lib/A00003L6.cart"}));
  CHECK(at(stale, 0x0101) == "A00003L6");
  CHECK(at(stale, 0x1002).empty());
}
