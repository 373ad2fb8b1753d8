#include <catch2/catch.hpp>

#include <cstring>

#include "disk_fixture.hpp"
#include "wire/scsi/cdb.hpp"

using namespace sbd_test;
using stmfd::byte_range;
using stmfd::extent_record;
using stmfd::sbd::io_step;
using stmfd::sbd::outcome;
namespace scsi = stmfd::scsi;

namespace {

// An UNMAP parameter list with (lba, blocks) descriptors (SBC-3 5.28.2).
bytes unmap_list(std::initializer_list<std::pair<uint64_t, uint32_t>> ds) {
  bytes b(8 + 16 * ds.size(), 0);
  scsi::put_be16(b.data(), uint16_t(b.size() - 2));
  scsi::put_be16(b.data() + 2, uint16_t(16 * ds.size()));
  size_t i = 0;
  for (auto [lba, n] : ds) {
    scsi::put_be64(b.data() + 8 + 16 * i, lba);
    scsi::put_be32(b.data() + 8 + 16 * i + 8, n);
    ++i;
  }
  return b;
}

bool is_lba_oob(const result& r) { return is_check(r, scsi::sense::lba_out_of_range()); }

}  // namespace

TEST_CASE("unmap_plans_one_deallocate_over_every_descriptor", "[sbd][unmap]") {
  fixture f(test_thin_geometry());
  auto list = unmap_list({{10, 4}, {0, 0}, {999, 1}});
  auto r = f.run({0x42, 0, 0, 0, 0, 0, 0, 0, uint8_t(list.size()), 0}, list);
  REQUIRE(r.o.what == outcome::kind::io);
  REQUIRE(r.o.nsteps == 1);
  CHECK(r.o.steps[0].kind == io_step::op::deallocate);
  REQUIRE(r.o.ranges.size() == 2);  // the 0-block descriptor is dropped
  CHECK(r.o.ranges[0].offset == 10 * 512);
  CHECK(r.o.ranges[0].length == 4 * 512);
  CHECK(r.o.ranges[1].offset == 999 * 512);
  CHECK(r.o.ranges[1].length == 512);
}

TEST_CASE("unmap_empty_lists_are_good_without_io", "[sbd][unmap]") {
  fixture f(test_thin_geometry());
  CHECK(is_good(f.run({0x42, 0, 0, 0, 0, 0, 0, 0, 0, 0})));  // PARAMETER LIST LENGTH 0
  auto none = unmap_list({});
  CHECK(is_good(f.run({0x42, 0, 0, 0, 0, 0, 0, 0, 8, 0}, none)));
  auto zero = unmap_list({{1000, 0}});  // 0 blocks at the end of the LU
  CHECK(is_good(f.run({0x42, 0, 0, 0, 0, 0, 0, 0, 24, 0}, zero)));
}

TEST_CASE("unmap_beyond_eol", "[sbd][unmap]") {
  fixture f(test_thin_geometry());
  auto past = unmap_list({{999, 2}});
  CHECK(is_lba_oob(f.run({0x42, 0, 0, 0, 0, 0, 0, 0, 24, 0}, past)));
  auto wrap = unmap_list({{~uint64_t(0), 2}});
  CHECK(is_lba_oob(f.run({0x42, 0, 0, 0, 0, 0, 0, 0, 24, 0}, wrap)));
  auto zero_past = unmap_list({{1001, 0}});
  CHECK(is_lba_oob(f.run({0x42, 0, 0, 0, 0, 0, 0, 0, 24, 0}, zero_past)));
}

TEST_CASE("unmap_short_parameter_list_and_limits", "[sbd][unmap]") {
  fixture f(test_thin_geometry(1u << 24));
  CHECK(is_check(f.run({0x42, 0, 0, 0, 0, 0, 0, 0, 4, 0}, bytes(4)), scsi::sense::parameter_list_length_error()));
  // More blocks than MAXIMUM UNMAP LBA COUNT (2^20).
  auto big = unmap_list({{0, (1u << 20)}, {(1u << 20), 1}});
  CHECK(is_invalid_param(f.run({0x42, 0, 0, 0, 0, 0, 0, 0, 40, 0}, big), 32));  // the 2nd NUMBER OF BLOCKS
  // More than 256 descriptors.
  bytes many(8 + 16 * 257, 0);
  scsi::put_be16(many.data() + 2, 16 * 257);
  CHECK(is_invalid_param(f.run({0x42, 0, 0, 0, 0, 0, 0, uint8_t(many.size() >> 8), uint8_t(many.size()), 0}, many), 2));
}

