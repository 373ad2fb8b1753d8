// An administrator's changes of a library in the changer core
// (plugins/lu/smc/library_admin.cpp): cartridges added into a slot or the
// import/export element with the unit attention SMC-3 asks for, exports,
// drives added and removed, and every refusal leaving the map alone.
#include <catch2/catch.hpp>

#include "tests/unit/plugins/lu/smc/changer_fixture.hpp"

using namespace stmfd;
using namespace stmfd::smc;
using namespace stmfd::smc::test;

namespace {

using code = library_change_result::code;

std::shared_ptr<library_definition> with_cartridge(const library_definition& l, const std::string& barcode) {
  auto next = std::make_shared<library_definition>(l);
  next->cartridges.push_back({barcode, "/lib/" + barcode + ".cart", 1 << 20});
  return next;
}

std::shared_ptr<library_definition> without_cartridge(const library_definition& l, const std::string& barcode) {
  auto next = std::make_shared<library_definition>(l);
  std::erase_if(next->cartridges, [&](const auto& c) { return c.barcode == barcode; });
  return next;
}

std::string at(const changer& c, uint16_t address) {
  const element* e = c.map().find(address);
  return e && e->full() ? c.map().barcode(e->cartridge) : std::string();
}

}  // namespace

TEST_CASE("library_change_adds_into_a_slot_or_the_import_export_element", "[smc][admin]") {
  changer_fixture f;
  auto lib = small_library();
  auto next = with_cartridge(*lib, "NEW001L6");
  auto r = f.c.change_library({next, uint16_t(0x1003), false, false});
  REQUIRE(r.what == code::ok);
  CHECK(at(f.c, 0x1003) == "NEW001L6");
  REQUIRE(r.unit_attention);
  CHECK(r.unit_attention->asc == 0x28);
  CHECK(r.unit_attention->ascq == 0x00);
  // Into the mail slot: IMPORT OR EXPORT ELEMENT ACCESSED.
  auto next2 = with_cartridge(*next, "NEW002L6");
  auto r2 = f.c.change_library({next2, std::nullopt, true, false});
  REQUIRE(r2.what == code::ok);
  CHECK(at(f.c, 0x0010) == "NEW002L6");
  CHECK(r2.unit_attention->ascq == 0x01);
  // The map persisted says so, and the others stayed where they were.
  CHECK(at(f.c, 0x1000) == "A00001L6");
  auto res = f.run(read_element_status(3, 0x0010, 1, 1024));
  REQUIRE(res.good());
  CHECK(std::string(res.data.begin() + 16 + 12, res.data.begin() + 16 + 20) == "NEW002L6");
}

TEST_CASE("library_change_refusals_leave_the_map_alone", "[smc][admin]") {
  changer_fixture f;
  auto lib = small_library();
  const auto before = f.c.persistent_state();
  auto full = f.c.change_library({with_cartridge(*lib, "NEW001L6"), uint16_t(0x1000), false, false});
  CHECK(full.what == code::conflict);
  CHECK(full.message.find("A00001L6") != std::string::npos);
  auto drive = f.c.change_library({with_cartridge(*lib, "NEW001L6"), uint16_t(0x0100), false, false});
  CHECK(drive.what == code::invalid);
  auto none = f.c.change_library({with_cartridge(*lib, "NEW001L6"), uint16_t(0x2000), false, false});
  CHECK(none.what == code::invalid);
  // The import/export element is locked while an initiator prevents removal.
  REQUIRE(f.run({0x1E, 0, 0, 0, 0x01, 0}).good());
  auto locked = f.c.change_library({with_cartridge(*lib, "NEW001L6"), std::nullopt, true, false});
  CHECK(locked.what == code::conflict);
  CHECK(locked.message.find("PREVENT") != std::string::npos);
  CHECK(f.c.change_library({without_cartridge(*lib, "A00001L6"), std::nullopt, false, false}).what == code::conflict);
  REQUIRE(f.run({0x1E, 0, 0, 0, 0x00, 0}).good());
  CHECK(f.c.persistent_state() == before);
}

TEST_CASE("library_change_exports_but_not_out_of_a_drive", "[smc][admin]") {
  changer_fixture f;
  auto lib = small_library();
  REQUIRE(f.run(move_medium(0x1000, 0x0100)).good());
  auto loaded = f.c.change_library({without_cartridge(*lib, "A00001L6"), std::nullopt, false, false});
  CHECK(loaded.what == code::conflict);
  CHECK(loaded.message.find("drive0") != std::string::npos);
  CHECK(at(f.c, 0x0100) == "A00001L6");
  auto out = f.c.change_library({without_cartridge(*lib, "A00002L6"), std::nullopt, false, false});
  REQUIRE(out.what == code::ok);
  CHECK(f.c.map().holding("A00002L6") == nullptr);
  CHECK(at(f.c, 0x0100) == "A00001L6");  // the drive's cartridge stays
}

TEST_CASE("library_change_adds_and_removes_drives", "[smc][admin]") {
  changer_fixture f;
  auto lib = small_library();
  REQUIRE(f.run(move_medium(0x1000, 0x0101)).good());  // into drive1
  // A third drive: drive1 keeps its cartridge at its address.
  auto more = std::make_shared<library_definition>(*lib);
  more->drives.push_back({"drive2", {}});
  REQUIRE(f.c.change_library({more, std::nullopt, false, false}).what == code::ok);
  CHECK(f.c.map().count(element_type::data_transfer) == 3);
  CHECK(at(f.c, 0x0101) == "A00001L6");
  // drive0 goes: drive1 becomes element 0100h and its cartridge follows it.
  auto fewer = std::make_shared<library_definition>(*more);
  fewer->drives.erase(fewer->drives.begin());
  REQUIRE(f.c.change_library({fewer, std::nullopt, false, false}).what == code::ok);
  CHECK(at(f.c, 0x0100) == "A00001L6");
  // Removing the drive that holds it: refused, unless forced (back to its slot).
  auto last = std::make_shared<library_definition>(*fewer);
  last->drives.erase(last->drives.begin());
  CHECK(f.c.change_library({last, std::nullopt, false, false}).what == code::conflict);
  REQUIRE(f.c.change_library({last, std::nullopt, false, true}).what == code::ok);
  CHECK(at(f.c, 0x1000) == "A00001L6");
  CHECK(f.c.map().count(element_type::data_transfer) == 1);
  auto elements = f.c.library_elements();
  CHECK(elements.size() == 1 + 1 + 1 + 4);
  CHECK(elements[0].type == 1);
}
