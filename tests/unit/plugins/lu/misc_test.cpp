#include <catch2/catch.hpp>

#include "disk_fixture.hpp"

using namespace sbd_test;
using stmfd::sbd::io_step;
using stmfd::sbd::outcome;
namespace scsi = stmfd::scsi;

TEST_CASE("test_unit_ready_good", "[sbd][misc]") {
  fixture f;
  CHECK(is_good(f.run({0x00, 0, 0, 0, 0, 0})));
  CHECK(is_invalid_field(f.run({0x00, 0, 0, 0, 1, 0}), 4, 0));
}

TEST_CASE("request_sense_no_sense_fixed_and_descriptor", "[sbd][misc]") {
  fixture f;
  auto r = f.run({0x03, 0, 0, 0, 0xFF, 0});
  REQUIRE(is_good(r));
  CHECK(r.data == bytes{0x70, 0, 0, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
  r = f.run({0x03, 1, 0, 0, 0xFF, 0});
  REQUIRE(is_good(r));
  CHECK(r.data == bytes{0x72, 0, 0, 0, 0, 0, 0, 0});
  r = f.run({0x03, 0, 0, 0, 4, 0});
  CHECK(r.data.size() == 4);
}

TEST_CASE("request_sense_reports_pending_unit_attention", "[sbd][misc]") {
  fixture f;
  const scsi::sense_info ua = scsi::plain(scsi::sense::power_on_reset());
  auto r = f.run({0x03, 0, 0, 0, 0xFF, 0}, {}, &ua);
  REQUIRE(is_good(r));
  REQUIRE(r.data.size() == 18);
  CHECK(r.data[2] == 0x06);
  CHECK(r.data[12] == 0x29);
  CHECK(r.data[13] == 0x00);
}

TEST_CASE("start_stop_unit_on_fixed_medium", "[sbd][misc]") {
  fixture f;
  CHECK(is_invalid_field(f.run({0x1B, 1, 0, 0, 0x02, 0}), 4, 1));  // LOEJ: not removable
  CHECK(is_invalid_field(f.run({0x1B, 1, 0, 0, 0x03, 0}), 4, 1));
  CHECK(is_good(f.run({0x1B, 0, 0, 0, 0x01, 0})));     // start
  CHECK(is_good(f.run({0x1B, 1, 0, 0, 0x05, 0})));     // start, NO_FLUSH
  CHECK(is_good(f.run({0x1B, 0, 0, 0x0F, 0x30, 0})));  // power condition only
  CHECK(is_good(f.run({0x1B, 0, 0, 0, 0x04, 0})));     // stop, NO_FLUSH
  auto r = f.run({0x1B, 1, 0, 0, 0x00, 0});            // stop: flush first
  REQUIRE(r.o.what == outcome::kind::io);
  CHECK(r.o.nsteps == 1);
  CHECK(r.o.steps[0].kind == io_step::op::flush);
}

TEST_CASE("prevent_allow_medium_removal", "[sbd][misc]") {
  fixture f;
  CHECK(is_good(f.run({0x1E, 0, 0, 0, 1, 0})));
  CHECK(is_good(f.run({0x1E, 0, 0, 0, 0, 0})));
  CHECK(is_invalid_field(f.run({0x1E, 0, 0, 0, 2, 0}), 4, 1));
  CHECK(is_invalid_field(f.run({0x1E, 0, 0, 0, 4, 0}), 4, 2));
}

TEST_CASE("report_luns_row_is_served_by_the_session", "[sbd][misc]") {
  fixture f;
  CHECK(is_check(f.run({0xA0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0}), scsi::sense::internal_target_failure()));
  auto fl = stmfd::sbd::disk::classify(std::array<uint8_t, 12>{0xA0}.data(), 12);
  CHECK(fl.known);
  CHECK(fl.session_layer);
  CHECK(fl.allowed_with_ua);
  CHECK(fl.ua_not_cleared);
}

namespace {
stmfd::sbd::geometry removable_geometry() {
  auto g = test_geometry();
  g.removable = true;
  return g;
}
}  // namespace

// SBC-3 5.25 / 5.13 on a removable medium: eject (flushing first) and load
// with LOEJ; NOT READY 3Ah/00h for medium access while ejected, but INQUIRY
// (RMB set) and MODE SENSE still answer; PREVENT held by any nexus refuses
// both eject and load; a nexus's end or a reset releases its hold.
TEST_CASE("removable_medium_eject_load_and_prevent", "[sbd][misc]") {
  fixture f(removable_geometry());
  auto inq = f.run({0x12, 0, 0, 0, 36, 0});
  REQUIRE(is_good(inq));
  CHECK((inq.data[1] & 0x80) != 0);  // RMB

  f.nexus = 1;
  REQUIRE(is_good(f.run({0x1E, 0, 0, 0, 1, 0})));  // PREVENT from nexus 1
  f.nexus = 2;
  CHECK(is_check(f.run({0x1B, 0, 0, 0, 0x02, 0}), scsi::sense::medium_removal_prevented()));
  CHECK(f.d.medium_present());
  REQUIRE(is_good(f.run({0x1E, 0, 0, 0, 0, 0})));  // nexus 2's ALLOW does not end nexus 1's hold
  CHECK(is_check(f.run({0x1B, 0, 0, 0, 0x02, 0}), scsi::sense::medium_removal_prevented()));
  f.d.forget(1);  // nexus 1 ended

  auto ej = f.run({0x1B, 0, 0, 0, 0x02, 0});  // eject: flush first
  REQUIRE(ej.o.what == outcome::kind::io);
  CHECK(ej.o.steps[0].kind == io_step::op::flush);
  CHECK_FALSE(f.d.medium_present());
  CHECK(is_check(f.run({0x00, 0, 0, 0, 0, 0}), scsi::sense::medium_not_present()));
  CHECK(is_check(f.run({0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0}), scsi::sense::medium_not_present()));
  CHECK(is_check(f.run({0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0}), scsi::sense::medium_not_present()));
  CHECK(is_good(f.run({0x12, 0, 0, 0, 36, 0})));
  CHECK(is_good(f.run({0x1A, 0x08, 0x3F, 0, 0xFF, 0})));
  CHECK(is_good(f.run({0x1B, 0, 0, 0, 0x02, 0})));  // eject again: GOOD, nothing to flush

  REQUIRE(is_good(f.run({0x1E, 0, 0, 0, 1, 0})));
  CHECK(is_check(f.run({0x1B, 0, 0, 0, 0x03, 0}), scsi::sense::medium_removal_prevented()));  // load refused
  f.d.reset();                                                                                // LU reset
  CHECK(is_good(f.run({0x1B, 0, 0, 0, 0x03, 0})));                                            // load
  CHECK(f.d.medium_present());
  CHECK(is_good(f.run({0x00, 0, 0, 0, 0, 0})));
}