TEST_CASE("unmap_anchor_and_thick_lu", "[sbd][unmap]") {
  fixture thin(test_thin_geometry());
  auto list = unmap_list({{0, 1}});
  CHECK(is_invalid_field(thin.run({0x42, 0x01, 0, 0, 0, 0, 0, 0, 24, 0}, list), 1, 0));  // ANCHOR
  fixture thick;
  CHECK(is_check(thick.run({0x42, 0, 0, 0, 0, 0, 0, 0, 24, 0}, list), scsi::sense::invalid_opcode()));
  // SERVICE ACTION IN(16) exists: an unsupported service action is INVALID FIELD IN CDB (SPC-4 4.2.5.1).
  CHECK(is_invalid_field(thick.run({0x9E, 0x12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 24, 0, 0}), 1, 4));
}

TEST_CASE("write_same_plans_the_block_over_the_range", "[sbd][write_same]") {
  fixture f(test_thin_geometry());
  auto r = f.run({0x41, 0, 0, 0, 0, 5, 0, 0, 3, 0}, bytes(512, 0xA6));
  REQUIRE(r.o.what == outcome::kind::io);
  REQUIRE(r.o.nsteps == 1);
  CHECK(r.o.steps[0].kind == io_step::op::write_same);
  CHECK(r.o.steps[0].length == 512);
  CHECK(r.o.steps[0].buf_offset == 0);
  CHECK_FALSE(r.o.steps[0].fua);
  REQUIRE(r.o.ranges.size() == 1);
  CHECK(r.o.ranges[0].offset == 5 * 512);
  CHECK(r.o.ranges[0].length == 3 * 512);
  // UNMAP deallocates whatever the block holds (it then reads as zeros).
  r = f.run({0x93, 0x08, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 3, 0, 0}, bytes(512, 0xA6));
  REQUIRE(r.o.what == outcome::kind::io);
  CHECK(r.o.steps[0].kind == io_step::op::deallocate);
}

TEST_CASE("write_same_unmap_deallocates", "[sbd][write_same]") {
  fixture f(test_thin_geometry());
  auto r = f.run({0x41, 0x08, 0, 0, 0, 5, 0, 0, 3, 0}, bytes(512, 0));
  REQUIRE(r.o.what == outcome::kind::io);
  CHECK(r.o.steps[0].kind == io_step::op::deallocate);
  REQUIRE(r.o.ranges.size() == 1);
  CHECK(r.o.ranges[0].offset == 5 * 512);
  // NDOB (WRITE SAME(16) only): no Data-Out, zeros; with UNMAP deallocated,
  // without written as zeros (a write_same step of length 0).
  r = f.run({0x93, 0x09, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 3, 0, 0});
  REQUIRE(r.o.what == outcome::kind::io);
  CHECK(r.o.steps[0].kind == io_step::op::deallocate);
  r = f.run({0x93, 0x01, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 3, 0, 0});
  REQUIRE(r.o.what == outcome::kind::io);
  CHECK(r.o.steps[0].kind == io_step::op::write_same);
  CHECK(r.o.steps[0].length == 0);
  CHECK(is_invalid_field(f.run({0x41, 0x01, 0, 0, 0, 5, 0, 0, 3, 0}, bytes(512)), 1, 0));  // no NDOB in (10)
}

TEST_CASE("write_same_zero_blocks_runs_to_the_end_within_the_limit", "[sbd][write_same]") {
  fixture small(test_thin_geometry(1000));
  auto r = small.run({0x41, 0, 0, 0, 0x03, 0xE0, 0, 0, 0, 0}, bytes(512, 1));  // LBA 992, 0 blocks
  REQUIRE(r.o.what == outcome::kind::io);
  CHECK(r.o.ranges[0].offset == 992 * 512);
  CHECK(r.o.ranges[0].length == 8 * 512);
  CHECK(is_good(small.run({0x41, 0, 0, 0, 0x03, 0xE8, 0, 0, 0, 0}, bytes(512, 1))));  // at the end: nothing
  // 2^20 blocks: more than MAXIMUM WRITE SAME LENGTH (16 MiB = 32768 blocks).
  fixture big(test_thin_geometry(1u << 20));
  CHECK(is_invalid_field(big.run({0x41, 0, 0, 0, 0, 0, 0, 0, 0, 0}, bytes(512, 1)), 7));
  CHECK(is_invalid_field(big.run({0x93, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80, 1, 0, 0}, bytes(512, 1)), 10));
  CHECK(big.run({0x93, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80, 0, 0, 0}, bytes(512, 1)).o.what == outcome::kind::io);
}

