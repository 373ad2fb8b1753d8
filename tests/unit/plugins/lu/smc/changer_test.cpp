// The changer core's command table and handlers (plugins/lu/smc): INQUIRY,
// MODE SENSE pages, READ ELEMENT STATUS, MOVE MEDIUM and its refusals with
// SMC-3 sense, PREVENT ALLOW MEDIUM REMOVAL, the element status commands.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cerrno>

#include "plugins/lu/smc/command_table.hpp"
#include "tests/unit/plugins/lu/smc/changer_fixture.hpp"

using namespace stmfd;
using namespace stmfd::smc;
using namespace stmfd::smc::test;

namespace {
bool has_element(const changer& c, uint16_t address, const std::string& barcode) {
  const element* e = c.map().find(address);
  return e && e->full() && c.map().barcode(e->cartridge) == barcode;
}
std::string text_at(const bytes& d, size_t at, size_t n) { return std::string(d.begin() + at, d.begin() + at + n); }
}  // namespace

TEST_CASE("changer_inquiry_reports_a_medium_changer", "[smc][inquiry]") {
  changer_fixture f;
  auto r = f.run({0x12, 0, 0, 0, 96, 0});
  REQUIRE(r.good());
  CHECK((r.data[0] & 0x1F) == 0x08);
  CHECK((r.data[1] & 0x80) == 0);  // RMB 0: the changer itself is not removable
  CHECK(text_at(r.data, 16, 8) == "VLIBRARY");
  auto pages = f.run({0x12, 1, 0x00, 0, 255, 0});
  REQUIRE(pages.good());
  CHECK(pages.data[0] == 0x08);
  CHECK(bytes(pages.data.begin() + 4, pages.data.end()) == bytes{0x00, 0x80, 0x83});
  auto serial = f.run({0x12, 1, 0x80, 0, 255, 0});
  CHECK(text_at(serial.data, 4, 8) == "CHANGER1");
  auto ident = f.run({0x12, 1, 0x83, 0, 255, 0});
  REQUIRE(ident.good());
  CHECK(ident.data[1] == 0x83);
  auto bad = f.run({0x12, 1, 0xB0, 0, 255, 0});
  CHECK(bad.key() == 0x5);
  CHECK(bad.asc() == 0x24);
}

TEST_CASE("changer_rejects_unknown_opcodes_and_reserved_bits", "[smc][table]") {
  changer_fixture f;
  auto r = f.run({0x08, 0, 0, 0, 1, 0});  // READ(6): not a changer command
  CHECK(r.key() == 0x5);
  CHECK(r.asc() == 0x20);
  auto m = move_medium(0x1000, 0x1003);
  m[1] = 0x01;
  auto bad = f.run(m);
  CHECK(bad.key() == 0x5);
  CHECK(bad.asc() == 0x24);
  CHECK(has_element(f.c, 0x1000, "A00001L6"));
  CHECK(f.run({0x00, 0, 0, 0, 0, 0}).good());  // TEST UNIT READY
}

TEST_CASE("changer_rsoc_lists_the_table", "[smc][table]") {
  changer_fixture f;
  auto r = f.run({0xA3, 0x0C, 0, 0, 0, 0, 0x00, 0x00, 0x10, 0x00, 0, 0});
  REQUIRE(r.good());
  std::vector<uint8_t> ops;
  for (size_t at = 4; at + 8 <= r.data.size(); at += 8) ops.push_back(r.data[at]);
  for (uint8_t op : {0x00, 0x03, 0x07, 0x12, 0x1A, 0x1E, 0x2B, 0x37, 0x5A, 0xA5, 0xA6, 0xB8, 0xA0})
    CHECK(std::count(ops.begin(), ops.end(), op) == 1);
  CHECK(std::count(ops.begin(), ops.end(), 0x08) == 0);
  CHECK(ops.size() == changer_commands().size());
}

