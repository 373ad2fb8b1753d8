// RESERVE, RELEASE and CLEAR (SPC-4 5.13.9, 5.13.11.2, 5.13.11.6).
#include "reservations_test_util.hpp"

using namespace rtest;

namespace {

constexpr uint8_t all_types[] = {pr::type::write_exclusive,
                                 pr::type::exclusive_access,
                                 pr::type::write_exclusive_registrants_only,
                                 pr::type::exclusive_access_registrants_only,
                                 pr::type::write_exclusive_all_registrants,
                                 pr::type::exclusive_access_all_registrants};

}  // namespace

TEST_CASE("prout_reserve_simple_every_type", "[model][pr][reserve]") {
  // libiscsi prin_report_caps: reserve, read it back, release, per type.
  for (const uint8_t t : all_types) {
    lu l;
    REQUIRE(is_good(l.reg(a, 0, 0xAB)));
    REQUIRE(is_good(l.reserve(a, 0xAB, t)));
    const auto [key, type] = l.reservation();
    CHECK(type == t);
    CHECK(key == (pr::all_registrants(t) ? 0u : 0xABu));  // SPC-4 5.13.10
    CHECK(l.m.holds(a));
    REQUIRE(is_good(l.release(a, 0xAB, t)));
    CHECK(l.reservation() == std::pair<uint64_t, uint8_t>{0, 0});
  }
}

TEST_CASE("prout_reserve_unregistered_conflicts", "[model][pr][reserve]") {
  lu l;
  CHECK(is_conflict(l.reserve(a, 0, pr::type::write_exclusive)));
  CHECK(is_conflict(l.reserve(a, 0x1, pr::type::write_exclusive)));
  CHECK_FALSE(l.m.reservation_type());
}

TEST_CASE("prout_reserve_wrong_key_conflicts", "[model][pr][reserve]") {
  lu l;
  REQUIRE(is_good(l.reg(a, 0, 0x1)));
  CHECK(is_conflict(l.reserve(a, 0x2, pr::type::write_exclusive)));
  CHECK_FALSE(l.m.reservation_type());
}

TEST_CASE("prout_reserve_held_by_another_conflicts", "[model][pr][reserve]") {
  lu l;
  l.setup(2, pr::type::exclusive_access);
  CHECK(is_conflict(l.reserve(b, 0x2, pr::type::exclusive_access)));
  CHECK(is_conflict(l.reserve(b, 0x2, pr::type::write_exclusive)));
  CHECK(l.m.holds(a));
  CHECK_FALSE(l.m.holds(b));
}

TEST_CASE("prout_reserve_holder_repeating_type_is_good_other_type_conflicts", "[model][pr][reserve]") {
  lu l;
  l.setup(1, pr::type::write_exclusive);
  CHECK(is_good(l.reserve(a, 0x1, pr::type::write_exclusive)));
  CHECK(is_conflict(l.reserve(a, 0x1, pr::type::exclusive_access)));
  CHECK(l.m.reservation_type() == pr::type::write_exclusive);
}

TEST_CASE("prout_reserve_all_registrants_any_registrant_is_a_holder", "[model][pr][reserve]") {
  lu l;
  l.setup(2, pr::type::exclusive_access_all_registrants);
  CHECK(l.m.holds(b));
  CHECK(is_good(l.reserve(b, 0x2, pr::type::exclusive_access_all_registrants)));
  CHECK(is_conflict(l.reserve(b, 0x2, pr::type::exclusive_access)));
  CHECK_FALSE(l.m.holds(c));
}

TEST_CASE("prout_reserve_and_release_keep_prgeneration", "[model][pr][reserve]") {
  lu l;
  REQUIRE(is_good(l.reg(a, 0, 0x1)));
  const uint32_t g = l.m.generation();
  REQUIRE(is_good(l.reserve(a, 0x1, pr::type::write_exclusive)));
  REQUIRE(is_good(l.release(a, 0x1, pr::type::write_exclusive)));
  CHECK(l.m.generation() == g);
}

TEST_CASE("prout_reserve_invalid_type_or_scope_is_invalid_field_in_cdb", "[model][pr][reserve]") {
  lu l;
  REQUIRE(is_good(l.reg(a, 0, 0x1)));
  for (const uint8_t t : {0, 2, 4, 9, 15}) CHECK(is_field_error(l.reserve(a, 0x1, uint8_t(t)), true, 2, 3));
  CHECK(is_field_error(l.prout(a, pr::out_action::reserve, pr::type::write_exclusive, pr::make_prout_params(1, 0), 1),
                       true, 2, 7));
  CHECK_FALSE(l.m.reservation_type());
  // REGISTER ignores SCOPE and TYPE (SPC-4 6.16.2 Table 202).
  CHECK(is_good(l.prout(b, pr::out_action::register_key, 0xF, pr::make_prout_params(0, 0x2), 0xF)));
}

