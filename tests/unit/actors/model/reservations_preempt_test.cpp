// PREEMPT and PREEMPT AND ABORT (SPC-4 5.13.11.4, 5.13.11.5).
#include "reservations_test_util.hpp"

using namespace rtest;

TEST_CASE("prout_preempt_rm_reg", "[model][pr][preempt]") {
  // libiscsi prout_preempt_rm_reg: no reservation; B removes A's key.
  lu l;
  l.setup(2);
  const uint32_t g = l.m.generation();
  const result r = l.preempt(b, 0x2, 0x1, pr::type::exclusive_access);
  REQUIRE(is_good(r));
  CHECK(l.keys() == std::vector<uint64_t>{0x2});
  CHECK(l.m.generation() == g + 1);
  CHECK_FALSE(l.m.reservation_type());  // removing registrations reserves nothing
  CHECK(has_ua(r, a, sense::registrations_preempted()));
  CHECK(r.unit_attentions.size() == 1);
  CHECK(r.abort_tasks.empty());  // PREEMPT, not PREEMPT AND ABORT
}

TEST_CASE("prout_preempt_zero_sark_without_holder_is_invalid", "[model][pr][preempt]") {
  lu l;
  l.setup(2);
  CHECK(is_field_error(l.preempt(b, 0x2, 0, pr::type::exclusive_access), false, 8));
  REQUIRE(is_good(l.reserve(a, 0x1, pr::type::write_exclusive)));
  CHECK(is_field_error(l.preempt(b, 0x2, 0, pr::type::exclusive_access), false, 8));
  CHECK(l.keys().size() == 2);
  CHECK(l.m.holds(a));
}

TEST_CASE("prout_preempt_unknown_sark_conflicts", "[model][pr][preempt]") {
  lu l;
  l.setup(2);
  const uint32_t g = l.m.generation();
  CHECK(is_conflict(l.preempt(b, 0x2, 0x99, pr::type::exclusive_access)));
  CHECK(l.keys().size() == 2);
  CHECK(l.m.generation() == g);
}

TEST_CASE("prout_preempt_unregistered_or_wrong_key_conflicts", "[model][pr][preempt]") {
  lu l;
  REQUIRE(is_good(l.reg(a, 0, 0x1)));
  CHECK(is_conflict(l.preempt(c, 0, 0x1, pr::type::exclusive_access)));
  REQUIRE(is_good(l.reg(b, 0, 0x2)));
  CHECK(is_conflict(l.preempt(b, 0x3, 0x1, pr::type::exclusive_access)));
  CHECK(l.keys().size() == 2);
}

TEST_CASE("prout_preempt_holder_takes_reservation", "[model][pr][preempt]") {
  lu l;
  l.setup(3, pr::type::write_exclusive);
  const result r = l.preempt(b, 0x2, 0x1, pr::type::exclusive_access);
  REQUIRE(is_good(r));
  CHECK(l.m.holds(b));
  CHECK(l.m.reservation_type() == pr::type::exclusive_access);
  CHECK_FALSE(l.m.key_of(a));
  CHECK(has_ua(r, a, sense::registrations_preempted()));
  // The TYPE changed: the remaining registrant but the issuer hears of it.
  CHECK(has_ua(r, c, sense::reservations_released()));
  CHECK_FALSE(has_ua(r, b, sense::reservations_released()));
  CHECK(r.unit_attentions.size() == 2);
}

TEST_CASE("prout_preempt_same_type_posts_no_reservations_released", "[model][pr][preempt]") {
  lu l;
  l.setup(3, pr::type::write_exclusive);
  const result r = l.preempt(b, 0x2, 0x1, pr::type::write_exclusive);
  REQUIRE(is_good(r));
  CHECK(has_ua(r, a, sense::registrations_preempted()));
  CHECK(r.unit_attentions.size() == 1);
}

TEST_CASE("prout_preempt_own_reservation_changes_type", "[model][pr][preempt]") {
  // SPC-4 5.13.11.4.3: not an error for the holder to preempt itself.
  lu l;
  REQUIRE(is_good(l.reg(a, 0, 0x1)));
  REQUIRE(is_good(l.reg(b, 0, 0x1)));  // another nexus with the same key
  REQUIRE(is_good(l.reserve(a, 0x1, pr::type::write_exclusive)));
  const result r = l.preempt(a, 0x1, 0x1, pr::type::exclusive_access);
  REQUIRE(is_good(r));
  CHECK(l.m.holds(a));
  CHECK(l.m.key_of(a) == 0x1u);  // the issuer keeps its registration
  CHECK_FALSE(l.m.key_of(b));    // others with that key lose theirs
  CHECK(l.m.reservation_type() == pr::type::exclusive_access);
  CHECK(has_ua(r, b, sense::registrations_preempted()));
}