TEST_CASE("changer_mode_sense_element_address_assignment", "[smc][mode]") {
  changer_fixture f;
  auto r = f.run({0x1A, 0x08, 0x1D, 0, 255, 0});
  REQUIRE(r.good());
  REQUIRE(r.data.size() == 4 + 20);
  CHECK(r.data[0] == 4 + 20 - 1);  // MODE DATA LENGTH
  const uint8_t* p = r.data.data() + 4;
  CHECK(p[0] == 0x1D);
  CHECK(p[1] == 0x12);
  CHECK(scsi::get_be16(p + 2) == 0x0000);  // transport
  CHECK(scsi::get_be16(p + 4) == 1);
  CHECK(scsi::get_be16(p + 6) == 0x1000);  // storage
  CHECK(scsi::get_be16(p + 8) == 4);
  CHECK(scsi::get_be16(p + 10) == 0x0010);  // import/export
  CHECK(scsi::get_be16(p + 12) == 1);
  CHECK(scsi::get_be16(p + 14) == 0x0100);  // data transfer
  CHECK(scsi::get_be16(p + 16) == 2);
}

TEST_CASE("changer_mode_sense_all_pages_and_refusals", "[smc][mode]") {
  changer_fixture f;
  auto all = f.run({0x5A, 0x08, 0x3F, 0, 0, 0, 0, 0, 255, 0});
  REQUIRE(all.good());
  REQUIRE(all.data.size() == 8 + 20 + 4 + 20);
  CHECK(all.data[8] == 0x1D);
  CHECK(all.data[28] == 0x1E);
  CHECK(all.data[32] == 0x1F);
  CHECK(all.data[34] == 0x0E);                             // STOR DT, STOR I/E, STOR ST
  CHECK(all.data[37] == 0x0E);                             // ST -> DT, I/E, ST
  CHECK(all.data[45] == 0x0E);                             // ST <> DT, I/E, ST (EXCHANGE MEDIUM)
  CHECK(all.data[47] == 0x0E);                             // DT <> DT, I/E, ST
  auto changeable = f.run({0x1A, 0x08, 0x5D, 0, 255, 0});  // PC=01b: nothing changeable
  REQUIRE(changeable.good());
  CHECK(std::all_of(changeable.data.begin() + 6, changeable.data.end(), [](uint8_t b) { return b == 0; }));
  auto saved = f.run({0x1A, 0x08, 0xDD, 0, 255, 0});
  CHECK(saved.asc() == 0x39);
  auto unknown = f.run({0x1A, 0x08, 0x0A, 0, 255, 0});
  CHECK(unknown.asc() == 0x24);
}

TEST_CASE("changer_read_element_status_all_types_with_volume_tags", "[smc][res]") {
  changer_fixture f;
  auto r = f.run(read_element_status(0, 0, 0xFFFF, 0xFFFF));
  REQUIRE(r.good());
  CHECK(scsi::get_be16(&r.data[0]) == 0x0000);  // FIRST ELEMENT ADDRESS REPORTED
  CHECK(scsi::get_be16(&r.data[2]) == 8);       // NUMBER OF ELEMENTS AVAILABLE
  CHECK(scsi::get_be24(&r.data[5]) == r.data.size() - 8);
  // Pages in address order: transport, import/export, data transfer, storage.
  size_t at = 8;
  std::vector<std::pair<uint8_t, uint16_t>> pages;
  while (at < r.data.size()) {
    const uint8_t type = r.data[at];
    CHECK(r.data[at + 1] == 0x80);  // PVOLTAG
    const uint16_t dlen = scsi::get_be16(&r.data[at + 2]);
    CHECK(dlen == 12 + 36);
    const uint32_t bytes_in_page = scsi::get_be24(&r.data[at + 5]);
    pages.emplace_back(type, uint16_t(bytes_in_page / dlen));
    if (type == 2) {  // storage: slot 0 holds the first cartridge, slot 3 nothing
      const uint8_t* d = &r.data[at + 8];
      CHECK(scsi::get_be16(d) == 0x1000);
      CHECK((d[2] & 0x01) == 1);  // FULL
      CHECK((d[9] & 0x80) == 0);  // SVALID 0: never moved
      CHECK(text_at(r.data, at + 8 + 12, 32) == "A00001L6                        ");
      const uint8_t* last = d + 3 * dlen;
      CHECK(scsi::get_be16(last) == 0x1003);
      CHECK((last[2] & 0x01) == 0);
    }
    at += 8 + bytes_in_page;
  }
  CHECK(at == r.data.size());
  CHECK(pages == std::vector<std::pair<uint8_t, uint16_t>>{{1, 1}, {3, 1}, {4, 2}, {2, 4}});
}