TEST_CASE("write_same_beyond_eol_and_bad_data_out", "[sbd][write_same]") {
  fixture f(test_thin_geometry());
  CHECK(is_lba_oob(f.run({0x41, 0, 0, 0, 0x03, 0xE9, 0, 0, 0, 0}, bytes(512))));  // 1001, 0 blocks
  CHECK(is_lba_oob(f.run({0x41, 0, 0, 0, 0x03, 0xE7, 0, 0, 2, 0}, bytes(512))));
  CHECK(is_lba_oob(f.run({0x41, 0, 0x80, 0, 0, 0, 0, 0, 1, 0}, bytes(512))));
  CHECK(is_check(f.run({0x41, 0, 0, 0, 0, 0, 0, 0, 1, 0}, bytes(256)), scsi::sense::invalid_field_in_cdb()));
  CHECK(is_check(f.run({0x41, 0, 0, 0, 0, 0, 0, 0, 1, 0}, bytes(1024)), scsi::sense::invalid_field_in_cdb()));
  CHECK(is_check(f.run({0x41, 0, 0, 0, 0, 0, 0, 0, 1, 0}), scsi::sense::invalid_field_in_cdb()));
  CHECK(is_invalid_field(f.run({0x41, 0x10, 0, 0, 0, 0, 0, 0, 1, 0}, bytes(512)), 1, 4));  // ANCHOR
}

TEST_CASE("write_same_unmap_on_thick_lu_and_write_protect", "[sbd][write_same]") {
  fixture thick;
  CHECK(is_invalid_field(thick.run({0x41, 0x08, 0, 0, 0, 0, 0, 0, 1, 0}, bytes(512)), 1, 3));
  CHECK(thick.run({0x41, 0, 0, 0, 0, 0, 0, 0, 1, 0}, bytes(512)).o.what == outcome::kind::io);
  auto g = test_thin_geometry();
  g.read_only = true;
  fixture ro(g);
  CHECK(is_check(ro.run({0x41, 0, 0, 0, 0, 0, 0, 0, 1, 0}, bytes(512)), scsi::sense::write_protected()));
  CHECK(is_check(ro.run({0x42, 0, 0, 0, 0, 0, 0, 0, 24, 0}, unmap_list({{0, 1}})), scsi::sense::write_protected()));
}

TEST_CASE("write_same_with_write_cache_off_is_stable", "[sbd][write_same]") {
  fixture f(test_thin_geometry(), false);
  auto r = f.run({0x41, 0, 0, 0, 0, 0, 0, 0, 1, 0}, bytes(512, 3));
  REQUIRE(r.o.what == outcome::kind::io);
  CHECK(r.o.steps[0].fua);
}

TEST_CASE("get_lba_status_plans_map_extents_from_the_lba", "[sbd][lba_status]") {
  fixture f(test_thin_geometry());
  auto r = f.run({0x9E, 0x12, 0, 0, 0, 0, 0, 0, 0, 100, 0, 0, 0, 56, 0, 0});  // 3 descriptors
  REQUIRE(r.o.what == outcome::kind::io);
  REQUIRE(r.o.nsteps == 1);
  CHECK(r.o.steps[0].kind == io_step::op::map_extents);
  CHECK(r.o.steps[0].length == 4 * sizeof(extent_record));
  CHECK(r.o.data_in);
  REQUIRE(r.o.ranges.size() == 1);
  CHECK(r.o.ranges[0].offset == 100 * 512);
  CHECK(r.o.ranges[0].length == 900 * 512);
  CHECK(is_lba_oob(f.run({0x9E, 0x12, 0, 0, 0, 0, 0, 0, 0x03, 0xE8, 0, 0, 0, 24, 0, 0})));  // 1000
  CHECK(is_lba_oob(f.run({0x9E, 0x12, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 24, 0, 0})));
  CHECK(is_good(f.run({0x9E, 0x12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})));  // ALLOCATION LENGTH 0
}

