// PERSISTENT RESERVE IN (SPC-4 6.15) through the model.
#include "reservations_test_util.hpp"

using namespace rtest;
using stmfd::scsi::get_be16;
using stmfd::scsi::get_be32;
using stmfd::scsi::get_be64;

TEST_CASE("prin_read_keys_simple", "[model][pr][prin]") {
  lu l;
  REQUIRE(is_good(l.reg(a, 0, 0x1111)));
  REQUIRE(is_good(l.reg(b, 0, 0x2222)));
  bytes d;
  REQUIRE(is_good(l.prin(c, pr::in_action::read_keys, d)));  // any nexus may read
  REQUIRE(d.size() == 24);
  CHECK(get_be32(&d[0]) == 2);   // PRgeneration
  CHECK(get_be32(&d[4]) == 16);  // ADDITIONAL LENGTH
  CHECK(get_be64(&d[8]) == 0x1111);
  CHECK(get_be64(&d[16]) == 0x2222);
}

TEST_CASE("prin_read_keys_truncate", "[model][pr][prin]") {
  // libiscsi prin_read_keys_truncate: allocation length 8.
  lu l;
  REQUIRE(is_good(l.reg(a, 0, 0x1111)));
  bytes d;
  REQUIRE(is_good(l.prin(a, pr::in_action::read_keys, d, 8)));
  REQUIRE(d.size() == 8);
  CHECK(get_be32(&d[4]) == 8);  // still the full length
  REQUIRE(is_good(l.prin(a, pr::in_action::read_keys, d, 12)));
  CHECK(d.size() == 12);
  REQUIRE(is_good(l.prin(a, pr::in_action::read_keys, d, 0)));
  CHECK(d.empty());
}

TEST_CASE("prin_data_is_cut_to_the_buffer_too", "[model][pr][prin]") {
  lu l;
  REQUIRE(is_good(l.reg(a, 0, 0x1111)));
  bytes buf(10, 0);
  const auto cdb = pr::make_prin_cdb(pr::in_action::read_keys, 4096);
  const result r = l.m.prin(a, cdb.data(), cdb.size(), buf.data(), buf.size());
  REQUIRE(is_good(r));
  CHECK(r.data_in_len == 10);
}

TEST_CASE("prin_read_reservation", "[model][pr][prin]") {
  lu l;
  bytes d;
  REQUIRE(is_good(l.prin(a, pr::in_action::read_reservation, d)));
  CHECK(d == bytes{0, 0, 0, 0, 0, 0, 0, 0});
  REQUIRE(is_good(l.reg(a, 0, 0xABCD)));
  REQUIRE(is_good(l.reserve(a, 0xABCD, pr::type::exclusive_access_registrants_only)));
  REQUIRE(is_good(l.prin(b, pr::in_action::read_reservation, d)));
  const bytes want = {0, 0, 0, 1, 0, 0, 0, 0x10, 0, 0, 0, 0, 0, 0, 0xAB, 0xCD, 0, 0, 0, 0, 0, 0x06, 0, 0};
  CHECK(d == want);
}

TEST_CASE("prin_report_caps", "[model][pr][prin]") {
  reservations::options o;
  o.allow_commands = 3;
  lu l(o);
  bytes d;
  REQUIRE(is_good(l.prin(a, pr::in_action::report_capabilities, d)));
  // LENGTH 8; CRH SIP_C ATP_C PTPL_C; TMV, ALLOW COMMANDS 3, PTPL_A 0; all six types.
  CHECK(d == bytes{0x00, 0x08, 0x1D, 0xB0, 0xEA, 0x01, 0, 0});
  REQUIRE(is_good(l.reg(a, 0, 0x1, true)));
  REQUIRE(is_good(l.prin(a, pr::in_action::report_capabilities, d)));
  CHECK(d[3] == 0xB1);  // PTPL_A follows APTPL
}