TEST_CASE("prout_preempt_non_holder_key_removes_registrations_only", "[model][pr][preempt]") {
  lu l;
  l.setup(3, pr::type::write_exclusive);
  const result r = l.preempt(b, 0x2, 0x3, pr::type::exclusive_access);
  REQUIRE(is_good(r));
  CHECK(l.m.holds(a));
  CHECK(l.m.reservation_type() == pr::type::write_exclusive);  // TYPE ignored
  CHECK_FALSE(l.m.key_of(c));
  CHECK(has_ua(r, c, sense::registrations_preempted()));
  CHECK(r.unit_attentions.size() == 1);
}

TEST_CASE("prout_preempt_own_key_without_reservation_removes_issuer_too", "[model][pr][preempt]") {
  lu l;
  REQUIRE(is_good(l.reg(a, 0, 0x1)));
  REQUIRE(is_good(l.reg(b, 0, 0x1)));
  const result r = l.preempt(a, 0x1, 0x1, pr::type::exclusive_access);
  REQUIRE(is_good(r));
  CHECK(l.keys().empty());
  CHECK(has_ua(r, b, sense::registrations_preempted()));
  CHECK_FALSE(has_ua(r, a, sense::registrations_preempted()));
}

TEST_CASE("prout_preempt_all_registrants_zero_sark", "[model][pr][preempt]") {
  lu l;
  l.setup(3, pr::type::write_exclusive_all_registrants);
  const result r = l.preempt(b, 0x2, 0, pr::type::exclusive_access);
  REQUIRE(is_good(r));
  CHECK(l.keys() == std::vector<uint64_t>{0x2});
  CHECK(l.m.reservation_type() == pr::type::exclusive_access);
  CHECK(l.m.holds(b));
  CHECK(has_ua(r, a, sense::registrations_preempted()));
  CHECK(has_ua(r, c, sense::registrations_preempted()));
  CHECK(r.unit_attentions.size() == 2);
}

TEST_CASE("prout_preempt_all_registrants_nonzero_sark_removes_only", "[model][pr][preempt]") {
  lu l;
  l.setup(3, pr::type::exclusive_access_all_registrants);
  const result r = l.preempt(b, 0x2, 0x3, pr::type::write_exclusive);
  REQUIRE(is_good(r));
  CHECK(l.keys().size() == 2);
  CHECK(l.m.reservation_type() == pr::type::exclusive_access_all_registrants);
  CHECK(l.m.holds(a));
  CHECK(l.m.holds(b));
  CHECK(has_ua(r, c, sense::registrations_preempted()));
}

TEST_CASE("prout_preempt_and_abort_aborts_preempted_and_old_holders", "[model][pr][preempt]") {
  lu l;
  l.setup(3, pr::type::exclusive_access);
  const result r = l.preempt(b, 0x2, 0x1, pr::type::exclusive_access, true);
  REQUIRE(is_good(r));
  CHECK(aborts(r, a));        // lost its registration and the reservation
  CHECK_FALSE(aborts(r, b));  // the issuer did not hold the preempted reservation
  CHECK_FALSE(aborts(r, c));
  CHECK(r.abort_tasks.size() == 1);
  CHECK(l.m.holds(b));
}

TEST_CASE("prout_preempt_and_abort_by_holder_aborts_its_own_tasks", "[model][pr][preempt]") {
  lu l;
  l.setup(1, pr::type::write_exclusive);
  const result r = l.preempt(a, 0x1, 0x1, pr::type::exclusive_access, true);
  REQUIRE(is_good(r));
  CHECK(aborts(r, a));  // its tasks but the PR OUT itself: the shell's job
}

TEST_CASE("prout_preempt_and_abort_registrations_only", "[model][pr][preempt]") {
  lu l;
  l.setup(2);
  REQUIRE(is_good(l.reg(c, 0, 0x2)));
  const result r = l.preempt(a, 0x1, 0x2, pr::type::exclusive_access, true);
  REQUIRE(is_good(r));
  CHECK(aborts(r, b));
  CHECK(aborts(r, c));
  CHECK_FALSE(aborts(r, a));
}

TEST_CASE("prout_preempt_reaches_every_nexus_of_an_all_tg_pt_registration", "[model][pr][preempt]") {
  lu l;
  REQUIRE(is_good(l.reg(a, 0, 0x1, false, true)));
  REQUIRE(is_good(l.reg(b, 0, 0x2)));
  const result r = l.preempt(b, 0x2, 0x1, pr::type::exclusive_access, true);
  REQUIRE(is_good(r));
  CHECK(has_ua(r, a, sense::registrations_preempted()));
  CHECK(has_ua(r, a_p2, sense::registrations_preempted()));
  CHECK(aborts(r, a));
  CHECK(aborts(r, a_p2));
  CHECK_FALSE(has_ua(r, a2, sense::registrations_preempted()));
}

TEST_CASE("prout_preempt_reports_only_attached_nexuses", "[model][pr][preempt]") {
  lu l;
  l.setup(2);
  l.m.nexus_lost(a);  // logged out: no unit attention to post
  const result r = l.preempt(b, 0x2, 0x1, pr::type::exclusive_access);
  REQUIRE(is_good(r));
  CHECK(r.unit_attentions.empty());
  CHECK_FALSE(l.m.key_of(a));
}
