// RESERVE/RELEASE(6/10) (SPC-2 7.21-7.24) and their interplay with
// persistent reservations (SPC-2 5.5.1, SPC-4 5.13.3).
#include "reservations_test_util.hpp"

using namespace rtest;
namespace op = stmfd::scsi::op;

TEST_CASE("reserve6_simple", "[model][spc2]") {
  lu l;
  REQUIRE(is_good(l.spc2(a, op::reserve6)));
  CHECK(l.m.spc2_holder());
  REQUIRE(is_good(l.spc2(a, op::release6)));
  CHECK_FALSE(l.m.spc2_holder());
}

TEST_CASE("reserve6_2initiators", "[model][spc2]") {
  lu l;
  REQUIRE(is_good(l.spc2(a, op::reserve6)));
  CHECK(is_good(l.spc2(a, op::reserve6)));  // the holder may reserve again
  CHECK(is_conflict(l.spc2(b, op::reserve6)));
  CHECK(is_good(l.spc2(b, op::release6)));  // not the holder: GOOD, no effect
  CHECK(l.m.conflicts(b, cmd_read()));
  CHECK(is_conflict(l.spc2(b, op::reserve6)));
  REQUIRE(is_good(l.spc2(a, op::release6)));
  CHECK(is_good(l.spc2(b, op::reserve6)));
  CHECK(is_good(l.spc2(b, op::release6)));
}

TEST_CASE("reserve10_and_release10", "[model][spc2]") {
  lu l;
  REQUIRE(is_good(l.spc2(a, pr::op_reserve10)));
  CHECK(is_conflict(l.spc2(b, pr::op_reserve10)));
  CHECK(is_conflict(l.spc2(b, op::reserve6)));  // one reservation, whichever CDB
  REQUIRE(is_good(l.spc2(a, op::release6)));
  CHECK(is_good(l.spc2(b, pr::op_reserve10)));
}

TEST_CASE("reserve6_is_per_i_t_nexus", "[model][spc2]") {
  lu l;
  REQUIRE(is_good(l.spc2(a, op::reserve6)));
  CHECK(is_conflict(l.spc2(a_p2, op::reserve6)));  // same initiator port, other target port
  CHECK(is_conflict(l.spc2(a2, op::reserve6)));    // same initiator device, other port
}

TEST_CASE("reserve6_itnexus_loss", "[model][spc2]") {
  lu l;
  REQUIRE(is_good(l.spc2(a, op::reserve6)));
  l.m.nexus_lost(b);  // someone else's loss changes nothing
  CHECK(is_conflict(l.spc2(b, op::reserve6)));
  l.m.nexus_lost(a);
  CHECK(is_good(l.spc2(b, op::reserve6)));
}

TEST_CASE("reserve6_it_nexus_reset", "[model][spc2]") {
  lu l;
  REQUIRE(is_good(l.spc2(a, op::reserve6)));
  l.m.it_nexus_reset(a);
  CHECK(is_good(l.spc2(b, op::reserve6)));
}

TEST_CASE("reserve6_lun_reset", "[model][spc2]") {
  lu l;
  REQUIRE(is_good(l.spc2(a, op::reserve6)));
  l.m.lu_reset();
  CHECK_FALSE(l.m.spc2_holder());
  CHECK(is_good(l.spc2(b, op::reserve6)));
}

TEST_CASE("reserve6_third_party_and_extents_are_invalid", "[model][spc2]") {
  lu l;
  bytes cdb10(10, 0);
  cdb10[0] = pr::op_reserve10;
  cdb10[1] = 0x10;  // 3RDPTY
  CHECK(is_field_error(l.m.reserve(a, cdb10.data(), cdb10.size()), true, 1, 4));
  cdb10[1] = 0x02;  // LONGID
  CHECK(is_field_error(l.m.reserve(a, cdb10.data(), cdb10.size()), true, 1, 1));
  bytes cdb6(6, 0);
  cdb6[0] = op::reserve6;
  cdb6[1] = 0x01;  // extent
  CHECK(is_field_error(l.m.reserve(a, cdb6.data(), cdb6.size()), true, 1, 0));
  CHECK_FALSE(l.m.spc2_holder());
}