TEST_CASE("changer_read_element_status_dvcid_names_the_drive", "[smc][res]") {
  changer_fixture f;
  auto r = f.run(read_element_status(4, 0, 10, 1024, false, true));
  REQUIRE(r.good());
  CHECK(scsi::get_be16(&r.data[2]) == 2);
  CHECK(r.data[8] == 4);
  const uint16_t dlen = scsi::get_be16(&r.data[10]);
  CHECK(dlen == 12 + 4 + 8 + 16 + 4);
  const size_t d1 = 16 + dlen;  // the second drive's descriptor
  CHECK(scsi::get_be16(&r.data[d1]) == 0x0101);
  CHECK(r.data[d1 + 12] == 0x02);  // CODE SET ASCII
  CHECK(r.data[d1 + 13] == 0x01);  // T10 vendor ID based
  CHECK(r.data[d1 + 15] == 28);
  CHECK((r.data[16 + 9] & 0x80) == 0);  // the first drive is empty: SVALID 0
  CHECK(text_at(r.data, d1 + 16, 28) == "STMFD   VTAPE           DRV1");
}

TEST_CASE("changer_read_element_status_start_count_and_allocation_length", "[smc][res]") {
  changer_fixture f;
  auto two = f.run(read_element_status(2, 0x1002, 5, 1024));  // storage from slot 2: slots 2 and 3
  REQUIRE(two.good());
  CHECK(scsi::get_be16(&two.data[0]) == 0x1002);
  CHECK(scsi::get_be16(&two.data[2]) == 2);
  auto one = f.run(read_element_status(0, 0x0100, 1, 1024));
  CHECK(scsi::get_be16(&one.data[2]) == 1);
  CHECK(one.data[8] == 4);
  auto cut = f.run(read_element_status(0, 0, 0xFFFF, 8));  // the header only, counts unchanged
  REQUIRE(cut.good());
  REQUIRE(cut.data.size() == 8);
  auto full = f.run(read_element_status(0, 0, 0xFFFF, 0xFFFF));
  CHECK(bytes(full.data.begin(), full.data.begin() + 8) == cut.data);
  auto none = f.run(read_element_status(2, 0x2000, 1, 1024));
  CHECK(none.key() == 0x5);
  CHECK(none.asc() == 0x21);
  CHECK(none.ascq() == 0x01);
  auto bad_type = f.run(read_element_status(5, 0, 1, 1024));
  CHECK(bad_type.asc() == 0x24);
}

TEST_CASE("changer_move_between_slots_and_import_export", "[smc][move]") {
  changer_fixture f;
  auto r = f.run(move_medium(0x1000, 0x1003));
  REQUIRE(r.good());
  CHECK(r.ops.empty());
  CHECK(r.persist);
  CHECK(has_element(f.c, 0x1003, "A00001L6"));
  CHECK(f.run(move_medium(0x1003, 0x0010)).good());
  CHECK(has_element(f.c, 0x0010, "A00001L6"));
  CHECK(f.run(move_medium(0x0010, 0x1000)).good());
  CHECK(has_element(f.c, 0x1000, "A00001L6"));
  CHECK(f.run(move_medium(0x1000, 0x1000)).good());  // onto itself: nothing happens
}

TEST_CASE("changer_move_to_a_drive_asks_for_a_load", "[smc][move]") {
  changer_fixture f;
  auto r = f.run(move_medium(0x1001, 0x0101));
  REQUIRE(r.good());
  REQUIRE(r.ops.size() == 1);
  CHECK(r.ops[0].what == lu_outcome::drive_op::op::load);
  CHECK(r.ops[0].drive == 1);
  CHECK(r.ops[0].barcode == "A00002L6");
  CHECK(r.ops[0].path == "/lib/A00002L6.cart");
  CHECK(r.ops[0].capacity == 1 << 20);
  CHECK(r.persist);
  CHECK(has_element(f.c, 0x0101, "A00002L6"));
  auto res = f.run(read_element_status(4, 0x0101, 1, 1024));
  REQUIRE(res.good());
  CHECK((res.data[16 + 2] & 0x01) == 1);                // FULL
  CHECK((res.data[16 + 9] & 0x80) != 0);                // SVALID
  CHECK(scsi::get_be16(&res.data[16 + 10]) == 0x1001);  // SOURCE STORAGE ELEMENT ADDRESS
  CHECK(text_at(res.data, 16 + 12, 8) == "A00002L6");
  CHECK_FALSE(f.c.map().find(0x1001)->full());
  // Back: an unload of that drive.
  auto back = f.run(move_medium(0x0101, 0x1001));
  REQUIRE(back.good());
  REQUIRE(back.ops.size() == 1);
  CHECK(back.ops[0].what == lu_outcome::drive_op::op::unload);
  CHECK(back.ops[0].drive == 1);
  CHECK(has_element(f.c, 0x1001, "A00002L6"));
}

