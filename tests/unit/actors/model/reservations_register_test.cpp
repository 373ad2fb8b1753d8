// REGISTER and REGISTER AND IGNORE EXISTING KEY (SPC-4 5.13.7, 5.13.11.3).
#include "reservations_test_util.hpp"

using namespace rtest;

TEST_CASE("prout_register_basic", "[model][pr][register]") {
  lu l;
  REQUIRE(is_good(l.reg(a, 0, 0x1111)));
  CHECK(l.keys() == std::vector<uint64_t>{0x1111});
  CHECK(l.m.key_of(a) == 0x1111u);
  CHECK(l.m.generation() == 1);
  CHECK_FALSE(l.m.key_of(b));
}

TEST_CASE("prout_register_nonzero_rk_from_unregistered_conflicts", "[model][pr][register]") {
  lu l;
  CHECK(is_conflict(l.reg(a, 0x5, 0x1111)));
  CHECK(l.keys().empty());
  CHECK(l.m.generation() == 0);
}

TEST_CASE("prout_register_zero_sark_from_unregistered_does_nothing", "[model][pr][register]") {
  lu l;
  const result r = l.reg(a, 0, 0);
  CHECK(is_good(r));
  CHECK_FALSE(r.persist);
  CHECK(l.keys().empty());
  CHECK(l.m.generation() == 0);  // no change, no new generation
}

TEST_CASE("prout_reregister_with_wrong_key_conflicts", "[model][pr][register]") {
  // libiscsi prout_register_simple: RK 0 from a registered nexus.
  lu l;
  REQUIRE(is_good(l.reg(a, 0, 0x1111)));
  CHECK(is_conflict(l.reg(a, 0, 0x1112)));
  CHECK(is_conflict(l.reg(a, 0x2222, 0x1112)));
  CHECK(l.keys() == std::vector<uint64_t>{0x1111});
  CHECK(l.m.generation() == 1);
}

TEST_CASE("prout_register_changes_key", "[model][pr][register]") {
  lu l;
  REQUIRE(is_good(l.reg(a, 0, 0x1111)));
  REQUIRE(is_good(l.reg(a, 0x1111, 0x2222)));
  CHECK(l.keys() == std::vector<uint64_t>{0x2222});
  CHECK(l.m.generation() == 2);
}

TEST_CASE("prout_unregister_removes_key", "[model][pr][register]") {
  lu l;
  REQUIRE(is_good(l.reg(a, 0, 0x1111)));
  REQUIRE(is_good(l.reg(b, 0, 0x2222)));
  REQUIRE(is_good(l.reg(a, 0x1111, 0)));
  CHECK(l.keys() == std::vector<uint64_t>{0x2222});
  CHECK_FALSE(l.m.key_of(a));
  CHECK(l.m.generation() == 3);
}

TEST_CASE("prout_register_and_ignore_replaces_key_without_rk", "[model][pr][register]") {
  lu l;
  REQUIRE(is_good(l.reg_ignore(a, 0x1111)));
  REQUIRE(is_good(l.reg_ignore(a, 0x3333)));  // RESERVATION KEY (0) is ignored
  CHECK(l.keys() == std::vector<uint64_t>{0x3333});
  REQUIRE(is_good(l.reg_ignore(a, 0)));
  CHECK(l.keys().empty());
  CHECK(l.m.generation() == 3);
}

TEST_CASE("prout_register_and_ignore_with_spec_i_pt_is_invalid", "[model][pr][register]") {
  lu l;
  const bytes tids[] = {pr::iscsi_transport_id(port_b1)};
  auto params = pr::make_spec_i_pt_params(0, 0x1111, tids);
  params.resize(24);  // a 24-byte list with SPEC_I_PT set
  CHECK(is_field_error(l.prout(a, pr::out_action::register_and_ignore, 0, params), false, 20, 3));
  CHECK(l.keys().empty());
}

TEST_CASE("prout_register_spec_i_pt_from_registered_nexus_is_invalid", "[model][pr][register]") {
  lu l;
  REQUIRE(is_good(l.reg(a, 0, 0x1111)));
  const bytes tids[] = {pr::iscsi_transport_id(port_b1)};
  const result r = l.prout(a, pr::out_action::register_key, 0, pr::make_spec_i_pt_params(0x1111, 0x2222, tids));
  CHECK(is_field_error(r, false, 20, 3));
  CHECK(l.keys() == std::vector<uint64_t>{0x1111});
}

