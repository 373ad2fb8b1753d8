#include <algorithm>

#include <catch2/catch.hpp>

#include "disk_fixture.hpp"

using namespace sbd_test;

namespace {
const bytes caching_wce = [] {
  bytes b = {0x08, 0x12, 0x04};
  b.resize(20, 0);
  return b;
}();
const bytes control_cur = {0x0A, 0x0A, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00};
const bytes iec_cur = {0x1C, 0x0A, 0x08, 0, 0, 0, 0, 0, 0, 0, 0, 0};

bytes cat(std::initializer_list<bytes> parts) {
  bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}
}  // namespace

TEST_CASE("mode_sense6_all_pages_current", "[sbd][mode]") {
  fixture f;
  auto r = f.run({0x1A, 0, 0x3F, 0, 0xFF, 0});
  REQUIRE(is_good(r));
  const bytes want =
      cat({{55, 0x00, 0x10, 8}, {0, 0, 0x03, 0xE8, 0, 0, 0x02, 0x00}, caching_wce, control_cur, iec_cur});
  CHECK(r.data == want);
}

TEST_CASE("mode_sense6_changeable_and_default", "[sbd][mode]") {
  fixture f(test_geometry(), false);
  auto r = f.run({0x1A, 0x08, 0x7F, 0, 0xFF, 0});  // DBD, PC=01b
  REQUIRE(is_good(r));
  bytes caching_mask = {0x08, 0x12, 0x04};
  caching_mask.resize(20, 0);
  const bytes want = cat({{47, 0x00, 0x10, 0},
                          caching_mask,
                          {0x0A, 0x0A, 0x04, 0x00, 0x08, 0, 0, 0, 0, 0, 0, 0},
                          {0x1C, 0x0A, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}});
  CHECK(r.data == want);
  r = f.run({0x1A, 0x08, 0x88, 0, 0xFF, 0});  // default caching page: WCE as configured (off)
  REQUIRE(is_good(r));
  CHECK(r.data[4 + 2] == 0x00);
  CHECK(r.data.size() == 4 + 20);
}

TEST_CASE("mode_sense_saved_values_not_supported", "[sbd][mode]") {
  fixture f;
  CHECK(is_check(f.run({0x1A, 0, 0xFF, 0, 0xFF, 0}), stmfd::scsi::sense::saving_parameters_not_supported()));
}

TEST_CASE("mode_sense_unknown_page_or_subpage", "[sbd][mode]") {
  fixture f;
  CHECK(is_invalid_field(f.run({0x1A, 0, 0x19, 0, 0xFF, 0}), 2, 5));
  CHECK(is_invalid_field(f.run({0x1A, 0, 0x0A, 0x01, 0xFF, 0}), 3));
  CHECK(is_good(f.run({0x1A, 0, 0x0A, 0xFF, 0xFF, 0})));
  CHECK(is_invalid_field(f.run({0x1A, 0x10, 0x0A, 0, 0xFF, 0}), 1, 4));  // LLBAA not in MODE SENSE(6)
}

TEST_CASE("mode_sense6_one_page_and_truncation", "[sbd][mode]") {
  fixture f;
  auto r = f.run({0x1A, 0x08, 0x0A, 0, 0xFF, 0});
  REQUIRE(is_good(r));
  CHECK(r.data == cat({{15, 0x00, 0x10, 0}, control_cur}));
  r = f.run({0x1A, 0, 0x3F, 0, 4, 0});
  REQUIRE(is_good(r));
  CHECK(r.data == bytes{55, 0x00, 0x10, 8});  // full MODE DATA LENGTH, 4 bytes sent
}

TEST_CASE("mode_sense10_long_lba_descriptor", "[sbd][mode]") {
  fixture f;
  auto r = f.run({0x5A, 0x10, 0x08, 0, 0, 0, 0, 0, 0xFF, 0});
  REQUIRE(is_good(r));
  const bytes want = cat(
      {{0, 42, 0x00, 0x10, 0x01, 0, 0, 16}, {0, 0, 0, 0, 0, 0, 0x03, 0xE8, 0, 0, 0, 0, 0, 0, 0x02, 0x00}, caching_wce});
  CHECK(r.data == want);
  r = f.run({0x5A, 0x00, 0x08, 0, 0, 0, 0, 0, 0xFF, 0});
  REQUIRE(is_good(r));
  CHECK(r.data.size() == 8 + 8 + 20);
  CHECK(r.data[4] == 0x00);
  CHECK(r.data[7] == 8);
}