TEST_CASE("prout_release_by_non_holder_or_without_reservation_does_nothing", "[model][pr][release]") {
  lu l;
  l.setup(2);
  CHECK(is_good(l.release(a, 0x1, pr::type::write_exclusive)));  // no reservation
  REQUIRE(is_good(l.reserve(a, 0x1, pr::type::write_exclusive)));
  const result r = l.release(b, 0x2, pr::type::write_exclusive);
  CHECK(is_good(r));
  CHECK(r.unit_attentions.empty());
  CHECK(l.m.holds(a));
}

TEST_CASE("prout_release_unregistered_or_wrong_key_conflicts", "[model][pr][release]") {
  lu l;
  l.setup(1, pr::type::write_exclusive);
  CHECK(is_conflict(l.release(c, 0x1, pr::type::write_exclusive)));
  CHECK(is_conflict(l.release(a, 0x9, pr::type::write_exclusive)));
  CHECK(l.m.holds(a));
}

TEST_CASE("prout_release_type_mismatch_is_invalid_release", "[model][pr][release]") {
  lu l;
  l.setup(1, pr::type::write_exclusive);
  CHECK(is_check(l.release(a, 0x1, pr::type::exclusive_access), sense::invalid_release_of_persistent_reservation()));
  CHECK(l.m.holds(a));
}

TEST_CASE("prout_release_registrants_types_post_reservations_released", "[model][pr][release]") {
  for (const uint8_t t : {pr::type::write_exclusive_registrants_only, pr::type::exclusive_access_all_registrants}) {
    lu l;
    REQUIRE(is_good(l.reg(a, 0, 0x1)));
    REQUIRE(is_good(l.reg(b, 0, 0x2)));
    REQUIRE(is_good(l.reg(a_p2, 0, 0x3)));
    REQUIRE(is_good(l.reserve(a, 0x1, t)));
    const result r = l.release(a, 0x1, t);
    REQUIRE(is_good(r));
    CHECK(has_ua(r, b, sense::reservations_released()));
    CHECK(has_ua(r, a_p2, sense::reservations_released()));  // another I_T nexus of the same port
    CHECK_FALSE(has_ua(r, a, sense::reservations_released()));
    CHECK_FALSE(has_ua(r, c, sense::reservations_released()));
    CHECK(r.unit_attentions.size() == 2);
    CHECK(l.m.registration_count() == 3);  // registrations stay
  }
}

TEST_CASE("prout_release_plain_types_post_no_unit_attention", "[model][pr][release]") {
  for (const uint8_t t : {pr::type::write_exclusive, pr::type::exclusive_access}) {
    lu l;
    REQUIRE(is_good(l.reg(a, 0, 0x1)));
    REQUIRE(is_good(l.reg(b, 0, 0x2)));
    REQUIRE(is_good(l.reserve(a, 0x1, t)));
    const result r = l.release(a, 0x1, t);
    REQUIRE(is_good(r));
    CHECK(r.unit_attentions.empty());
  }
}

TEST_CASE("prout_clear_simple", "[model][pr][clear]") {
  lu l;
  REQUIRE(is_good(l.reg(a, 0, 0x1, true)));
  REQUIRE(is_good(l.reg(b, 0, 0x2, true)));
  REQUIRE(is_good(l.reserve(b, 0x2, pr::type::exclusive_access)));
  const uint32_t g = l.m.generation();
  const result r = l.clear(a, 0x1);
  REQUIRE(is_good(r));
  CHECK(l.keys().empty());
  CHECK_FALSE(l.m.reservation_type());
  CHECK(l.m.generation() == g + 1);
  CHECK(has_ua(r, b, sense::reservations_preempted()));
  CHECK_FALSE(has_ua(r, a, sense::reservations_preempted()));
  CHECK_FALSE(has_ua(r, c, sense::reservations_preempted()));
  CHECK(r.persist);
  CHECK(l.m.aptpl());
}

TEST_CASE("prout_clear_unregistered_or_wrong_key_conflicts", "[model][pr][clear]") {
  lu l;
  REQUIRE(is_good(l.reg(a, 0, 0x1)));
  CHECK(is_conflict(l.clear(b, 0)));
  CHECK(is_conflict(l.clear(a, 0x2)));
  CHECK(l.keys().size() == 1);
}
