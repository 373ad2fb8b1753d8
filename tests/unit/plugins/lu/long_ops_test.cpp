// SANITIZE and FORMAT UNIT (SBC-4 5.30, 5.3) as plans of long operations,
// the NOT READY answers while one runs, the sanitize failure mode and its
// durable record; READ DEFECT DATA (SBC-4 5.20/5.21).
#include <algorithm>

#include <catch2/catch.hpp>

#include "disk_fixture.hpp"
#include "wire/scsi/cdb.hpp"

using namespace sbd_test;
using stmfd::sbd::io_step;
using stmfd::sbd::outcome;
namespace scsi = stmfd::scsi;

namespace {

constexpr uint8_t immed = 0x80, ause = 0x20;

// SANITIZE with a service action, flags and PARAMETER LIST LENGTH.
result sanitize(fixture& f, uint8_t sa, uint8_t flags = 0, const bytes& params = {}, int plen = -1) {
  const uint16_t n = plen < 0 ? uint16_t(params.size()) : uint16_t(plen);
  return f.run({0x48, uint8_t(sa | flags), 0, 0, 0, 0, 0, uint8_t(n >> 8), uint8_t(n), 0}, params);
}

// An OVERWRITE parameter list: INVERT, OVERWRITE COUNT, the pattern.
bytes overwrite_params(const bytes& pattern, uint8_t count = 1, bool invert = false) {
  bytes p(4 + pattern.size(), 0);
  p[0] = uint8_t((invert ? 0x80 : 0) | count);
  p[2] = uint8_t(pattern.size() >> 8);
  p[3] = uint8_t(pattern.size());
  std::copy(pattern.begin(), pattern.end(), p.begin() + 4);
  return p;
}

bool is_not_ready_sanitizing(const result& r) {
  return is_check(r, scsi::sense::not_ready_sanitize_in_progress()) && r.o.sense->progress.has_value();
}

// The outcome the core ends a long operation with (what the shell calls
// once the plan's steps ran).
outcome end_long_op(fixture& f, const outcome& planned, int io_result) {
  REQUIRE(planned.long_op != outcome::long_op_kind::none);
  return f.d.finish_long_op(io_result);
}

}  // namespace

TEST_CASE("sanitize_overwrite_plans_the_pattern_over_the_medium", "[sbd][sanitize]") {
  fixture f(test_geometry(1000, 512));
  auto r = sanitize(f, 0x01, 0, overwrite_params(bytes{1, 2, 3, 4}));
  REQUIRE(r.o.what == outcome::kind::io);
  CHECK(r.o.long_op == outcome::long_op_kind::wait);
  REQUIRE(r.o.ranges.size() == 1);
  CHECK(r.o.ranges[0].offset == 0);
  CHECK(r.o.ranges[0].length == 1000 * 512);
  REQUIRE(r.o.nsteps == 1);
  const io_step& s = r.o.steps[0];
  CHECK(s.kind == io_step::op::write_same);
  CHECK(s.length == 512);
  CHECK(s.fua);  // on stable storage before the sanitize ends
  REQUIRE(s.mem != nullptr);
  for (int i = 0; i < 512; ++i) CHECK(s.mem[i] == uint8_t(1 + i % 4));  // the pattern repeated over the block
  // The record says a sanitize runs: a restart before its end finds the failure mode.
  REQUIRE(r.o.durable.has_value());
  CHECK(*r.o.durable == bytes{1, 1, 0});
}

TEST_CASE("sanitize_overwrite_invert_writes_the_other_pattern_first", "[sbd][sanitize]") {
  fixture f;
  auto r = sanitize(f, 0x01, immed, overwrite_params(bytes{0x0F}, 2, true));
  REQUIRE(r.o.what == outcome::kind::io);
  CHECK(r.o.long_op == outcome::long_op_kind::immediate);
  REQUIRE(r.o.nsteps == 2);
  // Two passes with INVERT: the pattern, then its inverse (the final content).
  CHECK(r.o.steps[0].mem[0] == 0x0F);
  CHECK_FALSE(r.o.steps[0].fua);
  CHECK(r.o.steps[1].mem[0] == 0xF0);
  CHECK(r.o.steps[1].fua);
  end_long_op(f, r.o, 0);
  // Three passes: inverse, then the pattern last.
  r = sanitize(f, 0x01, 0, overwrite_params(bytes{0x0F}, 3, true));
  REQUIRE(r.o.nsteps == 2);
  CHECK(r.o.steps[0].mem[0] == 0xF0);
  CHECK(r.o.steps[1].mem[0] == 0x0F);
}