TEST_CASE("mode_sense_reports_write_protect", "[sbd][mode]") {
  auto g = test_geometry();
  g.read_only = true;
  fixture f(g);
  auto r = f.run({0x1A, 0x08, 0x3F, 0, 0xFF, 0});
  REQUIRE(is_good(r));
  CHECK(r.data[2] == 0x90);
}

namespace {
bytes select6_control(uint8_t b2, uint8_t b4) {
  bytes d = {0, 0, 0, 0};
  bytes page = control_cur;
  page[2] = b2;
  page[4] = b4;
  d.insert(d.end(), page.begin(), page.end());
  return d;
}
}  // namespace

TEST_CASE("mode_select_sets_swp_and_write_protects", "[sbd][mode]") {
  fixture f;
  const bytes d = select6_control(0x02, 0x08);
  auto r = f.run({0x15, 0x10, 0, 0, uint8_t(d.size()), 0}, d);
  REQUIRE(is_good(r));
  CHECK_FALSE(r.o.mode_changed);  // the Control page is per I_T nexus: no news to others
  CHECK(r.o.state_changed);
  CHECK(f.d.write_protected());
  auto w = f.run({0x2A, 0, 0, 0, 0, 0, 0, 0, 1, 0}, bytes(512, 1));
  CHECK(is_check(w, stmfd::scsi::sense::software_write_protected()));
  auto ms = f.run({0x1A, 0x08, 0x0A, 0, 0xFF, 0});
  CHECK(ms.data[2] == 0x90);
  CHECK(ms.data[4 + 4] == 0x08);
  // Same values again: GOOD, nothing changed.
  r = f.run({0x15, 0x10, 0, 0, uint8_t(d.size()), 0}, d);
  REQUIRE(is_good(r));
  CHECK_FALSE(r.o.mode_changed);
  CHECK_FALSE(r.o.state_changed);
}

TEST_CASE("mode_select_d_sense_and_wce", "[sbd][mode]") {
  fixture f;
  bytes d = select6_control(0x06, 0x00);
  REQUIRE(is_good(f.run({0x15, 0x10, 0, 0, uint8_t(d.size()), 0}, d)));
  CHECK(f.d.descriptor_sense(0));
  bytes c(4 + caching_wce.size(), 0);  // a zero mode parameter header, then the page
  std::copy(caching_wce.begin(), caching_wce.end(), c.begin() + 4);
  c[4 + 2] = 0x00;
  REQUIRE(is_good(f.run({0x55, 0x10, 0, 0, 0, 0, 0, 0, uint8_t(c.size() + 4), 0}, [&] {
    bytes ten = {0, 0, 0, 0, 0, 0, 0, 0};
    ten.insert(ten.end(), c.begin() + 4, c.end());
    return ten;
  }())));
  CHECK_FALSE(f.d.write_cache());
}

TEST_CASE("mode_select_rejects_non_changeable_change", "[sbd][mode]") {
  fixture f;
  bytes d = select6_control(0x02, 0x00);
  d[4 + 3] = 0x10;  // QUEUE ALGORITHM MODIFIER is not changeable
  CHECK(is_invalid_param(f.run({0x15, 0x10, 0, 0, uint8_t(d.size()), 0}, d), 7, 4));
  d = select6_control(0x03, 0x00);  // RLEC
  CHECK(is_invalid_param(f.run({0x15, 0x10, 0, 0, uint8_t(d.size()), 0}, d), 6, 0));
  CHECK_FALSE(f.d.descriptor_sense(0));
}

TEST_CASE("mode_select_validation", "[sbd][mode]") {
  fixture f;
  const bytes d = select6_control(0x06, 0x00);
  const uint8_t n = uint8_t(d.size());
  CHECK(is_invalid_field(f.run({0x15, 0x00, 0, 0, n, 0}, d), 1, 4));  // PF=0
  CHECK(is_invalid_field(f.run({0x15, 0x11, 0, 0, n, 0}, d), 1, 0));  // SP=1
  CHECK(is_good(f.run({0x15, 0x10, 0, 0, 0, 0})));                    // empty list
  CHECK(is_check(f.run({0x15, 0x10, 0, 0, 3, 0}, bytes(3, 0)), stmfd::scsi::sense::parameter_list_length_error()));
  CHECK(is_check(f.run({0x15, 0x10, 0, 0, uint8_t(n - 1), 0}, d), stmfd::scsi::sense::parameter_list_length_error()));
  bytes ps = d;
  ps[4] |= 0x80;
  CHECK(is_invalid_param(f.run({0x15, 0x10, 0, 0, n, 0}, ps), 4, 7));
  bytes unknown = d;
  unknown[4] = 0x19;
  CHECK(is_invalid_param(f.run({0x15, 0x10, 0, 0, n, 0}, unknown), 4, 5));
  bytes badlen = d;
  badlen[5] = 0x0B;
  CHECK(is_invalid_param(f.run({0x15, 0x10, 0, 0, n, 0}, badlen), 5));
  CHECK_FALSE(f.d.descriptor_sense(0));
}

