// The library's element map (plugins/lu/smc/element_map): addresses by
// type, moves and their refusals, the persisted text and its restore.
#include <catch2/catch.hpp>

#include <string>

#include "plugins/lu/smc/element_map.hpp"

using namespace stmfd::smc;

namespace {
element_map make() { return element_map(layout{4, 1, 2}, {"A00001L6", "A00002L6", "A00003L6"}); }
std::span<const uint8_t> as_bytes(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}
}  // namespace

TEST_CASE("element_map_addresses_by_type", "[smc][element_map]") {
  auto m = make();
  REQUIRE(m.elements().size() == 1 + 1 + 2 + 4);
  CHECK(m.elements()[0].type == element_type::transport);
  CHECK(m.find(0x0010)->type == element_type::import_export);
  CHECK(m.find(0x0100)->type == element_type::data_transfer);
  CHECK(m.find(0x0101)->type == element_type::data_transfer);
  CHECK(m.find(0x0102) == nullptr);
  CHECK(m.find(0x1003)->type == element_type::storage);
  CHECK(m.find(0x1004) == nullptr);
  CHECK(m.count(element_type::storage) == 4);
  CHECK(m.first_address(element_type::data_transfer) == 0x0100);
  CHECK(m.drive_index(0x0101) == 1u);
  CHECK_FALSE(m.drive_index(0x1000));
  uint16_t prev = 0;
  for (size_t i = 1; i < m.elements().size(); ++i) {  // ascending addresses
    CHECK(m.elements()[i].address > prev);
    prev = m.elements()[i].address;
  }
}

TEST_CASE("element_map_cartridges_start_in_slots", "[smc][element_map]") {
  auto m = make();
  CHECK(m.barcode(m.find(0x1000)->cartridge) == "A00001L6");
  CHECK(m.barcode(m.find(0x1002)->cartridge) == "A00003L6");
  CHECK_FALSE(m.find(0x1003)->full());
  CHECK_FALSE(m.find(0x1001)->source);  // never moved
  CHECK(m.holding("A00002L6")->address == 0x1001);
  CHECK(m.holding("NOPE") == nullptr);
}

TEST_CASE("element_map_move_checks", "[smc][element_map]") {
  auto m = make();
  CHECK(m.check(0x1000, 0x0100) == move_error::none);
  CHECK(m.check(0x1003, 0x0100) == move_error::source_empty);
  CHECK(m.check(0x1000, 0x1001) == move_error::destination_full);
  CHECK(m.check(0x1000, 0x0000) == move_error::invalid_address);  // the transport holds nothing at rest
  CHECK(m.check(0x1000, 0x2000) == move_error::invalid_address);
  CHECK(m.check(0x0500, 0x1003) == move_error::invalid_address);
}

TEST_CASE("element_map_move_keeps_the_home_slot", "[smc][element_map]") {
  auto m = make();
  m.move(0x1001, 0x0100);
  CHECK_FALSE(m.find(0x1001)->full());
  CHECK(m.barcode(m.find(0x0100)->cartridge) == "A00002L6");
  CHECK(m.find(0x0100)->source == 0x1001);
  m.move(0x0100, 0x0010);  // drive -> import/export: still from slot 1001h
  CHECK(m.find(0x0010)->source == 0x1001);
  m.move(0x0010, 0x1003);
  CHECK(m.find(0x1003)->source == 0x1001);  // the last storage element it left
  CHECK(m.holding("A00002L6")->address == 0x1003);
}

TEST_CASE("element_map_encode_restore_round_trip", "[smc][element_map]") {
  auto m = make();
  m.move(0x1000, 0x0010);
  m.move(0x1002, 0x1003);
  auto text = m.encode();
  auto n = make();
  REQUIRE(n.restore(text));
  for (size_t i = 0; i < m.elements().size(); ++i) {
    CHECK(m.elements()[i].cartridge == n.elements()[i].cartridge);
    CHECK(m.elements()[i].source == n.elements()[i].source);
  }
}