TEST_CASE("sanitize_overwrite_parameter_checks", "[sbd][sanitize]") {
  fixture f;  // 512-byte blocks
  const bytes pattern(512, 0xAA);
  for (int n = 0; n < 5; ++n)  // the header and at least one pattern byte
    CHECK(is_invalid_field(sanitize(f, 0x01, 0, overwrite_params(pattern), n), 7));
  bytes big = overwrite_params(bytes(513, 0xAA));
  CHECK(is_invalid_field(sanitize(f, 0x01, 0, big, 517), 7));  // more than a block of pattern
  auto p = overwrite_params(pattern, 0);
  CHECK(is_invalid_param(sanitize(f, 0x01, 0, p), 0, 4));  // OVERWRITE COUNT 0
  p = overwrite_params(pattern);
  p[0] |= 0x20;
  CHECK(is_invalid_param(sanitize(f, 0x01, 0, p), 0, 6));  // TEST
  p = overwrite_params(pattern);
  p[2] = p[3] = 0;
  CHECK(is_invalid_param(sanitize(f, 0x01, 0, p), 2));  // INITIALIZATION PATTERN LENGTH 0
  p = overwrite_params(bytes(516, 0xAA));
  CHECK(is_invalid_param(sanitize(f, 0x01, 0, p, 516), 2));  // longer than a block
  CHECK(is_check(sanitize(f, 0x01, 0, overwrite_params(pattern), 100), scsi::sense::invalid_field_in_parameter_list()));
  // None of them started anything.
  CHECK_FALSE(f.d.long_op_running());
  CHECK(is_good(f.run({0x00, 0, 0, 0, 0, 0})));
}

TEST_CASE("sanitize_while_running_answers_not_ready_with_progress", "[sbd][sanitize]") {
  fixture f;
  auto r = sanitize(f, 0x01, immed, overwrite_params(bytes{7}));
  REQUIRE(r.o.what == outcome::kind::io);
  CHECK(f.d.long_op_running());
  f.d.long_op_progress(1, 4);
  auto tur = f.run({0x00, 0, 0, 0, 0, 0});
  REQUIRE(is_not_ready_sanitizing(tur));
  CHECK(*tur.o.sense->progress == 0x4000);
  CHECK(is_not_ready_sanitizing(f.run({0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0})));
  CHECK(is_not_ready_sanitizing(f.run({0x1B, 0, 0, 0, 1, 0})));  // START STOP UNIT
  CHECK(is_not_ready_sanitizing(sanitize(f, 0x01, 0, overwrite_params(bytes{7}))));
  CHECK(is_good(f.run({0x12, 0, 0, 0, 0xFF, 0})));  // INQUIRY still answered
  // REQUEST SENSE reports the sanitize and its progress (fixed format,
  // SKSV and the progress in bytes 15-17).
  auto rs = f.run({0x03, 0, 0, 0, 18, 0});
  REQUIRE(is_good(rs));
  REQUIRE(rs.data.size() == 18);
  CHECK((rs.data[2] & 0x0F) == 0x02);
  CHECK(rs.data[12] == 0x04);
  CHECK(rs.data[13] == 0x1B);
  CHECK(rs.data[15] == 0x80);
  CHECK(rs.data[16] == 0x40);
  CHECK(rs.data[17] == 0x00);
  // The end: GOOD, nothing left to keep, commands run again.
  auto done = end_long_op(f, r.o, 0);
  CHECK(done.status == scsi::status::good);
  REQUIRE(done.durable.has_value());
  CHECK(done.durable->empty());
  CHECK(is_good(f.run({0x00, 0, 0, 0, 0, 0})));
}

TEST_CASE("sanitize_failure_mode_and_exit", "[sbd][sanitize]") {
  fixture f;
  auto r = sanitize(f, 0x01, ause, overwrite_params(bytes{7}));
  REQUIRE(r.o.what == outcome::kind::io);
  auto failed = end_long_op(f, r.o, -EIO);
  REQUIRE(failed.sense.has_value());
  CHECK(failed.sense->code == scsi::sense::sanitize_command_failed());
  REQUIRE(failed.durable.has_value());
  CHECK(*failed.durable == bytes{1, 2, 1});  // failed, with AUSE
  // Medium access fails; other commands run.
  CHECK(is_check(f.run({0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0}), scsi::sense::sanitize_command_failed()));
  CHECK(is_good(f.run({0x00, 0, 0, 0, 0, 0})));
  CHECK(is_invalid_field(sanitize(f, 0x1F, 0, bytes(8, 0)), 7));  // EXIT FAILURE MODE takes no parameters
  auto exit = sanitize(f, 0x1F);
  REQUIRE(is_good(exit));
  REQUIRE(exit.o.durable.has_value());
  CHECK(exit.o.durable->empty());
  CHECK_FALSE(f.d.sanitize_failed());
  CHECK(f.run({0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0}).o.what == outcome::kind::io);
  CHECK(is_good(sanitize(f, 0x1F)));  // no failure mode: nothing to exit
}

TEST_CASE("sanitize_failure_without_ause_ends_only_with_a_new_sanitize", "[sbd][sanitize]") {
  fixture f;
  // A sanitize that was running when the LU stopped (its durable record).
  f.d.restore_durable(bytes{1, 1, 0});
  CHECK(f.d.sanitize_failed());
  CHECK(is_check(f.run({0x2A, 0, 0, 0, 0, 0, 0, 0, 1, 0}, bytes(512)), scsi::sense::sanitize_command_failed()));
  CHECK(is_invalid_field(sanitize(f, 0x1F), 1, 4));
  auto r = sanitize(f, 0x01, 0, overwrite_params(bytes{0}));
  REQUIRE(r.o.what == outcome::kind::io);
  CHECK(end_long_op(f, r.o, 0).status == scsi::status::good);
  CHECK_FALSE(f.d.sanitize_failed());
  f.d.restore_durable(bytes{9, 9});  // not a record of ours: ignored
  CHECK_FALSE(f.d.sanitize_failed());
}