TEST_CASE("prout_register_spec_i_pt_registers_listed_ports", "[model][pr][register]") {
  lu l;
  // B by initiator port (format 01b), C by device name (format 00b), and an FC port.
  const bytes tids[] = {pr::iscsi_transport_id(port_b1), pr::iscsi_transport_id("iqn.2026-01.org.test:c"),
                        pr::fc_transport_id(0x21000024ff000001)};
  REQUIRE(is_good(l.prout(a, pr::out_action::register_key, 0, pr::make_spec_i_pt_params(0, 0x77, tids))));
  CHECK(l.keys().size() == 4);
  CHECK(l.m.generation() == 1);  // one command, one generation
  for (const auto& n : {a, b, c, fc}) CHECK(l.m.key_of(n) == 0x77u);
  // Through the issuer's target port only; C's other ports are covered by format 00b.
  CHECK_FALSE(l.m.key_of(nexus(port_b1, 2)));
  CHECK(l.m.key_of(nexus("iqn.2026-01.org.test:c,i,0x2300000000ff", 1)) == 0x77u);
  // The registered ports may act on their own.
  CHECK(is_good(l.reserve(b, 0x77, pr::type::exclusive_access)));
}

TEST_CASE("prout_register_spec_i_pt_with_registered_target_is_rejected_whole", "[model][pr][register]") {
  lu l;
  REQUIRE(is_good(l.reg(c, 0, 0x3)));
  const bytes tids[] = {pr::iscsi_transport_id(port_b1), pr::iscsi_transport_id(c.initiator_port)};
  const result r = l.prout(a, pr::out_action::register_key, 0, pr::make_spec_i_pt_params(0, 0x77, tids));
  // The second TransportID (C, already registered) starts at 28 + the first's length.
  CHECK(is_field_error(r, false, uint16_t(28 + tids[0].size())));
  CHECK_FALSE(l.m.key_of(a));  // nothing was registered
  CHECK_FALSE(l.m.key_of(b));
  CHECK(l.m.generation() == 1);
}

TEST_CASE("prout_register_spec_i_pt_naming_the_issuer_is_ignored", "[model][pr][register]") {
  lu l;
  const bytes tids[] = {pr::iscsi_transport_id(port_a1), pr::iscsi_transport_id(port_b1),
                        pr::iscsi_transport_id(port_b1)};
  REQUIRE(is_good(l.prout(a, pr::out_action::register_key, 0, pr::make_spec_i_pt_params(0, 0x9, tids))));
  CHECK(l.keys().size() == 2);
}

TEST_CASE("prout_register_spec_i_pt_bad_transport_id_is_invalid", "[model][pr][register]") {
  lu l;
  bytes bad = pr::iscsi_transport_id(port_b1);
  bad[0] = 0x04;  // PROTOCOL IDENTIFIER 4h (SRP): not supported
  const bytes tids[] = {bad};
  CHECK(is_field_error(l.prout(a, pr::out_action::register_key, 0, pr::make_spec_i_pt_params(0, 0x9, tids)), false, 28,
                       3));
  CHECK(l.keys().empty());
}

TEST_CASE("prout_register_all_tg_pt_covers_every_target_port", "[model][pr][register]") {
  lu l;
  REQUIRE(is_good(l.reg(a, 0, 0x1111, false, true)));
  CHECK(l.m.key_of(a) == 0x1111u);
  CHECK(l.m.key_of(a_p2) == 0x1111u);
  CHECK(l.m.key_of(nexus(port_a1, 77)) == 0x1111u);
  CHECK_FALSE(l.m.key_of(a2));  // another initiator port of the same device
  CHECK(l.keys().size() == 1);  // one registration
  // A key change through any port changes it for all.
  REQUIRE(is_good(l.reg(a_p2, 0x1111, 0x2222)));
  CHECK(l.m.key_of(a) == 0x2222u);
}

TEST_CASE("prout_register_is_per_target_port_without_all_tg_pt", "[model][pr][register]") {
  lu l;
  REQUIRE(is_good(l.reg(a, 0, 0x1111)));
  CHECK_FALSE(l.m.key_of(a_p2));
  REQUIRE(is_good(l.reg(a_p2, 0, 0x2222)));
  CHECK(l.keys().size() == 2);
}

TEST_CASE("prout_register_all_tg_pt_over_a_port_registration_is_invalid", "[model][pr][register]") {
  lu l;
  REQUIRE(is_good(l.reg(a_p2, 0, 0x2222)));
  CHECK(is_field_error(l.reg(a, 0, 0x1111, false, true), false, 20, 2));
  CHECK_FALSE(l.m.key_of(a));
}

TEST_CASE("prout_register_survives_nexus_loss_and_reset", "[model][pr][register]") {
  lu l;
  REQUIRE(is_good(l.reg(a, 0, 0x1111)));
  l.m.nexus_lost(a);
  l.m.lu_reset();
  l.m.it_nexus_reset(a);
  // The same initiator port reconnects through the same target port: a new
  // connection, the same I_T nexus identity.
  l.m.attach(nexus(port_a1, 1));
  CHECK(l.m.key_of(a) == 0x1111u);
  CHECK(is_good(l.reserve(a, 0x1111, pr::type::write_exclusive)));
}