TEST_CASE("get_lba_status_reports_the_records_as_descriptors", "[sbd][lba_status]") {
  fixture f(test_thin_geometry());
  bytes c = {0x9E, 0x12, 0, 0, 0, 0, 0, 0, 0, 100, 0, 0, 0, 56, 0, 0};
  stmfd::sbd::command cmd;
  cmd.cdb = c.data();
  cmd.cdb_len = c.size();
  cmd.expected_length = 56;
  bytes scratch(stmfd::sbd::disk::min_data_in_cap);
  auto plan = f.d.execute(cmd, scratch.data(), scratch.size());
  REQUIRE(plan.what == outcome::kind::io);
  bytes buffer(plan.buffer_len, 0xEE);
  // What the framework found: 8 blocks mapped, then a hole to the end.
  extent_record recs[2] = {{100 * 512, 8 * 512, 1, {}}, {108 * 512, 892 * 512, 0, {}}};
  std::memcpy(buffer.data() + plan.steps[0].buf_offset, recs, sizeof recs);
  std::memset(buffer.data() + plan.steps[0].buf_offset + sizeof recs, 0, sizeof(extent_record));
  auto o = f.d.finish_mapped(cmd, plan, 0, 0, buffer.data());
  REQUIRE(o.status == scsi::status::good);
  REQUIRE(o.data_in_len == 8 + 2 * 16);
  CHECK(scsi::get_be32(buffer.data()) == 4 + 2 * 16);  // PARAMETER DATA LENGTH
  CHECK(scsi::get_be64(buffer.data() + 8) == 100);
  CHECK(scsi::get_be32(buffer.data() + 16) == 8);
  CHECK(buffer[20] == 0);  // mapped
  CHECK(scsi::get_be64(buffer.data() + 24) == 108);
  CHECK(scsi::get_be32(buffer.data() + 32) == 892);
  CHECK(buffer[36] == 1);  // deallocated
  // An I/O error is reported like any other.
  auto e = f.d.finish_mapped(cmd, plan, -EIO, 0, buffer.data());
  CHECK(e.status == scsi::status::check_condition);
}

TEST_CASE("thin_lu_reports_lbpme_lbprz_and_the_provisioning_pages", "[sbd][provisioning]") {
  fixture f(test_thin_geometry());
  auto r = f.run({0x9E, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0});  // READ CAPACITY(16)
  REQUIRE(is_good(r));
  CHECK(r.data[14] == 0xC0);  // LBPME, LBPRZ
  fixture thick;
  r = thick.run({0x9E, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0});
  REQUIRE(is_good(r));
  CHECK(r.data[14] == 0x00);

  r = f.run({0x12, 1, 0xB2, 0, 0xFF, 0});
  REQUIRE(is_good(r));
  CHECK(r.data == bytes{0, 0xB2, 0, 0x04, 0, 0xE4, 0x02, 0});  // LBPU LBPWS LBPWS10 LBPRZ, thin

  r = f.run({0x12, 1, 0xB0, 0, 0xFF, 0});
  REQUIRE(is_good(r));
  REQUIRE(r.data.size() == 64);
  CHECK(r.data[4] == 0);                                    // WSNZ
  CHECK(r.data[5] == 255);                                  // MAXIMUM COMPARE AND WRITE LENGTH
  CHECK(scsi::get_be32(r.data.data() + 20) == (1u << 20));  // MAXIMUM UNMAP LBA COUNT
  CHECK(scsi::get_be32(r.data.data() + 24) == 256);         // MAXIMUM UNMAP BLOCK DESCRIPTOR COUNT
  CHECK(scsi::get_be32(r.data.data() + 28) == 8);           // OPTIMAL UNMAP GRANULARITY: 4 KiB
  CHECK(scsi::get_be64(r.data.data() + 36) == 32768);       // MAXIMUM WRITE SAME LENGTH: 16 MiB
}

TEST_CASE("rsoc_lists_unmap_and_get_lba_status_only_when_thin", "[sbd][provisioning]") {
  auto supported = [](fixture& f, uint8_t opcode, uint16_t sa, bool with_sa) {
    // REPORTING OPTIONS 001b (one opcode) or 010b (opcode + service action).
    auto r = f.run({0xA3, 0x0C, uint8_t(with_sa ? 2 : 1), opcode, uint8_t(sa >> 8), uint8_t(sa), 0, 0, 0x01, 0, 0, 0});
    REQUIRE(is_good(r));
    return (r.data[1] & 0x07) == 0x03;  // SUPPORT: supported per the standard
  };
  fixture thin(test_thin_geometry());
  fixture thick;
  CHECK(supported(thin, 0x42, 0, false));
  CHECK(supported(thin, 0x9E, 0x12, true));
  CHECK_FALSE(supported(thick, 0x42, 0, false));
  CHECK_FALSE(supported(thick, 0x9E, 0x12, true));
  for (uint8_t op : {0x34, 0x41, 0x89, 0x90, 0x93}) {
    CHECK(supported(thin, op, 0, false));
    CHECK(supported(thick, op, 0, false));
  }
}
