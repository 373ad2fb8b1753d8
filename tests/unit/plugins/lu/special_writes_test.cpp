#include <catch2/catch.hpp>

#include <cerrno>

#include "disk_fixture.hpp"
#include "wire/scsi/cdb.hpp"

using namespace sbd_test;
using stmfd::sbd::io_step;
using stmfd::sbd::outcome;
namespace scsi = stmfd::scsi;

namespace {

bool is_lba_oob(const result& r) { return is_check(r, scsi::sense::lba_out_of_range()); }

// COMPARE AND WRITE of n blocks at lba (SBC-3 5.2).
bytes caw_cdb(uint64_t lba, uint8_t n, uint8_t flags = 0) {
  bytes c(16, 0);
  c[0] = 0x89;
  c[1] = flags;
  scsi::put_be64(c.data() + 2, lba);
  c[13] = n;
  return c;
}

struct caw_run {
  outcome planned, finished;
};

// Executes a COMPARE AND WRITE, "reads" `medium` for its read step, runs the
// compare the way the framework does (-io_miscompare on a difference) and
// calls finish().
caw_run run_caw(fixture& f, const bytes& cdb, const bytes& data_out, const bytes& medium) {
  stmfd::sbd::command cmd;
  cmd.cdb = cdb.data();
  cmd.cdb_len = cdb.size();
  cmd.expected_length = uint32_t(data_out.size());
  cmd.data_out = data_out.data();
  cmd.data_out_len = uint32_t(data_out.size());
  bytes scratch(stmfd::sbd::disk::min_data_in_cap);
  caw_run r{f.d.execute(cmd, scratch.data(), scratch.size()), {}};
  if (r.planned.what != outcome::kind::io) return r;
  bytes buffer(r.planned.buffer_len);
  const auto& rd = r.planned.steps[0];
  std::copy(medium.begin() + long(rd.offset), medium.begin() + long(rd.offset + rd.length), buffer.begin());
  const auto& cmp = r.planned.steps[1];
  const bool same = std::equal(buffer.begin() + cmp.buf_offset, buffer.begin() + cmp.buf_offset + cmp.length,
                               data_out.begin() + cmp.buf_offset);
  r.finished = f.d.finish(cmd, r.planned, same ? 0 : -stmfd::io_miscompare, same ? 0 : 1, buffer.data());
  return r;
}

// A read -> middle -> write plan over len bytes at off, the write taking
// the Data-Out from write_from.
void check_read_modify_write(const outcome& o, io_step::op middle, uint64_t off, uint32_t len, uint32_t write_from) {
  REQUIRE(o.what == outcome::kind::io);
  REQUIRE(o.nsteps == 3);
  CHECK(o.steps[0].kind == io_step::op::read);
  CHECK(o.steps[0].offset == off);
  CHECK(o.steps[0].length == len);
  CHECK(o.steps[1].kind == middle);
  CHECK(o.steps[1].buf_offset == 0);
  CHECK(o.steps[1].length == len);
  CHECK(o.steps[2].kind == io_step::op::write);
  CHECK(o.steps[2].offset == off);
  CHECK(o.steps[2].buf_offset == write_from);
  CHECK(o.steps[2].length == len);
  CHECK(o.buffer_len == len);
  CHECK_FALSE(o.data_in);
}

}  // namespace

TEST_CASE("compare_and_write_plans_read_compare_write", "[sbd][caw]") {
  fixture f;
  auto r = f.run({0x89, 0, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 2, 0, 0}, bytes(4 * 512, 1));
  // The write data follow the verify data in the Data-Out.
  check_read_modify_write(r.o, io_step::op::compare, 7 * 512, 2 * 512, 2 * 512);
  CHECK(r.o.transfer_length == 4 * 512);
  // FUA makes the write stable.
  r = f.run({0x89, 0x08, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 1, 0, 0}, bytes(2 * 512, 1));
  REQUIRE(r.o.what == outcome::kind::io);
  CHECK(r.o.steps[2].fua);
}

TEST_CASE("compare_and_write_classifies_as_a_write_of_its_range", "[sbd][caw]") {
  const uint8_t c[16] = {0x89, 0, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 2, 0, 0};
  auto info = stmfd::sbd::disk::classify(c, sizeof c);
  CHECK(info.known);
  CHECK(info.serialization == stmfd::ser_class::write);
  CHECK(info.writes_medium);
  CHECK(info.data_out);
  CHECK(info.range.lba == 7);
  CHECK(info.range.blocks == 2);
}

