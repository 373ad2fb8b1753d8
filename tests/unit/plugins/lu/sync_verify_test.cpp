#include <catch2/catch.hpp>

#include <cerrno>

#include "disk_fixture.hpp"

using namespace sbd_test;
using stmfd::sbd::io_step;
using stmfd::sbd::outcome;
namespace scsi = stmfd::scsi;

namespace {

struct run_result {
  result planned;
  outcome finished;
};

// Runs a command, "performs" its plan with `medium` as the read data, and
// calls finish().
run_result run_io(fixture& f, std::initializer_list<uint8_t> cdb, const bytes& data_out, const bytes& medium) {
  bytes c(cdb);
  c.resize(16, 0);
  stmfd::sbd::command cmd;
  cmd.cdb = c.data();
  cmd.cdb_len = c.size();
  cmd.data_out = data_out.empty() ? nullptr : data_out.data();
  cmd.data_out_len = uint32_t(data_out.size());
  bytes scratch(stmfd::sbd::disk::min_data_in_cap);
  run_result r{{f.d.execute(cmd, scratch.data(), scratch.size()), {}}, {}};
  if (r.planned.o.what != outcome::kind::io) return r;
  bytes buffer(r.planned.o.buffer_len);
  for (uint8_t i = 0; i < r.planned.o.nsteps; ++i) {
    const auto& s = r.planned.o.steps[i];
    if (s.kind == io_step::op::read)
      std::copy(medium.begin() + long(s.offset), medium.begin() + long(s.offset + s.length),
                buffer.begin() + s.buf_offset);
  }
  r.finished = f.d.finish(cmd, r.planned.o, 0, 0, buffer.data());
  return r;
}

bytes pattern(size_t n, uint8_t seed) {
  bytes b(n);
  for (size_t i = 0; i < n; ++i) b[i] = uint8_t(seed + i * 7);
  return b;
}

}  // namespace

TEST_CASE("verify_bytchk0_reads_the_range", "[sbd][verify]") {
  fixture f;
  const bytes medium = pattern(1000 * 512, 1);
  auto r = run_io(f, {0x2F, 0x10, 0, 0, 0, 2, 0, 0, 3, 0}, {}, medium);  // DPO accepted
  REQUIRE(r.planned.o.what == outcome::kind::io);
  CHECK(r.planned.o.nsteps == 1);
  CHECK(r.planned.o.steps[0].kind == io_step::op::read);
  CHECK(r.planned.o.steps[0].offset == 1024);
  CHECK(r.planned.o.buffer_len == 3 * 512);
  CHECK_FALSE(r.planned.o.data_in);
  CHECK(r.finished.status == scsi::status::good);
  CHECK(r.finished.data_in_len == 0);
}

TEST_CASE("verify_bytchk1_match_and_miscompare_offset", "[sbd][verify]") {
  fixture f;
  const bytes medium = pattern(1000 * 512, 3);
  bytes same(medium.begin() + 512 * 5, medium.begin() + 512 * 9);
  auto r = run_io(f, {0x2F, 0x02, 0, 0, 0, 5, 0, 0, 4, 0}, same, medium);
  CHECK(r.finished.status == scsi::status::good);

  bytes diff = same;
  diff[1234] ^= 'X';
  r = run_io(f, {0xAF, 0x02, 0, 0, 0, 5, 0, 0, 0, 4, 0, 0}, diff, medium);
  REQUIRE(r.finished.status == scsi::status::check_condition);
  CHECK(r.finished.sense->code == scsi::sense::miscompare_during_verify());
  CHECK(r.finished.sense->information == 1234u);
}

TEST_CASE("verify_bytchk3_compares_each_block_with_one", "[sbd][verify]") {
  fixture f;
  bytes medium(1000 * 512, 0);
  const bytes block = pattern(512, 9);
  for (int b = 0; b < 4; ++b) std::copy(block.begin(), block.end(), medium.begin() + b * 512);
  auto r = run_io(f, {0x8F, 0x06, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0}, block, medium);
  CHECK(r.finished.status == scsi::status::good);
  medium[3 * 512 + 17] ^= 1;
  r = run_io(f, {0x8F, 0x06, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0}, block, medium);
  REQUIRE(r.finished.sense);
  CHECK(r.finished.sense->information == 3u * 512 + 17);
}

