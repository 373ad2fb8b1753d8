// REGISTER AND MOVE (SPC-4 5.13.8, 6.16.4).
#include "reservations_test_util.hpp"

using namespace rtest;

namespace {

// A holds a Write Exclusive reservation with key 0x1; B is registered with 0x2.
lu holding() {
  lu l;
  l.setup(2, pr::type::write_exclusive);
  return l;
}

}  // namespace

TEST_CASE("prout_register_and_move_to_unregistered_nexus", "[model][pr][move]") {
  lu l = holding();
  const uint32_t g = l.m.generation();
  const result r = l.move(a, 0x1, 0x7, c.relative_port, pr::iscsi_transport_id(c.initiator_port));
  REQUIRE(is_good(r));
  CHECK(l.m.key_of(c) == 0x7u);
  CHECK(l.m.holds(c));
  CHECK_FALSE(l.m.holds(a));
  CHECK(l.m.key_of(a) == 0x1u);  // UNREG 0: the issuer stays registered
  CHECK(l.m.reservation_type() == pr::type::write_exclusive);
  CHECK(l.m.generation() == g + 1);
  CHECK(l.reservation() == std::pair<uint64_t, uint8_t>{0x7, pr::type::write_exclusive});
}

TEST_CASE("prout_register_and_move_keeps_type_ignoring_the_cdb", "[model][pr][move]") {
  lu l = holding();
  const auto params = pr::make_move_params(0x1, 0x7, 1, pr::iscsi_transport_id(c.initiator_port));
  REQUIRE(is_good(l.prout(a, pr::out_action::register_and_move, pr::type::exclusive_access, params)));
  CHECK(l.m.reservation_type() == pr::type::write_exclusive);
}

TEST_CASE("prout_register_and_move_unreg_unregisters_issuer", "[model][pr][move]") {
  lu l = holding();
  REQUIRE(is_good(l.move(a, 0x1, 0x7, 1, pr::iscsi_transport_id(c.initiator_port), true)));
  CHECK_FALSE(l.m.key_of(a));
  CHECK(l.m.holds(c));
}

TEST_CASE("prout_register_and_move_to_registered_nexus_replaces_its_key", "[model][pr][move]") {
  lu l = holding();
  REQUIRE(is_good(l.move(a, 0x1, 0x9, 1, pr::iscsi_transport_id(port_b1))));
  CHECK(l.m.key_of(b) == 0x9u);
  CHECK(l.m.holds(b));
  CHECK(l.m.registration_count() == 2);
}

TEST_CASE("prout_register_and_move_to_fc_port", "[model][pr][move]") {
  lu l = holding();
  l.m.set_target_ports({{1, pr::protocol::iscsi}, {2, pr::protocol::fc}});
  CHECK(is_field_error(l.move(a, 0x1, 0x7, 1, pr::fc_transport_id(0x21000024ff000001)), false, 24, 3));
  REQUIRE(is_good(l.move(a, 0x1, 0x7, 2, pr::fc_transport_id(0x21000024ff000001))));
  CHECK(l.m.holds(nexus("wwn.21000024ff000001", 2)));
}

TEST_CASE("prout_register_and_move_needs_the_holder", "[model][pr][move]") {
  lu l = holding();
  const auto tid = pr::iscsi_transport_id(c.initiator_port);
  CHECK(is_conflict(l.move(b, 0x2, 0x7, 1, tid)));  // registered, not the holder
  CHECK(is_conflict(l.move(c, 0, 0x7, 1, tid)));    // not registered
  CHECK(is_conflict(l.move(a, 0x5, 0x7, 1, tid)));  // wrong key
  REQUIRE(is_good(l.release(a, 0x1, pr::type::write_exclusive)));
  CHECK(is_conflict(l.move(a, 0x1, 0x7, 1, tid)));  // no reservation
  CHECK_FALSE(l.m.key_of(c));
}

TEST_CASE("prout_register_and_move_all_registrants_conflicts", "[model][pr][move]") {
  lu l;
  l.setup(1, pr::type::write_exclusive_all_registrants);
  CHECK(is_conflict(l.move(a, 0x1, 0x7, 1, pr::iscsi_transport_id(c.initiator_port))));
}

TEST_CASE("prout_register_and_move_zero_sark_is_invalid", "[model][pr][move]") {
  lu l = holding();
  CHECK(is_field_error(l.move(a, 0x1, 0, 1, pr::iscsi_transport_id(c.initiator_port)), false, 8));
  CHECK(l.m.holds(a));
}

TEST_CASE("prout_register_and_move_to_the_issuing_initiator_port_is_invalid", "[model][pr][move]") {
  lu l = holding();
  CHECK(is_field_error(l.move(a, 0x1, 0x7, 2, pr::iscsi_transport_id(port_a1)), false, 24));
  CHECK(is_field_error(l.move(a, 0x1, 0x7, 1, pr::iscsi_transport_id(name_a)), false, 24));  // its device
  CHECK(l.m.holds(a));
}

TEST_CASE("prout_register_and_move_unknown_target_port_is_invalid", "[model][pr][move]") {
  lu l = holding();
  l.m.set_target_ports({{1, pr::protocol::iscsi}});
  CHECK(is_field_error(l.move(a, 0x1, 0x7, 5, pr::iscsi_transport_id(c.initiator_port)), false, 18));
  CHECK(l.m.holds(a));
}

TEST_CASE("prout_register_and_move_parameter_list_length", "[model][pr][move]") {
  lu l = holding();
  auto params = pr::make_move_params(0x1, 0x7, 1, pr::iscsi_transport_id(c.initiator_port));
  params.push_back(0);  // one byte beyond the TransportID
  CHECK(is_check(l.prout(a, pr::out_action::register_and_move, 0, params), sense::parameter_list_length_error()));
  params.resize(23);
  CHECK(is_check(l.prout(a, pr::out_action::register_and_move, 0, params), sense::parameter_list_length_error()));
  CHECK(l.m.holds(a));
}

TEST_CASE("prout_register_and_move_sets_aptpl", "[model][pr][move][aptpl]") {
  lu l = holding();
  const result r = l.move(a, 0x1, 0x7, 1, pr::iscsi_transport_id(c.initiator_port), false, true);
  REQUIRE(is_good(r));
  CHECK(l.m.aptpl());
  CHECK(r.persist);
}