TEST_CASE("spc2_reserve_conflicts_with_registrations", "[model][spc2][pr]") {
  // SPC-2 5.5.1: while any key is registered, RESERVE and RELEASE conflict.
  lu l;
  REQUIRE(is_good(l.reg(a, 0, 0x1)));
  CHECK(is_conflict(l.spc2(a, op::reserve6)));  // registered, but no reservation
  CHECK(is_conflict(l.spc2(b, op::reserve6)));
  CHECK(is_conflict(l.spc2(b, op::release6)));
  CHECK(is_conflict(l.spc2(b, pr::op_release10)));
  CHECK_FALSE(l.m.spc2_holder());
}

TEST_CASE("spc2_reserve_release_from_pr_holder_do_nothing", "[model][spc2][pr]") {
  // SPC-4 5.13.3 (CRH = 1): GOOD, and the persistent reservation stays.
  lu l;
  l.setup(1, pr::type::exclusive_access);
  CHECK(is_good(l.spc2(a, op::reserve6)));
  CHECK(is_good(l.spc2(a, op::release6)));
  CHECK_FALSE(l.m.spc2_holder());
  CHECK(l.m.holds(a));
}

TEST_CASE("spc2_reserve_release_from_registrant_under_registrants_types", "[model][spc2][pr]") {
  for (const uint8_t t : {pr::type::write_exclusive_registrants_only, pr::type::exclusive_access_all_registrants,
                          pr::type::write_exclusive}) {
    lu l;
    REQUIRE(is_good(l.reg(a, 0, 0x1)));
    REQUIRE(is_good(l.reg(b, 0, 0x2)));
    REQUIRE(is_good(l.reserve(a, 0x1, t)));
    const bool registrants = t != pr::type::write_exclusive;
    CHECK(is_good(l.spc2(b, op::release6)) == registrants);
    CHECK(is_good(l.spc2(b, op::reserve6)) == registrants);
    CHECK(is_conflict(l.spc2(c, op::reserve6)));  // not registered
    CHECK_FALSE(l.m.spc2_holder());
    CHECK(l.m.reservation_type() == t);
  }
}

TEST_CASE("spc2_reservation_makes_persistent_reserve_commands_conflict", "[model][spc2][pr]") {
  // SPC-2 5.5.1: every PR IN and PR OUT conflicts, whichever nexus sends it.
  lu l;
  REQUIRE(is_good(l.spc2(a, op::reserve6)));
  bytes d;
  for (const auto& n : {a, b}) {
    CHECK(is_conflict(l.reg(n, 0, 0x1)));
    CHECK(is_conflict(l.prin(n, pr::in_action::read_keys, d)));
    CHECK(is_conflict(l.prin(n, pr::in_action::report_capabilities, d)));
  }
  CHECK(l.m.registration_count() == 0);
  REQUIRE(is_good(l.spc2(a, op::release6)));
  CHECK(is_good(l.reg(b, 0, 0x1)));
}

TEST_CASE("spc2_reservation_is_never_persisted", "[model][spc2][aptpl]") {
  lu l;
  REQUIRE(is_good(l.reg(a, 0, 0x1, true)));
  const auto image = l.m.save();
  REQUIRE(is_good(l.reg(a, 0x1, 0, true)));  // unregister, APTPL still on
  const auto empty_state = l.m.save();
  REQUIRE(is_good(l.spc2(b, op::reserve6)));
  CHECK(l.m.save() == empty_state);
  CHECK(image != empty_state);
}

TEST_CASE("execute_routes_by_opcode", "[model][pr]") {
  lu l;
  bytes cdb = {stmfd::scsi::op::read10, 0, 0, 0, 0, 0, 0, 0, 1, 0};
  CHECK_FALSE(reservations::handles(cdb.data(), cdb.size()));
  CHECK(is_check(l.m.execute(a, cdb.data(), cdb.size(), nullptr, 0, nullptr, 0), sense::invalid_opcode()));
  for (const uint8_t opc : {op::persistent_reserve_in, op::persistent_reserve_out, op::reserve6, op::release6,
                            pr::op_reserve10, pr::op_release10}) {
    cdb[0] = opc;
    CHECK(reservations::handles(cdb.data(), 1));
  }
  const bytes params = pr::make_prout_params(0, 0x44);
  const auto prout = pr::make_prout_cdb(pr::out_action::register_key, 0, 24);
  REQUIRE(is_good(l.m.execute(a, prout.data(), prout.size(), params.data(), params.size(), nullptr, 0)));
  bytes buf(64);
  const auto prin = pr::make_prin_cdb(pr::in_action::read_keys, 64);
  const result r = l.m.execute(a, prin.data(), prin.size(), nullptr, 0, buf.data(), buf.size());
  REQUIRE(is_good(r));
  CHECK(r.data_in_len == 16);
}