TEST_CASE("compare_and_write_miscompare_reports_the_first_differing_byte", "[sbd][caw]") {
  fixture f;
  bytes medium(1000 * 512, 0x11);
  bytes data(4 * 512, 0x11);
  std::fill(data.begin() + 2 * 512, data.end(), 0x22);  // write data
  auto ok = run_caw(f, caw_cdb(3, 2), data, medium);
  CHECK(ok.finished.status == scsi::status::good);
  data[700] = 0x99;  // in the second verify block
  auto bad = run_caw(f, caw_cdb(3, 2), data, medium);
  REQUIRE(bad.finished.status == scsi::status::check_condition);
  REQUIRE(bad.finished.sense);
  CHECK(bad.finished.sense->code == scsi::sense::miscompare_during_verify());
  REQUIRE(bad.finished.sense->information);
  CHECK(*bad.finished.sense->information == 700);
  CHECK(bad.finished.transfer_length == 4 * 512);
}

TEST_CASE("compare_and_write_bad_fields", "[sbd][caw]") {
  fixture f;
  CHECK(is_good(f.run({0x89, 0, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0})));  // 0 blocks
  // 0 blocks with Data-Out (256 wrapped into the 8-bit field): refused.
  CHECK(is_check(f.run({0x89, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, bytes(512 * 512)),
                 scsi::sense::invalid_field_in_cdb()));
  CHECK(is_lba_oob(f.run({0x89, 0, 0, 0, 0, 0, 0, 0, 0x03, 0xE7, 0, 0, 0, 2, 0, 0}, bytes(4 * 512))));
  CHECK(is_lba_oob(f.run({0x89, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 1, 0, 0}, bytes(1024))));
  // Data-Out other than 2 x NUMBER OF LOGICAL BLOCKS blocks.
  CHECK(is_check(f.run({0x89, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0}, bytes(4 * 512)),
                 scsi::sense::invalid_field_in_cdb()));
  CHECK(is_check(f.run({0x89, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0}, bytes(4 * 512)),
                 scsi::sense::invalid_field_in_cdb()));
  CHECK(is_invalid_field(f.run({0x89, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0, 0, 1, 0, 0}, bytes(1024)), 10, 0));
  CHECK(is_invalid_field(f.run({0x89, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0}, bytes(1024)), 1, 5));
}

TEST_CASE("prefetch_checks_the_range_and_answers_good", "[sbd][prefetch]") {
  fixture f;
  CHECK(is_good(f.run({0x34, 0, 0, 0, 0, 0, 0, 0, 1, 0})));
  CHECK(is_good(f.run({0x34, 0x02, 0, 0, 0x03, 0xE7, 0, 0, 1, 0})));  // IMMED, last block
  CHECK(is_good(f.run({0x34, 0, 0, 0, 0x03, 0xE8, 0, 0, 0, 0})));     // 0 blocks at the end
  CHECK(is_good(f.run({0x90, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0})));
  CHECK(is_lba_oob(f.run({0x34, 0, 0, 0, 0x03, 0xE8, 0, 0, 1, 0})));
  CHECK(is_lba_oob(f.run({0x90, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 1, 0, 0})));
  CHECK(is_invalid_field(f.run({0x34, 0x01, 0, 0, 0, 0, 0, 0, 1, 0}), 1, 0));  // obsolete RELADR
  CHECK(is_invalid_field(f.run({0x90, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0x04}), 15, 2));
}

TEST_CASE("orwrite_plans_read_merge_or_write", "[sbd][orwrite]") {
  fixture f;
  auto r = f.run({0x8B, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 3, 0, 0}, bytes(3 * 512, 0x5A));
  check_read_modify_write(r.o, io_step::op::merge_or, 9 * 512, 3 * 512, 0);
  CHECK(r.o.transfer_length == 3 * 512);
  // 0 blocks, beyond the end, ORPROTECT, write protect.
  CHECK(is_good(f.run({0x8B, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})));
  CHECK(is_lba_oob(f.run({0x8B, 0, 0, 0, 0, 0, 0, 0, 0x03, 0xE9, 0, 0, 0, 0, 0, 0})));
  CHECK(is_lba_oob(f.run({0x8B, 0, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0}, bytes(512))));
  CHECK(is_invalid_field(f.run({0x8B, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0}, bytes(512)), 1, 5));
}

TEST_CASE("special_writes_on_a_write_protected_lu", "[sbd][caw][orwrite]") {
  auto g = test_geometry();
  g.read_only = true;
  fixture ro(g);
  CHECK(is_check(ro.run({0x89, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0}, bytes(1024)),
                 scsi::sense::write_protected()));
  CHECK(is_check(ro.run({0x8B, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0}, bytes(512)),
                 scsi::sense::write_protected()));
  CHECK(is_good(ro.run({0x34, 0, 0, 0, 0, 0, 0, 0, 1, 0})));  // PRE-FETCH only reads
}
