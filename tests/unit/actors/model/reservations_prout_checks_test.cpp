// PERSISTENT RESERVE OUT CDB and parameter list checks (SPC-4 6.16),
// through the model: the sense and field pointers, and that nothing changes.
#include "reservations_test_util.hpp"

using namespace rtest;

TEST_CASE("prout_parameter_list_length_must_be_24", "[model][pr][prout]") {
  lu l;
  for (const size_t len : {0, 8, 23, 25, 32}) {
    bytes params = pr::make_prout_params(0, 0x1);
    params.resize(len);
    CHECK(is_check(l.prout(a, pr::out_action::register_key, 0, params), sense::parameter_list_length_error()));
  }
  CHECK(l.keys().empty());
}

TEST_CASE("prout_less_data_out_than_parameter_list_length", "[model][pr][prout]") {
  lu l;
  const bytes params = pr::make_prout_params(0, 0x1);
  const auto cdb = pr::make_prout_cdb(pr::out_action::register_key, 0, 24);
  CHECK(is_check(l.m.prout(a, cdb.data(), cdb.size(), params.data(), 20), sense::parameter_list_length_error()));
  CHECK(l.keys().empty());
  // More Data-Out than the CDB says: the CDB's length governs.
  bytes longer = params;
  longer.resize(40, 0xFF);
  CHECK(is_good(l.m.prout(a, cdb.data(), cdb.size(), longer.data(), longer.size())));
}

TEST_CASE("prout_spec_i_pt_parameter_list_length", "[model][pr][prout]") {
  lu l;
  const bytes tids[] = {pr::iscsi_transport_id(port_b1)};
  bytes params = pr::make_spec_i_pt_params(0, 0x1, tids);
  params.resize(24);  // no TRANSPORTID PARAMETER DATA LENGTH
  CHECK(is_check(l.prout(a, pr::out_action::register_key, 0, params), sense::parameter_list_length_error()));
  params = pr::make_spec_i_pt_params(0, 0x1, tids);
  params.push_back(0);  // longer than 28 + TransportIDs
  CHECK(is_check(l.prout(a, pr::out_action::register_key, 0, params), sense::parameter_list_length_error()));
  CHECK(l.keys().empty());
}

TEST_CASE("prout_spec_i_pt_with_other_actions_is_invalid", "[model][pr][prout]") {
  lu l;
  REQUIRE(is_good(l.reg(a, 0, 0x1)));
  bytes params = pr::make_prout_params(0x1, 0);
  params[20] |= 0x08;
  CHECK(is_field_error(l.prout(a, pr::out_action::reserve, pr::type::write_exclusive, params), false, 20, 3));
  CHECK_FALSE(l.m.reservation_type());
}

TEST_CASE("prout_reserved_parameter_bits_are_invalid", "[model][pr][prout]") {
  lu l;
  bytes params = pr::make_prout_params(0, 0x1);
  params[20] = 0x02;
  CHECK(is_field_error(l.prout(a, pr::out_action::register_key, 0, params), false, 20, 1));
  params[20] = 0x40;
  CHECK(is_field_error(l.prout(a, pr::out_action::register_key, 0, params), false, 20, 7));
  params[20] = 0;
  params[21] = 1;
  CHECK(is_field_error(l.prout(a, pr::out_action::register_key, 0, params), false, 21));
  CHECK(l.keys().empty());
}

TEST_CASE("prout_unsupported_service_action_is_invalid_field_in_cdb", "[model][pr][prout]") {
  lu l;
  for (uint8_t sa = pr::out_action::count; sa < 0x20; ++sa)
    CHECK(is_field_error(l.prout(a, sa, 0, pr::make_prout_params(0, 0x1)), true, 1, 4));
  CHECK(l.keys().empty());
}

TEST_CASE("prout_reserved_cdb_bits_are_invalid_field_in_cdb", "[model][pr][prout]") {
  lu l;
  const bytes params = pr::make_prout_params(0, 0x1);
  auto cdb = pr::make_prout_cdb(pr::out_action::register_key, 0, 24);
  cdb[3] = 0x01;
  CHECK(is_field_error(l.m.prout(a, cdb.data(), cdb.size(), params.data(), params.size()), true, 3, 0));
  cdb[3] = 0;
  cdb[1] |= 0x80;
  CHECK(is_field_error(l.m.prout(a, cdb.data(), cdb.size(), params.data(), params.size()), true, 1, 7));
  cdb[1] &= 0x1F;
  cdb[9] = 0x04;  // NACA
  CHECK(is_field_error(l.m.prout(a, cdb.data(), cdb.size(), params.data(), params.size()), true, 9, 2));
  CHECK(l.keys().empty());
}

TEST_CASE("prout_aptpl_without_ptpl_capability_is_invalid", "[model][pr][prout][aptpl]") {
  reservations::options o;
  o.ptpl_capable = false;
  lu l(o);
  CHECK(is_field_error(l.reg(a, 0, 0x1, true), false, 20, 0));
  CHECK(l.keys().empty());
  REQUIRE(is_good(l.reg(a, 0, 0x1, false)));
  bytes d;
  REQUIRE(is_good(l.prin(a, pr::in_action::report_capabilities, d)));
  CHECK((d[2] & 0x01) == 0);  // PTPL_C
}

TEST_CASE("prout_errors_do_not_persist", "[model][pr][prout][aptpl]") {
  lu l;
  REQUIRE(is_good(l.reg(a, 0, 0x1, true)));
  const auto image = l.m.aptpl_image();
  const result r = l.reg(b, 0x5, 0x2, true);  // conflict
  CHECK(is_conflict(r));
  CHECK_FALSE(r.persist);
  CHECK(l.m.aptpl_image() == image);
}