TEST_CASE("changer_move_drive_to_drive_unloads_then_loads", "[smc][move]") {
  changer_fixture f;
  REQUIRE(f.run(move_medium(0x1000, 0x0100)).good());
  auto r = f.run(move_medium(0x0100, 0x0101));
  REQUIRE(r.good());
  REQUIRE(r.ops.size() == 2);
  CHECK(r.ops[0].what == lu_outcome::drive_op::op::unload);
  CHECK(r.ops[0].drive == 0);
  CHECK(r.ops[1].what == lu_outcome::drive_op::op::load);
  CHECK(r.ops[1].drive == 1);
  CHECK(f.c.map().find(0x0101)->source == 0x1000);
}

TEST_CASE("changer_move_refusals_leave_the_map_alone", "[smc][move]") {
  changer_fixture f;
  auto empty = f.run(move_medium(0x1003, 0x0100));
  CHECK(empty.key() == 0x5);
  CHECK(empty.asc() == 0x3B);
  CHECK(empty.ascq() == 0x0E);
  auto full = f.run(move_medium(0x1000, 0x1001));
  CHECK(full.asc() == 0x3B);
  CHECK(full.ascq() == 0x0D);
  auto bad = f.run(move_medium(0x1000, 0x0102));
  CHECK(bad.asc() == 0x21);
  CHECK(bad.ascq() == 0x01);
  auto bad_transport = f.run(move_medium(0x1000, 0x1003, 0x1002));
  CHECK(bad_transport.asc() == 0x21);
  auto invert = move_medium(0x1000, 0x1003);
  invert[10] = 0x01;
  CHECK(f.run(invert).asc() == 0x24);
  // The drive refuses the unload: an initiator prevents medium removal.
  REQUIRE(f.run(move_medium(0x1000, 0x0100)).good());
  auto held = f.run(move_medium(0x0100, 0x1000), -EBUSY);
  CHECK(held.key() == 0x5);
  CHECK(held.asc() == 0x53);
  CHECK(held.ascq() == 0x02);
  CHECK_FALSE(held.persist);
  CHECK(has_element(f.c, 0x0100, "A00001L6"));
  auto broken = f.run(move_medium(0x1001, 0x0101), -ENODEV);
  CHECK(broken.key() == 0x4);
  CHECK(has_element(f.c, 0x1001, "A00002L6"));
  auto corrupt = f.run(move_medium(0x1001, 0x0101), -EINVAL);
  CHECK(corrupt.key() == 0x3);
  CHECK(corrupt.asc() == 0x31);
}

TEST_CASE("changer_prevent_closes_the_import_export_element", "[smc][prevent]") {
  changer_fixture f;
  REQUIRE(f.run({0x1E, 0, 0, 0, 0x01, 0}).good());
  auto out = f.run(move_medium(0x1000, 0x0010));
  CHECK(out.key() == 0x5);
  CHECK(out.asc() == 0x53);
  CHECK(out.ascq() == 0x02);
  CHECK(f.run(move_medium(0x1000, 0x0100)).good());  // drives and slots stay reachable
  f.nexus = 2;                                       // another nexus allowing removal does not end the first's PREVENT
  REQUIRE(f.run({0x1E, 0, 0, 0, 0x00, 0}).good());
  CHECK(f.run(move_medium(0x1001, 0x0010)).asc() == 0x53);
  f.c.nexus_gone(1);
  CHECK(f.run(move_medium(0x1001, 0x0010)).good());
  f.nexus = 1;
  REQUIRE(f.run({0x1E, 0, 0, 0, 0x01, 0}).good());
  f.c.reset();
  CHECK(f.run(move_medium(0x0010, 0x1001)).good());
  auto reserved = f.run({0x1E, 0, 0, 0, 0x02, 0});  // PREVENT 10b is not a changer value
  CHECK(reserved.asc() == 0x24);
}

