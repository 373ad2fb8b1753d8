#include <catch2/catch.hpp>

#include "disk_fixture.hpp"

using namespace sbd_test;
using stmfd::sbd::io_step;
using stmfd::sbd::outcome;
namespace sense = stmfd::scsi;

namespace {
bool is_lba_oob(const result& r) { return is_check(r, sense::sense::lba_out_of_range()); }
}  // namespace

TEST_CASE("read10_plans_one_read_into_data_in", "[sbd][rw]") {
  fixture f;
  auto r = f.run({0x28, 0, 0, 0, 0, 10, 0, 0, 4, 0});
  REQUIRE(r.o.what == outcome::kind::io);
  REQUIRE(r.o.nsteps == 1);
  CHECK(r.o.steps[0].kind == io_step::op::read);
  CHECK(r.o.steps[0].offset == 10 * 512);
  CHECK(r.o.steps[0].length == 4 * 512);
  CHECK(r.o.steps[0].buf_offset == 0);
  CHECK_FALSE(r.o.steps[0].fua);
  CHECK(r.o.buffer_len == 4 * 512);
  CHECK(r.o.data_in);
}

TEST_CASE("read6_zero_length_reads_256_blocks", "[sbd][rw]") {
  fixture f;
  auto r = f.run({0x08, 0, 0, 0, 0, 0});
  REQUIRE(r.o.what == outcome::kind::io);
  CHECK(r.o.buffer_len == 256 * 512);
  CHECK(r.o.steps[0].length == 256 * 512);
}

TEST_CASE("read_zero_blocks_is_good_without_io", "[sbd][rw]") {
  fixture f;
  CHECK(is_good(f.run({0x28, 0, 0, 0, 0, 0, 0, 0, 0, 0})));
  CHECK(is_good(f.run({0xA8, 0, 0, 0, 0x03, 0xE8, 0, 0, 0, 0, 0, 0})));  // at the end
  CHECK(is_good(f.run({0x88, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})));
  CHECK(is_good(f.run({0x2A, 0, 0, 0, 0, 0, 0, 0, 0, 0})));
}

TEST_CASE("read_beyond_eol", "[sbd][rw]") {
  fixture f;                                                                // 1000 blocks
  CHECK(is_lba_oob(f.run({0x28, 0, 0, 0, 0x03, 0xE8, 0, 0, 1, 0})));        // 1000 + 1
  CHECK(is_lba_oob(f.run({0x28, 0, 0, 0, 0x03, 0xE7, 0, 0, 2, 0})));        // 999 + 2
  CHECK(is_lba_oob(f.run({0x28, 0, 0, 0, 0x03, 0xE9, 0, 0, 0, 0})));        // 0 blocks past the end
  CHECK(is_lba_oob(f.run({0x28, 0, 0x80, 0, 0, 0, 0, 0, 1, 0})));           // 2^31
  CHECK(is_lba_oob(f.run({0x28, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 1, 0, 0})));  // -1, 256 blocks
  CHECK(is_lba_oob(f.run({0x88, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 2, 0, 0})));
  CHECK(is_lba_oob(f.run({0x08, 0x1F, 0xFF, 0xFF, 1, 0})));                           // READ6 at 1FFFFFh
  CHECK(f.run({0x28, 0, 0, 0, 0x03, 0xE7, 0, 0, 1, 0}).o.what == outcome::kind::io);  // last block
}

TEST_CASE("read_protect_and_reserved_bits_point_at_field", "[sbd][rw]") {
  fixture f;
  for (uint8_t p = 1; p < 8; ++p) {
    auto r = f.run({0x28, uint8_t(p << 5), 0, 0, 0, 0, 0, 0, 1, 0});
    CHECK(is_invalid_field(r, 1, int8_t(p >= 4 ? 7 : p >= 2 ? 6 : 5)));
  }
  CHECK(is_invalid_field(f.run({0x28, 0x04, 0, 0, 0, 0, 0, 0, 1, 0}), 1, 2));              // RARC
  CHECK(is_invalid_field(f.run({0x2A, 0x20, 0, 0, 0, 0, 0, 0, 1, 0}, bytes(512)), 1, 5));  // WRPROTECT
  CHECK(is_invalid_field(f.run({0x28, 0, 0, 0, 0, 0, 0x20, 0, 1, 0}), 6, 5));
  CHECK(is_invalid_field(f.run({0x08, 0, 0, 0, 1, 0x01}), 5, 0));  // LINK
}