TEST_CASE("mode_select_block_descriptor_must_match", "[sbd][mode]") {
  fixture f;
  bytes ok = {0, 0, 0, 8, 0, 0, 0x03, 0xE8, 0, 0, 0x02, 0x00};
  CHECK(is_good(f.run({0x15, 0x10, 0, 0, uint8_t(ok.size()), 0}, ok)));
  bytes zero_blocks = {0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0x02, 0x00};
  CHECK(is_good(f.run({0x15, 0x10, 0, 0, uint8_t(zero_blocks.size()), 0}, zero_blocks)));
  bytes bad_len = {0, 0, 0, 8, 0, 0, 0x03, 0xE8, 0, 0, 0x10, 0x00};
  CHECK(is_invalid_param(f.run({0x15, 0x10, 0, 0, uint8_t(bad_len.size()), 0}, bad_len), 9));
  bytes bad_count = {0, 0, 0, 8, 0, 0, 0x03, 0xE9, 0, 0, 0x02, 0x00};
  CHECK(is_invalid_param(f.run({0x15, 0x10, 0, 0, uint8_t(bad_count.size()), 0}, bad_count), 4));
  bytes bad_bdlen = {0, 0, 0, 4, 0, 0, 0, 0};
  CHECK(is_invalid_param(f.run({0x15, 0x10, 0, 0, uint8_t(bad_bdlen.size()), 0}, bad_bdlen), 3));
}

// SPC-4 7.8.9 policy 11b: one nexus's Control page (D_SENSE, SWP) is not
// another's, and changing it posts nothing to the others; the Caching page
// is shared and its change is news to every other nexus (SPC-4 5.14).
TEST_CASE("control_page_is_kept_per_i_t_nexus", "[sbd][mode]") {
  fixture f;
  f.nexus = 1;
  bytes d = select6_control(0x06, 0x08);  // D_SENSE and SWP
  auto r = f.run({0x15, 0x10, 0, 0, uint8_t(d.size()), 0}, d);
  REQUIRE(is_good(r));
  CHECK_FALSE(r.o.mode_changed);
  CHECK(r.o.state_changed);
  CHECK(f.d.descriptor_sense(1));
  CHECK(f.d.write_protected(1));
  CHECK(is_check(f.run({0x2A, 0, 0, 0, 0, 0, 0, 0, 1, 0}, bytes(512, 1)),
                 stmfd::scsi::sense::software_write_protected()));

  f.nexus = 2;
  CHECK_FALSE(f.d.descriptor_sense(2));
  CHECK_FALSE(f.d.write_protected(2));
  auto ms = f.run({0x1A, 0x08, 0x0A, 0, 0xFF, 0});
  REQUIRE(is_good(ms));
  CHECK(ms.data[2] == 0x10);      // WP clear for nexus 2
  CHECK(ms.data[4 + 2] == 0x02);  // D_SENSE clear
  CHECK(ms.data[4 + 4] == 0x00);  // SWP clear
  CHECK(f.run({0x2A, 0, 0, 0, 0, 0, 0, 0, 1, 0}, bytes(512, 1)).o.what == stmfd::sbd::outcome::kind::io);

  // The Caching page is shared: nexus 2 turns the write cache off for all.
  bytes c(4 + caching_wce.size(), 0);  // a zero mode parameter header, then the page
  std::copy(caching_wce.begin(), caching_wce.end(), c.begin() + 4);
  c[4 + 2] = 0x00;
  r = f.run({0x15, 0x10, 0, 0, uint8_t(c.size()), 0}, c);
  REQUIRE(is_good(r));
  CHECK(r.o.mode_changed);
  CHECK_FALSE(f.d.write_cache());

  // Nexus 1 ends: its Control page goes back to the default.
  f.d.forget(1);
  CHECK_FALSE(f.d.descriptor_sense(1));
  CHECK_FALSE(f.d.write_protected(1));
}