TEST_CASE("verify_field_errors_and_range", "[sbd][verify]") {
  fixture f;
  CHECK(is_invalid_field(f.run({0x2F, 0x04, 0, 0, 0, 0, 0, 0, 1, 0}, bytes(512)), 1, 2));  // BYTCHK 10b
  CHECK(is_invalid_field(f.run({0x2F, 0x20, 0, 0, 0, 0, 0, 0, 1, 0}), 1, 5));              // VRPROTECT
  CHECK(is_invalid_field(f.run({0x2F, 0x08, 0, 0, 0, 0, 0, 0, 1, 0}), 1, 3));              // FUA reserved
  CHECK(is_check(f.run({0x2F, 0, 0, 0, 0x03, 0xE8, 0, 0, 1, 0}), scsi::sense::lba_out_of_range()));
  CHECK(is_good(f.run({0x2F, 0x02, 0, 0, 0, 0, 0, 0, 0, 0})));  // zero blocks
}

TEST_CASE("verify_compares_only_the_data_out_received", "[sbd][verify]") {
  fixture f;
  const bytes medium = pattern(1000 * 512, 11);
  bytes half(medium.begin(), medium.begin() + 512 + 300);  // 1 whole block of 2
  auto r = run_io(f, {0x2F, 0x02, 0, 0, 0, 0, 0, 0, 2, 0}, half, medium);
  REQUIRE(r.planned.o.what == outcome::kind::io);
  CHECK(r.planned.o.buffer_len == 1024);  // the medium check still covers the range
  CHECK(r.planned.o.transfer_length == 1024);
  CHECK(r.finished.status == scsi::status::good);
  half[600] ^= 1;  // beyond the whole block: not compared
  CHECK(run_io(f, {0x2F, 0x02, 0, 0, 0, 0, 0, 0, 2, 0}, half, medium).finished.status == scsi::status::good);
  half[100] ^= 1;
  r = run_io(f, {0x2F, 0x02, 0, 0, 0, 0, 0, 0, 2, 0}, half, medium);
  REQUIRE(r.finished.sense);
  CHECK(r.finished.sense->information == 100u);
  CHECK(r.finished.transfer_length == 1024);
  // BYTCHK 11b without its block: only the medium check.
  CHECK(run_io(f, {0x2F, 0x06, 0, 0, 0, 0, 0, 0, 2, 0}, {}, medium).finished.status == scsi::status::good);
}

TEST_CASE("write_and_verify_with_short_data_out", "[sbd][verify]") {
  fixture f;
  auto r = f.run({0x2E, 0x02, 0, 0, 0, 0, 0, 0, 1, 0});  // EDTL 0
  CHECK(is_good(r));
  CHECK(r.o.transfer_length == 512);
  r = f.run({0x2E, 0x02, 0, 0, 0, 0, 0, 0, 2, 0}, bytes(512));
  REQUIRE(r.o.what == outcome::kind::io);
  CHECK(r.o.steps[0].length == 512);
  CHECK(r.o.steps[1].length == 512);
  CHECK(r.o.buffer_len == 512);
  CHECK(r.o.transfer_length == 1024);
}

TEST_CASE("write_and_verify_writes_stable_then_reads_back", "[sbd][verify]") {
  fixture f;
  const bytes data = pattern(1024, 5);
  auto r = f.run({0x2E, 0x12, 0, 0, 0, 8, 0, 0, 2, 0}, data);
  REQUIRE(r.o.what == outcome::kind::io);
  REQUIRE(r.o.nsteps == 2);
  CHECK(r.o.steps[0].kind == io_step::op::write);
  CHECK(r.o.steps[0].fua);
  CHECK(r.o.steps[0].offset == 8 * 512);
  CHECK(r.o.steps[1].kind == io_step::op::read);
  CHECK(r.o.steps[1].offset == 8 * 512);
  CHECK(r.o.buffer_len == 1024);

  bytes medium(1000 * 512, 0);
  std::copy(data.begin(), data.end(), medium.begin() + 8 * 512);
  auto ok = run_io(f, {0x8E, 0x02, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0, 2, 0, 0}, data, medium);
  CHECK(ok.finished.status == scsi::status::good);
  medium[8 * 512 + 700] ^= 0xFF;  // the read-back differs
  auto bad = run_io(f, {0xAE, 0x02, 0, 0, 0, 8, 0, 0, 0, 2, 0, 0}, data, medium);
  REQUIRE(bad.finished.sense);
  CHECK(bad.finished.sense->code == scsi::sense::miscompare_during_verify());
  CHECK(bad.finished.sense->information == 700u);
  CHECK(is_invalid_field(f.run({0x2E, 0x04, 0, 0, 0, 0, 0, 0, 1, 0}, bytes(512)), 1, 2));  // BYTCHK 1xb
}