TEST_CASE("dpo_fua_accepted_and_fua_forces_stable_write", "[sbd][rw]") {
  fixture f;
  auto r = f.run({0x28, 0x18, 0, 0, 0, 0, 0, 0, 1, 0});
  REQUIRE(r.o.what == outcome::kind::io);
  CHECK(r.o.steps[0].fua);
  r = f.run({0x2A, 0x10, 0, 0, 0, 1, 0, 0, 1, 0}, bytes(512, 7));
  REQUIRE(r.o.what == outcome::kind::io);
  CHECK(r.o.steps[0].kind == io_step::op::write);
  CHECK(r.o.steps[0].offset == 512);
  CHECK(r.o.steps[0].length == 512);
  CHECK_FALSE(r.o.steps[0].fua);
  CHECK(r.o.buffer_len == 0);
  CHECK_FALSE(r.o.data_in);
  r = f.run({0x8A, 0x08, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0}, bytes(1024, 7));
  REQUIRE(r.o.what == outcome::kind::io);
  CHECK(r.o.steps[0].fua);
  CHECK(r.o.steps[0].offset == 1024);
}

TEST_CASE("write_cache_disabled_makes_every_write_stable", "[sbd][rw]") {
  fixture f(test_geometry(), false);
  auto r = f.run({0x2A, 0, 0, 0, 0, 0, 0, 0, 1, 0}, bytes(512));
  REQUIRE(r.o.what == outcome::kind::io);
  CHECK(r.o.steps[0].fua);
}

TEST_CASE("write_on_read_only_lu", "[sbd][rw]") {
  auto g = test_geometry();
  g.read_only = true;
  fixture f(g);
  CHECK(is_check(f.run({0x2A, 0, 0, 0, 0, 0, 0, 0, 1, 0}, bytes(512)), sense::sense::write_protected()));
  CHECK(is_check(f.run({0x0A, 0, 0, 0, 1, 0}, bytes(512)), sense::sense::write_protected()));
  CHECK(is_check(f.run({0x2E, 0, 0, 0, 0, 0, 0, 0, 1, 0}, bytes(512)), sense::sense::write_protected()));
  CHECK(f.run({0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0}).o.what == outcome::kind::io);
}

TEST_CASE("write_with_short_data_out_writes_whole_blocks_received", "[sbd][rw]") {
  fixture f;
  // libiscsi iSCSIResiduals: EDTL < SCSI transfer length -> GOOD, only the
  // Data-Out received is written, the transport reports the overflow.
  auto r = f.run({0x2A, 0, 0, 0, 0, 4, 0, 0, 2, 0}, bytes(512 + 100));
  REQUIRE(r.o.what == outcome::kind::io);
  CHECK(r.o.steps[0].offset == 4 * 512);
  CHECK(r.o.steps[0].length == 512);
  CHECK(r.o.transfer_length == 1024);
  r = f.run({0xAA, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0});  // EDTL 0
  CHECK(is_good(r));
  CHECK(r.o.transfer_length == 512);
  r = f.run({0x8A, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0}, bytes(200));  // less than a block
  CHECK(is_good(r));
  CHECK(r.o.transfer_length == 512);
  r = f.run({0x2A, 0, 0, 0, 0, 0, 0, 0, 1, 0}, bytes(10000));  // EDTL above: one block written
  REQUIRE(r.o.what == outcome::kind::io);
  CHECK(r.o.steps[0].length == 512);
  CHECK(r.o.transfer_length == 512);
  CHECK(is_lba_oob(f.run({0x2A, 0, 0, 0, 0x03, 0xE8, 0, 0, 1, 0})));  // range still checked first
}

TEST_CASE("read_reports_transfer_length", "[sbd][rw]") {
  fixture f;
  CHECK(f.run({0x28, 0, 0, 0, 0, 0, 0, 0, 3, 0}).o.transfer_length == 3 * 512);
  CHECK(f.run({0x12, 0, 0, 0, 0xFF, 0}).o.transfer_length == 0);  // non-medium: use data_in_len
}

TEST_CASE("transfer_above_maximum_transfer_length", "[sbd][rw]") {
  fixture f(test_geometry(1 << 20));  // max 2048 blocks
  CHECK(f.run({0x28, 0, 0, 0, 0, 0, 0, 0x08, 0x00, 0}).o.what == outcome::kind::io);
  CHECK(is_invalid_field(f.run({0x28, 0, 0, 0, 0, 0, 0, 0x08, 0x01, 0}), 7));
  CHECK(is_invalid_field(f.run({0x88, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0}), 10));
}

TEST_CASE("unknown_opcode_and_short_cdb", "[sbd][rw]") {
  fixture f;
  CHECK(is_check(f.run({0xC0, 0, 0, 0, 0, 0}), sense::sense::invalid_opcode()));
  CHECK(is_check(f.run({0xA7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}), sense::sense::invalid_opcode()));
  bytes c = {0x28, 0, 0, 0, 0, 0};
  stmfd::sbd::command cmd;
  cmd.cdb = c.data();
  cmd.cdb_len = c.size();
  bytes out(stmfd::sbd::disk::min_data_in_cap);
  auto o = f.d.execute(cmd, out.data(), out.size());
  CHECK(o.status == sense::status::check_condition);
  CHECK(o.sense->code == sense::sense::invalid_field_in_cdb());
  cmd.cdb = nullptr;
  cmd.cdb_len = 0;
  o = f.d.execute(cmd, out.data(), out.size());
  CHECK(o.sense->code == sense::sense::invalid_opcode());
}