TEST_CASE("prout_register_initiator_names_compare_case_insensitively", "[model][pr][register]") {
  lu l;
  REQUIRE(is_good(l.reg(a, 0, 0x1111)));
  std::string upper = port_a1;
  for (auto& ch : upper) ch = char(std::toupper(uint8_t(ch)));
  CHECK(l.m.key_of(nexus(upper, 1)) == 0x1111u);
}

TEST_CASE("prout_register_insufficient_registration_resources", "[model][pr][register]") {
  reservations::options o;
  o.max_registrations = 2;
  lu l(o);
  REQUIRE(is_good(l.reg(a, 0, 1)));
  REQUIRE(is_good(l.reg(b, 0, 2)));
  CHECK(is_check(l.reg(c, 0, 3), sense::insufficient_registration_resources()));
  CHECK(l.keys().size() == 2);
}

TEST_CASE("prout_unregister_holder_releases_reservation", "[model][pr][register]") {
  lu l;
  l.setup(2, pr::type::write_exclusive);
  const result r = l.reg(a, 0x1, 0);
  REQUIRE(is_good(r));
  CHECK_FALSE(l.m.reservation_type());
  CHECK(r.unit_attentions.empty());  // Write Exclusive: no unit attention
}

TEST_CASE("prout_unregister_registrants_only_holder_posts_reservations_released", "[model][pr][register]") {
  lu l;
  l.setup(2, pr::type::exclusive_access_registrants_only);
  const result r = l.reg(a, 0x1, 0);
  REQUIRE(is_good(r));
  CHECK_FALSE(l.m.reservation_type());
  CHECK(has_ua(r, b, sense::reservations_released()));
  CHECK_FALSE(has_ua(r, a, sense::reservations_released()));
  CHECK_FALSE(has_ua(r, c, sense::reservations_released()));  // not registered
  CHECK(r.unit_attentions.size() == 1);
}

TEST_CASE("prout_unregister_non_holder_keeps_reservation", "[model][pr][register]") {
  lu l;
  l.setup(2, pr::type::exclusive_access);
  REQUIRE(is_good(l.reg(b, 0x2, 0)));
  CHECK(l.m.reservation_type() == pr::type::exclusive_access);
  CHECK(l.m.holds(a));
}

TEST_CASE("prout_unregister_all_registrants_reservation_ends_with_last", "[model][pr][register]") {
  lu l;
  l.setup(2, pr::type::write_exclusive_all_registrants);
  REQUIRE(is_good(l.reg(a, 0x1, 0)));
  CHECK(l.m.reservation_type() == pr::type::write_exclusive_all_registrants);
  CHECK(l.m.holds(b));
  REQUIRE(is_good(l.reg(b, 0x2, 0)));
  CHECK_FALSE(l.m.reservation_type());
}

TEST_CASE("prout_register_last_aptpl_governs", "[model][pr][register][aptpl]") {
  lu l;
  result r = l.reg(a, 0, 0x1, true);
  REQUIRE(is_good(r));
  CHECK(l.m.aptpl());
  CHECK(r.persist);
  r = l.reg(b, 0, 0x2, false);  // the most recent APTPL from any nexus governs
  REQUIRE(is_good(r));
  CHECK_FALSE(l.m.aptpl());
  CHECK(r.persist);  // the image to keep became empty
  CHECK(l.m.aptpl_image().empty());
  r = l.reg(c, 0, 0x3, false);
  CHECK_FALSE(r.persist);  // nothing persistent to write
}

TEST_CASE("nexus_identity_from_remote_port", "[model][pr][register]") {
  stmfd::remote_port iscsi{stmfd::transport::iscsi, name_a, port_a1};
  const nexus_identity n = stmfd::make_nexus_identity(iscsi, 3);
  CHECK(n.initiator_port == port_a1);
  CHECK(n.relative_port == 3);
  CHECK(n.transport_id == pr::iscsi_transport_id(port_a1));
  stmfd::remote_port fcp{stmfd::transport::fc, "wwn.21000024ff000001", "21000024ff000001"};
  const nexus_identity f = stmfd::make_nexus_identity(fcp, 1);
  CHECK(f.initiator_port == "wwn.21000024ff000001");
  CHECK(f.transport_id == pr::fc_transport_id(0x21000024ff000001));
  // An FC TransportID in SPEC_I_PT names this very nexus.
  lu l;
  const bytes tids[] = {pr::fc_transport_id(0x21000024ff000001)};
  REQUIRE(is_good(l.prout(a, pr::out_action::register_key, 0, pr::make_spec_i_pt_params(0, 0x5, tids))));
  CHECK(l.m.key_of(f) == 0x5u);
}