TEST_CASE("prin_read_full_status", "[model][pr][prin]") {
  lu l;
  REQUIRE(is_good(l.reg(a, 0, 0x1)));
  REQUIRE(is_good(l.reg(b, 0, 0x2, false, true)));
  REQUIRE(is_good(l.reserve(a, 0x1, pr::type::write_exclusive)));
  bytes d;
  REQUIRE(is_good(l.prin(c, pr::in_action::read_full_status, d)));
  const bytes tid_a = pr::iscsi_transport_id(port_a1);
  const bytes tid_b = pr::iscsi_transport_id(port_b1);
  REQUIRE(d.size() == 8 + 24 + tid_a.size() + 24 + tid_b.size());
  CHECK(get_be32(&d[0]) == 2);
  CHECK(get_be32(&d[4]) == d.size() - 8);
  // A: key 1, R_HOLDER, Write Exclusive, target port 1.
  const uint8_t* e = &d[8];
  CHECK(get_be64(e) == 0x1);
  CHECK(e[12] == 0x01);
  CHECK(e[13] == pr::type::write_exclusive);
  CHECK(get_be16(e + 18) == 1);
  CHECK(get_be32(e + 20) == tid_a.size());
  CHECK(bytes(e + 24, e + 24 + tid_a.size()) == tid_a);
  // B: key 2, ALL_TG_PT, not a holder.
  e += 24 + tid_a.size();
  CHECK(get_be64(e) == 0x2);
  CHECK(e[12] == 0x02);
  CHECK(e[13] == 0);
  CHECK(bytes(e + 24, e + 24 + tid_b.size()) == tid_b);
}

TEST_CASE("prin_read_full_status_all_registrants_are_holders", "[model][pr][prin]") {
  lu l;
  REQUIRE(is_good(l.reg(a, 0, 0x1)));
  REQUIRE(is_good(l.reg(fc, 0, 0x2)));
  REQUIRE(is_good(l.reserve(a, 0x1, pr::type::exclusive_access_all_registrants)));
  bytes d;
  REQUIRE(is_good(l.prin(a, pr::in_action::read_full_status, d)));
  const size_t second = 8 + 24 + pr::iscsi_transport_id(port_a1).size();
  CHECK(d[8 + 12] == 0x01);
  CHECK(d[8 + 13] == pr::type::exclusive_access_all_registrants);
  CHECK(d[second + 12] == 0x01);
  CHECK(d[second + 13] == pr::type::exclusive_access_all_registrants);
  CHECK(bytes(d.begin() + long(second) + 24, d.end()) == pr::fc_transport_id(0x21000024ff000001));
}

TEST_CASE("prin_read_full_status_reports_spec_i_pt_transport_ids_as_sent", "[model][pr][prin]") {
  lu l;
  const bytes device = pr::iscsi_transport_id("iqn.2026-01.org.test:c");
  const bytes tids[] = {device};
  REQUIRE(is_good(l.prout(a, pr::out_action::register_key, 0, pr::make_spec_i_pt_params(0, 0x5, tids))));
  bytes d;
  REQUIRE(is_good(l.prin(a, pr::in_action::read_full_status, d)));
  CHECK(bytes(d.end() - long(device.size()), d.end()) == device);
}

TEST_CASE("prin_serviceaction_range", "[model][pr][prin]") {
  lu l;
  bytes d;
  for (uint8_t sa = 0; sa < pr::in_action::count; ++sa) CHECK(is_good(l.prin(a, sa, d)));
  for (uint8_t sa = pr::in_action::count; sa < 0x20; ++sa) CHECK(is_field_error(l.prin(a, sa, d), true, 1, 4));
}

TEST_CASE("prin_reserved_cdb_bits_are_invalid", "[model][pr][prin]") {
  lu l;
  bytes buf(64);
  auto cdb = pr::make_prin_cdb(pr::in_action::read_keys, 64);
  cdb[2] = 0x10;
  CHECK(is_field_error(l.m.prin(a, cdb.data(), cdb.size(), buf.data(), buf.size()), true, 2, 4));
  CHECK(is_field_error(l.m.prin(a, cdb.data(), 6, buf.data(), buf.size()), true, 0));  // short CDB
}