TEST_CASE("element_map_restore_keeps_drives_until_adopt_sends_them_home", "[smc][element_map]") {
  auto m = make();
  m.move(0x1001, 0x0101);
  auto n = make();
  REQUIRE(n.restore(m.encode()));
  CHECK(n.holding("A00002L6")->address == 0x0101);  // as the text says ...
  CHECK(n.adopt_drives({}));                        // ... until the drives say they are empty
  CHECK_FALSE(n.find(0x0101)->full());
  CHECK(n.holding("A00002L6")->address == 0x1001);
  CHECK(n.find(0x1001)->source == 0x1001);
  // Its home slot taken meanwhile: the first empty slot.
  auto text = std::string("stmfd-library 1\n100 1000 A00002L6\n1000 1000 A00001L6\n1002 1002 A00003L6\n");
  auto k = make();
  REQUIRE(k.restore(as_bytes(text)));
  CHECK(k.adopt_drives({-1, -1}));
  CHECK(k.holding("A00002L6")->address == 0x1001);
  CHECK(k.holding("A00001L6")->address == 0x1000);
}

TEST_CASE("element_map_restore_places_new_and_drops_unknown_cartridges", "[smc][element_map]") {
  auto text = std::string("stmfd-library 1\n1003 1003 A00003L6\n1001 1001 GONE01L6\n");
  auto m = make();
  REQUIRE(m.restore(as_bytes(text)));
  CHECK(m.holding("A00003L6")->address == 0x1003);
  CHECK(m.holding("A00001L6")->address == 0x1000);  // not named: first empty slot
  CHECK(m.holding("A00002L6")->address == 0x1001);
  CHECK(m.holding("GONE01L6") == nullptr);
}

TEST_CASE("element_map_restore_refuses_garbage", "[smc][element_map]") {
  auto m = make();
  for (std::string bad : {std::string("garbage"), std::string("stmfd-library 1\n1000 - A00001L6"),  // no newline
                          std::string("stmfd-library 1\nzz - A00001L6\n"),
                          std::string("stmfd-library 1\n0 - A00001L6\n"),                      // the transport
                          std::string("stmfd-library 1\n1000 - A00001L6\n1001 - A00001L6\n"),  // twice
                          std::string("stmfd-library 1\n1000 - A00001L6\n1000 - A00002L6\n"),  // one element twice
                          std::string("stmfd-library 1\n7000 - A00001L6\n")}) {
    INFO(bad);
    CHECK_FALSE(m.restore(as_bytes(bad)));
  }
  CHECK(m.holding("A00001L6")->address == 0x1000);  // unchanged
}

TEST_CASE("element_map_exchange_checks", "[smc][element_map][exchange]") {
  auto m = make();
  CHECK(m.check_exchange(0x1000, 0x1001, 0x1003) == move_error::none);
  CHECK(m.check_exchange(0x1000, 0x1001, 0x1000) == move_error::none);              // a swap
  CHECK(m.check_exchange(0x1003, 0x1001, 0x0010) == move_error::source_empty);      // empty source
  CHECK(m.check_exchange(0x1000, 0x1003, 0x0010) == move_error::source_empty);      // empty first destination
  CHECK(m.check_exchange(0x1000, 0x1001, 0x1002) == move_error::destination_full);  // full second destination
  CHECK(m.check_exchange(0x1000, 0x1001, 0x1001) == move_error::destination_full);
  CHECK(m.check_exchange(0x1000, 0x1000, 0x1003) == move_error::invalid_address);  // first destination = source
  CHECK(m.check_exchange(0x1000, 0x1001, 0x0000) == move_error::invalid_address);  // the transport
  CHECK(m.check_exchange(0x1000, 0x2000, 0x1003) == move_error::invalid_address);
}

TEST_CASE("element_map_exchange_moves_both_cartridges_and_their_home_slots", "[smc][element_map][exchange]") {
  auto m = make();
  m.exchange(0x1000, 0x1001, 0x0010);
  CHECK(m.barcode(m.find(0x1001)->cartridge) == "A00001L6");
  CHECK(m.find(0x1001)->source == 0x1000);
  CHECK(m.barcode(m.find(0x0010)->cartridge) == "A00002L6");
  CHECK(m.find(0x0010)->source == 0x1001);
  CHECK_FALSE(m.find(0x1000)->full());
  // A swap: each takes the other's place; a refused exchange changes nothing.
  m.exchange(0x1001, 0x0010, 0x1001);
  CHECK(m.barcode(m.find(0x0010)->cartridge) == "A00001L6");
  CHECK(m.barcode(m.find(0x1001)->cartridge) == "A00002L6");
  CHECK(m.find(0x0010)->source == 0x1001);  // the slot it left
  CHECK(m.find(0x1001)->source == 0x1001);  // the I/E element's cartridge keeps the slot it came from
  m.exchange(0x1000, 0x1001, 0x1003);
  CHECK(m.barcode(m.find(0x1001)->cartridge) == "A00002L6");
  CHECK_FALSE(m.find(0x1003)->full());
}