TEST_CASE("synchronize_cache_plans_flush_with_range_check", "[sbd][sync]") {
  fixture f;
  auto r = f.run({0x35, 0x02, 0, 0, 0, 10, 0, 0, 4, 0});  // IMMED accepted
  REQUIRE(r.o.what == outcome::kind::io);
  REQUIRE(r.o.nsteps == 1);
  CHECK(r.o.steps[0].kind == io_step::op::flush);
  CHECK(r.o.steps[0].offset == 10 * 512);
  CHECK(r.o.steps[0].length == 4 * 512);
  r = f.run({0x91, 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});  // SYNC_NV ignored, 0 = to the end
  REQUIRE(r.o.what == outcome::kind::io);
  CHECK(r.o.steps[0].length == 0);
  CHECK(is_check(f.run({0x35, 0, 0, 0, 0x03, 0xE7, 0, 0, 2, 0}), scsi::sense::lba_out_of_range()));
  CHECK(is_invalid_field(f.run({0x35, 0x01, 0, 0, 0, 0, 0, 0, 0, 0}), 1, 0));
}

TEST_CASE("finish_maps_errno_to_sense", "[sbd][finish]") {
  fixture f;
  bytes c = {0x28, 0, 0, 0, 0, 7, 0, 0, 1, 0};
  stmfd::sbd::command cmd;
  cmd.cdb = c.data();
  cmd.cdb_len = c.size();
  bytes scratch(stmfd::sbd::disk::min_data_in_cap);
  const outcome read_plan = f.d.execute(cmd, scratch.data(), scratch.size());
  REQUIRE(read_plan.what == outcome::kind::io);

  auto o = f.d.finish(cmd, read_plan, -EIO, 0, nullptr);
  CHECK(o.sense->code == scsi::sense::read_error());
  CHECK(o.sense->information == 7u);
  CHECK(f.d.finish(cmd, read_plan, -EINVAL, 0, nullptr).sense->code == scsi::sense::internal_target_failure());
  CHECK(f.d.finish(cmd, read_plan, -ECANCELED, 0, nullptr).sense->code == scsi::sense::command_aborted());
  o = f.d.finish(cmd, read_plan, 0, 0, scratch.data());
  CHECK(o.status == scsi::status::good);
  CHECK(o.data_in_len == 512);

  bytes w = {0x2E, 0, 0, 0, 0, 3, 0, 0, 1, 0};
  bytes data(512, 1);
  cmd.cdb = w.data();
  cmd.cdb_len = w.size();
  cmd.data_out = data.data();
  cmd.data_out_len = 512;
  const outcome wv_plan = f.d.execute(cmd, scratch.data(), scratch.size());
  REQUIRE(wv_plan.nsteps == 2);
  CHECK(f.d.finish(cmd, wv_plan, -EIO, 0, nullptr).sense->code == scsi::sense::write_error());
  CHECK(f.d.finish(cmd, wv_plan, -EIO, 1, nullptr).sense->code == scsi::sense::read_error());
  CHECK(f.d.finish(cmd, wv_plan, -ENOSPC, 0, nullptr).sense->code ==
        scsi::sense::space_allocation_failed_write_protect());
  CHECK(f.d.finish(cmd, wv_plan, -EROFS, 0, nullptr).sense->code == scsi::sense::write_protected());
  CHECK(f.d.finish(cmd, wv_plan, -EIO, 9, nullptr).sense->code == scsi::sense::write_error());  // bad index
}