TEST_CASE("sanitize_block_and_crypto_erase_deallocate_on_thin_lus_only", "[sbd][sanitize]") {
  fixture thin(test_thin_geometry());
  for (uint8_t sa : {uint8_t(0x02), uint8_t(0x03)}) {
    CHECK(is_invalid_field(sanitize(thin, sa, 0, bytes(8, 0)), 7));
    auto r = sanitize(thin, sa);
    REQUIRE(r.o.what == outcome::kind::io);
    REQUIRE(r.o.nsteps == 1);
    CHECK(r.o.steps[0].kind == io_step::op::deallocate);
    CHECK(r.o.ranges[0].length == 1000 * 512);
    end_long_op(thin, r.o, 0);
  }
  fixture thick;
  CHECK(is_invalid_field(sanitize(thick, 0x02), 1, 4));
  CHECK(is_invalid_field(sanitize(thick, 0x03), 1, 4));
  for (uint8_t sa : {uint8_t(0x00), uint8_t(0x04), uint8_t(0x1E)}) CHECK(is_invalid_field(sanitize(thick, sa), 1, 4));
  // Write protected: DATA PROTECT.
  auto g = test_thin_geometry();
  g.read_only = true;
  fixture ro(g);
  CHECK(is_check(sanitize(ro, 0x02), scsi::sense::write_protected()));
  CHECK(is_check(sanitize(ro, 0x01, 0, overwrite_params(bytes{1})), scsi::sense::write_protected()));
}

TEST_CASE("sanitize_and_format_refused_while_any_nexus_holds_swp", "[sbd][sanitize]") {
  fixture f(test_thin_geometry());
  f.d.restore_control(7, stmfd::sbd::control_params{false, true});  // nexus 7: SWP in its Control page
  f.nexus = 1;
  CHECK(is_check(sanitize(f, 0x02), scsi::sense::software_write_protected()));
  CHECK(is_check(f.run({0x04, 0, 0, 0, 0, 0}), scsi::sense::software_write_protected()));
  CHECK(f.run({0x2A, 0, 0, 0, 0, 0, 0, 0, 1, 0}, bytes(512)).o.what == outcome::kind::io);  // nexus 1 still writes
  f.d.restore_control(7, stmfd::sbd::control_params{false, false});
  CHECK(sanitize(f, 0x02).o.what == outcome::kind::io);
}

TEST_CASE("format_unit_initializes_every_block", "[sbd][format]") {
  fixture thick;
  auto r = thick.run({0x04, 0, 0, 0, 0, 0});
  REQUIRE(r.o.what == outcome::kind::io);
  CHECK(r.o.long_op == outcome::long_op_kind::wait);
  CHECK(r.o.steps[0].kind == io_step::op::write_same);
  CHECK(r.o.steps[0].length == 0);  // zeros
  auto tur = thick.run({0x00, 0, 0, 0, 0, 0});
  CHECK(is_check(tur, scsi::sense::not_ready_format_in_progress()));
  CHECK(end_long_op(thick, r.o, 0).status == scsi::status::good);
  CHECK(is_good(thick.run({0x00, 0, 0, 0, 0, 0})));
  CHECK(is_invalid_field(thick.run({0x04, 0x10, 0, 0, 0, 0}), 1, 4));  // FMTDATA: no parameter list
  CHECK(is_invalid_field(thick.run({0x04, 0x80, 0, 0, 0, 0}), 1, 7));  // FMTPINFO: no protection information
  fixture thin(test_thin_geometry());
  r = thin.run({0x04, 0x08, 0, 0, 0, 0});  // CMPLST ignored
  REQUIRE(r.o.what == outcome::kind::io);
  CHECK(r.o.steps[0].kind == io_step::op::deallocate);
  auto failed = end_long_op(thin, r.o, -EIO);
  CHECK(failed.sense->code == scsi::sense::format_command_failed());
}

TEST_CASE("read_defect_data_is_an_empty_list", "[sbd][defect]") {
  fixture f;
  auto r = f.run({0x37, 0, 0x1D, 0, 0, 0, 0, 0, 32, 0});  // REQ_PLIST, REQ_GLIST, format 101b
  REQUIRE(is_good(r));
  CHECK(r.data == bytes{0, 0x1D, 0, 0});
  r = f.run({0xB7, 0x0C, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0});  // REQ_GLIST, format 100b
  REQUIRE(is_good(r));
  CHECK(r.data == bytes{0, 0x0C, 0, 0, 0, 0, 0, 0});
  r = f.run({0x37, 0, 0x18, 0, 0, 0, 0, 0, 2, 0});
  CHECK(r.data.size() == 2);  // ALLOCATION LENGTH
  CHECK(is_invalid_field(f.run({0x37, 0x01, 0, 0, 0, 0, 0, 0, 32, 0}), 1, 0));
}