TEST_CASE("changer_element_status_commands", "[smc][init]") {
  changer_fixture f;
  CHECK(f.run({0x07, 0, 0, 0, 0, 0}).good());
  CHECK(f.run({0x37, 0x01, 0x10, 0x00, 0, 0, 0, 4, 0, 0}).good());
  auto bad = f.run({0x37, 0x01, 0x20, 0x00, 0, 0, 0, 4, 0, 0});
  CHECK(bad.asc() == 0x21);
  CHECK(f.run({0x37, 0x00, 0x20, 0x00, 0, 0, 0, 4, 0, 0}).good());  // RANGE 0: every element
  CHECK(f.run({0x2B, 0, 0, 0, 0x01, 0x00, 0, 0, 0, 0}).good());
  CHECK(f.run({0x2B, 0, 0, 0, 0x01, 0x07, 0, 0, 0, 0}).asc() == 0x21);
  CHECK(f.run({0x2B, 0, 0, 0, 0x01, 0x00, 0, 0, 0x01, 0}).asc() == 0x24);
}

TEST_CASE("changer_persistent_state_restores_into_a_new_core", "[smc][persist]") {
  changer_fixture f;
  REQUIRE(f.run(move_medium(0x1000, 0x0010)).good());
  REQUIRE(f.run(move_medium(0x1002, 0x0101)).good());
  auto saved = f.c.persistent_state();
  changer next(changer_fixture::make_id(), small_library());
  REQUIRE(next.restore(saved));
  CHECK(next.adopt_drives({"", ""}));  // the drives restarted empty (a daemon restart)
  CHECK(has_element(next, 0x0010, "A00001L6"));
  CHECK(has_element(next, 0x1002, "A00003L6"));  // the drive's cartridge is back in its home slot
  CHECK_FALSE(next.map().find(0x0101)->full());
}

TEST_CASE("changer_commands_during_a_move_leave_it_alone", "[smc][move]") {
  changer_fixture f;
  // MOVE MEDIUM slot -> drive: execute returns the drive operation; before
  // it completes a TEST UNIT READY and an INQUIRY run (ser_class::none).
  auto cdb = move_medium(0x1000, 0x0100);
  lu_command cmd;
  cmd.nexus = 1;
  cmd.cdb = cdb.data();
  cmd.cdb_len = cdb.size();
  std::vector<uint8_t> scratch(lu_core::min_data_in_cap);
  lu_outcome planned = f.c.execute(cmd, scratch.data(), scratch.size());
  REQUIRE(planned.drive_ops.size() == 1);
  CHECK(f.run({0x00, 0, 0, 0, 0, 0}).good());
  CHECK(f.run({0x12, 0, 0, 0, 96, 0}).good());
  lu_outcome done = f.c.finish(cmd, planned, 0, 0, nullptr);
  CHECK(done.status == scsi::status::good);
  CHECK(done.persist);
  CHECK(has_element(f.c, 0x0100, "A00001L6"));
}

namespace {
bytes exchange_medium(uint16_t src, uint16_t dst1, uint16_t dst2, uint16_t transport = 0) {
  bytes b(12, 0);
  b[0] = 0xA6;
  scsi::put_be16(&b[2], transport);
  scsi::put_be16(&b[4], src);
  scsi::put_be16(&b[6], dst1);
  scsi::put_be16(&b[8], dst2);
  return b;
}
}  // namespace

TEST_CASE("changer_exchange_between_slots_and_import_export", "[smc][exchange]") {
  changer_fixture f;
  auto r = f.run(exchange_medium(0x1000, 0x1001, 0x0010));
  REQUIRE(r.good());
  CHECK(r.ops.empty());
  CHECK(r.persist);
  CHECK(has_element(f.c, 0x1001, "A00001L6"));
  CHECK(has_element(f.c, 0x0010, "A00002L6"));
  CHECK_FALSE(f.c.map().find(0x1000)->full());
  // A swap through the source.
  REQUIRE(f.run(exchange_medium(0x1001, 0x1002, 0x1001)).good());
  CHECK(has_element(f.c, 0x1002, "A00001L6"));
  CHECK(has_element(f.c, 0x1001, "A00003L6"));
}

TEST_CASE("changer_exchange_with_drives_unloads_then_loads", "[smc][exchange]") {
  changer_fixture f;
  REQUIRE(f.run(move_medium(0x1000, 0x0100)).good());
  // The slot's cartridge goes into drive 0, the drive's back to the slot.
  auto r = f.run(exchange_medium(0x1001, 0x0100, 0x1001));
  REQUIRE(r.good());
  REQUIRE(r.ops.size() == 2);
  CHECK(r.ops[0].what == lu_outcome::drive_op::op::unload);
  CHECK(r.ops[0].drive == 0);
  CHECK(r.ops[1].what == lu_outcome::drive_op::op::load);
  CHECK(r.ops[1].drive == 0);
  CHECK(r.ops[1].barcode == "A00002L6");
  CHECK(has_element(f.c, 0x0100, "A00002L6"));
  CHECK(has_element(f.c, 0x1001, "A00001L6"));
  // Drive to drive with the displaced cartridge going to a slot: unload
  // drive 0... (source), unload drive 1 (first destination), load drive 1.
  REQUIRE(f.run(move_medium(0x1002, 0x0101)).good());
  auto d = f.run(exchange_medium(0x0100, 0x0101, 0x1003));
  REQUIRE(d.good());
  REQUIRE(d.ops.size() == 3);
  CHECK(d.ops[0].what == lu_outcome::drive_op::op::unload);
  CHECK(d.ops[0].drive == 0);
  CHECK(d.ops[1].what == lu_outcome::drive_op::op::unload);
  CHECK(d.ops[1].drive == 1);
  CHECK(d.ops[2].what == lu_outcome::drive_op::op::load);
  CHECK(d.ops[2].drive == 1);
  CHECK(d.ops[2].barcode == "A00002L6");
  CHECK(has_element(f.c, 0x0101, "A00002L6"));
  CHECK(has_element(f.c, 0x1003, "A00003L6"));
}

TEST_CASE("changer_exchange_refusals_leave_the_map_alone", "[smc][exchange]") {
  changer_fixture f;
  auto empty_source = f.run(exchange_medium(0x1003, 0x1000, 0x0010));
  CHECK(empty_source.key() == 0x5);
  CHECK(empty_source.asc() == 0x3B);
  CHECK(empty_source.ascq() == 0x0E);
  auto empty_first = f.run(exchange_medium(0x1000, 0x1003, 0x0010));
  CHECK(empty_first.asc() == 0x3B);
  CHECK(empty_first.ascq() == 0x0E);
  auto full_second = f.run(exchange_medium(0x1000, 0x1001, 0x1002));
  CHECK(full_second.asc() == 0x3B);
  CHECK(full_second.ascq() == 0x0D);
  CHECK(f.run(exchange_medium(0x1000, 0x1001, 0x0102)).asc() == 0x21);
  CHECK(f.run(exchange_medium(0x1000, 0x1000, 0x1003)).asc() == 0x21);
  CHECK(f.run(exchange_medium(0x1000, 0x1001, 0x1003, 0x1002)).asc() == 0x21);
  auto inv2 = exchange_medium(0x1000, 0x1001, 0x1003);
  inv2[10] = 0x02;
  auto inv = f.run(inv2);
  CHECK(inv.asc() == 0x24);
  CHECK(inv.sense[15] == (0x80 | 0x40 | 0x08 | 1));  // SKSV, C/D, BPV, bit 1
  CHECK(scsi::get_be16(&inv.sense[16]) == 10);
  CHECK(f.run(exchange_medium(0x1000, 0x1001, 0x1003, 0x1002)).key() == 0x5);
  // The import/export element is closed while an initiator prevents removal.
  REQUIRE(f.run({0x1E, 0, 0, 0, 0x01, 0}).good());
  CHECK(f.run(exchange_medium(0x1000, 0x1001, 0x0010)).asc() == 0x53);
  REQUIRE(f.run({0x1E, 0, 0, 0, 0x00, 0}).good());
  // A drive that refuses its unload: nothing moves.
  REQUIRE(f.run(move_medium(0x1000, 0x0100)).good());
  auto held = f.run(exchange_medium(0x1001, 0x0100, 0x1001), -EBUSY);
  CHECK(held.asc() == 0x53);
  CHECK_FALSE(held.persist);
  CHECK(has_element(f.c, 0x0100, "A00001L6"));
  CHECK(has_element(f.c, 0x1001, "A00002L6"));
  CHECK(has_element(f.c, 0x1002, "A00003L6"));
}
