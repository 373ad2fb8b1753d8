#include <catch2/catch.hpp>

#include <vector>

#include "wire/scsi/cdb.hpp"
#include "wire/scsi/persistent_reserve.hpp"

using namespace stmfd::scsi;
namespace act = stmfd::scsi::pr::out_action;
using bytes = std::vector<uint8_t>;

namespace {

bool field_error(const std::optional<sense_info>& e, sense_code code, bool in_cdb, uint16_t byte, int8_t bit = -1) {
  return e && e->code == code && e->field && e->field->in_cdb == in_cdb && e->field->byte == byte &&
         e->field->bit == bit;
}
bool param_error(const std::optional<sense_info>& e, uint16_t byte, int8_t bit = -1) {
  return field_error(e, sense::invalid_field_in_parameter_list(), false, byte, bit);
}
bool length_error(const std::optional<sense_info>& e) {
  return e && e->code == sense::parameter_list_length_error() && !e->field;
}

}  // namespace

TEST_CASE("prout_cdb_round_trip", "[scsi][pr]") {
  const bytes c = pr::make_prout_cdb(act::preempt_and_abort, pr::type::exclusive_access, 0x01020304);
  CHECK(c == bytes{0x5F, 0x05, 0x03, 0, 0, 0x01, 0x02, 0x03, 0x04, 0});
  const auto d = pr::decode_prout(c.data(), c.size());
  REQUIRE(d.value);
  CHECK(d.value->action == act::preempt_and_abort);
  CHECK(d.value->scope == 0);
  CHECK(d.value->type == pr::type::exclusive_access);
  CHECK(d.value->param_len == 0x01020304u);
}

TEST_CASE("prout_cdb_reserved_bits_and_length", "[scsi][pr]") {
  bytes c = pr::make_prout_cdb(act::register_key, 0, 24);
  c[4] = 0x80;
  CHECK(field_error(pr::decode_prout(c.data(), c.size()).error, sense::invalid_field_in_cdb(), true, 4, 7));
  c[4] = 0;
  CHECK(field_error(pr::decode_prout(c.data(), 9).error, sense::invalid_field_in_cdb(), true, 0));
}

TEST_CASE("prin_cdb_round_trip", "[scsi][pr]") {
  const bytes c = pr::make_prin_cdb(pr::in_action::read_full_status, 0x1234);
  CHECK(c == bytes{0x5E, 0x03, 0, 0, 0, 0, 0, 0x12, 0x34, 0});
  const auto d = pr::decode_prin(c.data(), c.size());
  REQUIRE(d.value);
  CHECK(d.value->action == pr::in_action::read_full_status);
  CHECK(d.value->alloc_len == 0x1234);
}

TEST_CASE("reserve_release_usage_rejects_every_field", "[scsi][pr]") {
  for (const uint8_t opc : {op::reserve6, op::release6, pr::op_reserve10, pr::op_release10}) {
    const size_t len = cdb_length_for(opc);
    bytes c(len, 0);
    c[0] = opc;
    CHECK_FALSE(pr::check_reserve_release(c.data(), c.size()));
    for (size_t i = 1; i < len; ++i) {
      bytes bad = c;
      bad[i] = 0x01;
      CHECK(field_error(pr::check_reserve_release(bad.data(), bad.size()), sense::invalid_field_in_cdb(), true,
                        uint16_t(i), 0));
    }
  }
}

TEST_CASE("prout_params_basic", "[scsi][pr]") {
  const bytes p = pr::make_prout_params(0x1122334455667788, 0x99AABBCCDDEEFF00, true, true);
  REQUIRE(p.size() == 24);
  CHECK(p[20] == 0x05);
  const auto r = pr::parse_prout_params(act::register_key, p.data(), p.size());
  REQUIRE(r.value);
  CHECK(r.value->key == 0x1122334455667788u);
  CHECK(r.value->sa_key == 0x99AABBCCDDEEFF00u);
  CHECK(r.value->aptpl);
  CHECK(r.value->all_tg_pt);
  CHECK_FALSE(r.value->spec_i_pt);
}

TEST_CASE("prout_params_length_must_be_24", "[scsi][pr]") {
  bytes p = pr::make_prout_params(1, 2);
  for (const size_t n : {0, 20, 23, 25, 28}) {
    p.resize(n);
    CHECK(length_error(pr::parse_prout_params(act::reserve, p.data(), p.size()).error));
  }
}

TEST_CASE("prout_params_spec_i_pt", "[scsi][pr]") {
  const bytes tids[] = {pr::iscsi_transport_id("iqn.x:y,i,0x0123456789ab"), pr::fc_transport_id(0x500a0b0c0d0e0f10)};
  const bytes p = pr::make_spec_i_pt_params(0, 0x5, tids);
  CHECK(p.size() == 28 + tids[0].size() + tids[1].size());
  const auto r = pr::parse_prout_params(act::register_key, p.data(), p.size());
  REQUIRE(r.value);
  REQUIRE(r.value->tids.size() == 2);
  CHECK(r.value->tids[0].initiator == "iqn.x:y,i,0x0123456789ab");
  CHECK_FALSE(r.value->tids[0].device_wide);
  CHECK(r.value->tids[0].bytes == tids[0]);
  CHECK(r.value->tids[1].protocol == pr::protocol::fc);
  CHECK(r.value->tids[1].initiator == "wwn.500a0b0c0d0e0f10");
  // SPEC_I_PT is REGISTER's only.
  CHECK(param_error(pr::parse_prout_params(act::register_and_ignore, p.data(), 24).error, 20, 3));
  // TRANSPORTID PARAMETER DATA LENGTH must match the list.
  bytes longer = p;
  longer.push_back(0);
  CHECK(length_error(pr::parse_prout_params(act::register_key, longer.data(), longer.size()).error));
  CHECK(length_error(pr::parse_prout_params(act::register_key, p.data(), 27).error));
  // A TransportID cut by the length: invalid field at its ADDITIONAL LENGTH.
  bytes cut = p;
  cut.resize(28 + tids[0].size() - 4);
  put_be32(&cut[24], uint32_t(tids[0].size() - 4));
  CHECK(param_error(pr::parse_prout_params(act::register_key, cut.data(), cut.size()).error, 30));
}

TEST_CASE("prout_params_reserved_bits", "[scsi][pr]") {
  bytes p = pr::make_prout_params(1, 2);
  p[20] = 0x10;
  CHECK(param_error(pr::parse_prout_params(act::register_key, p.data(), p.size()).error, 20, 7));
  p[20] = 0x02;
  CHECK(param_error(pr::parse_prout_params(act::register_key, p.data(), p.size()).error, 20, 1));
  p[20] = 0;
  p[21] = 0x80;
  CHECK(param_error(pr::parse_prout_params(act::register_key, p.data(), p.size()).error, 21));
}

TEST_CASE("transport_id_iscsi_formats", "[scsi][pr]") {
  const bytes port = pr::iscsi_transport_id("iqn.2026-01.org.test:a,i,0x230000000001");
  CHECK(port[0] == 0x45);  // format 01b, protocol 5
  CHECK(port.size() % 4 == 0);
  CHECK(get_be16(&port[2]) == port.size() - 4);
  const bytes dev = pr::iscsi_transport_id("iqn.a");
  CHECK(dev[0] == 0x05);
  CHECK(dev.size() == 24);  // padded to the minimum
  auto t = pr::parse_transport_id(dev.data(), dev.size(), 0);
  REQUIRE(t.value);
  CHECK(t.value->initiator == "iqn.a");
  CHECK(t.value->device_wide);
  t = pr::parse_transport_id(port.data(), port.size(), 0);
  REQUIRE(t.value);
  CHECK_FALSE(t.value->device_wide);
}

TEST_CASE("transport_id_iscsi_errors", "[scsi][pr]") {
  const bytes good = pr::iscsi_transport_id("iqn.2026-01.org.test:a,i,0x230000000001");
  const size_t at = 100;  // field pointers are offsets in the parameter list
  auto err = [&](bytes t) { return pr::parse_transport_id(t.data(), t.size(), at).error; };
  bytes t = good;
  t[0] = 0x85;  // format 10b
  CHECK(param_error(err(t), 100, 7));
  t = good;
  t[0] = 0x05;  // format 00b with an ISID
  CHECK(param_error(err(t), 104));
  t = good;
  t[3] += 1;  // not a multiple of 4
  CHECK(param_error(err(t), 102));
  t = good;
  t.resize(t.size() - 4);  // runs past the data
  CHECK(param_error(err(t), 102));
  t = good;
  std::fill(t.begin() + 4, t.end(), 'x');  // no null terminator
  CHECK(param_error(err(t), 104));
  t = good;
  t[4] = 0;  // empty name
  CHECK(param_error(err(t), 104));
  t = pr::iscsi_transport_id("iqn.a,i,0xZZ");  // ISID not hex
  CHECK(param_error(err(t), 104));
  t = pr::iscsi_transport_id(std::string(pr::max_iscsi_tid_additional, 'n'));  // longer than any iSCSI name
  CHECK(param_error(err(t), 102));
  t = good;
  t[0] = 0x46;  // protocol 6 (SAS)
  CHECK(param_error(err(t), 100, 3));
  CHECK(param_error(pr::parse_transport_id(good.data(), 3, at).error, 100));
}

TEST_CASE("transport_id_fc", "[scsi][pr]") {
  const bytes t = pr::fc_transport_id(0x21000024ff000001);
  CHECK(t == bytes{0, 0, 0, 0, 0, 0, 0, 0, 0x21, 0, 0, 0x24, 0xff, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0});
  const auto r = pr::parse_transport_id(t.data(), t.size(), 0);
  REQUIRE(r.value);
  CHECK(r.value->initiator == "wwn.21000024ff000001");
  CHECK(pr::transport_id_for_port("wwn.21000024FF000001") == t);
  bytes bad = t;
  bad[20] = 1;
  CHECK(param_error(pr::parse_transport_id(bad.data(), bad.size(), 0).error, 20));
  bad = t;
  bad[0] = 0x40;
  CHECK(param_error(pr::parse_transport_id(bad.data(), bad.size(), 0).error, 0, 7));
  CHECK(param_error(pr::parse_transport_id(t.data(), 23, 0).error, 0));
}

TEST_CASE("move_params_round_trip_and_errors", "[scsi][pr]") {
  const bytes tid = pr::iscsi_transport_id("iqn.b,i,0x000000000001");
  bytes p = pr::make_move_params(0x1, 0x2, 0x0102, tid, true, true);
  CHECK(p[17] == 0x03);
  auto r = pr::parse_move_params(p.data(), p.size());
  REQUIRE(r.value);
  CHECK(r.value->key == 1);
  CHECK(r.value->sa_key == 2);
  CHECK(r.value->unreg);
  CHECK(r.value->aptpl);
  CHECK(r.value->relative_port == 0x0102);
  CHECK(r.value->tid.initiator == "iqn.b,i,0x000000000001");
  CHECK(length_error(pr::parse_move_params(p.data(), 23).error));
  CHECK(length_error(pr::parse_move_params(p.data(), p.size() - 1).error));
  bytes bad = p;
  bad[17] |= 0x04;
  CHECK(param_error(pr::parse_move_params(bad.data(), bad.size()).error, 17, 7));
  bad = p;
  bad[16] = 1;
  CHECK(param_error(pr::parse_move_params(bad.data(), bad.size()).error, 16));
  // A TransportID shorter than the TransportID length says.
  bad = p;
  bad.insert(bad.end(), 4, 0);
  put_be32(&bad[20], uint32_t(tid.size() + 4));
  CHECK(param_error(pr::parse_move_params(bad.data(), bad.size()).error, 20));
}

TEST_CASE("build_read_keys_truncates_but_reports_full_length", "[scsi][pr]") {
  const uint64_t keys[] = {0x0102030405060708, 0x1112131415161718};
  bytes out(64, 0xEE);
  CHECK(pr::build_read_keys(7, keys, 64, out.data(), out.size()) == 24);
  CHECK(bytes(out.begin(), out.begin() + 24) ==
        bytes{0, 0, 0, 7, 0, 0, 0, 16, 1, 2, 3, 4, 5, 6, 7, 8, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18});
  std::fill(out.begin(), out.end(), 0xEE);
  CHECK(pr::build_read_keys(7, keys, 10, out.data(), out.size()) == 10);
  CHECK(out[7] == 16);
  CHECK(out[10] == 0xEE);                                       // nothing beyond the allocation length
  CHECK(pr::build_read_keys(7, keys, 64, out.data(), 4) == 4);  // nor beyond the buffer
}

TEST_CASE("build_read_reservation_layout", "[scsi][pr]") {
  bytes out(32, 0xEE);
  CHECK(pr::build_read_reservation(3, std::nullopt, 32, out.data(), out.size()) == 8);
  CHECK(bytes(out.begin(), out.begin() + 8) == bytes{0, 0, 0, 3, 0, 0, 0, 0});
  CHECK(pr::build_read_reservation(3, pr::reservation_view{0xAA, pr::type::write_exclusive_registrants_only}, 32,
                                   out.data(), out.size()) == 24);
  CHECK(bytes(out.begin(), out.begin() + 24) ==
        bytes{0, 0, 0, 3, 0, 0, 0, 0x10, 0, 0, 0, 0, 0, 0, 0, 0xAA, 0, 0, 0, 0, 0, 0x05, 0, 0});
}

TEST_CASE("build_report_capabilities_layout", "[scsi][pr]") {
  pr::capabilities c;
  c.crh = c.ptpl_c = c.tmv = c.ptpl_a = true;
  c.allow_commands = 1;
  c.type_mask = pr::type_mask::wr_ex | pr::type_mask::ex_ac_ar;
  bytes out(8, 0xEE);
  CHECK(pr::build_report_capabilities(c, 8, out.data(), out.size()) == 8);
  CHECK(out == bytes{0, 8, 0x11, 0x91, 0x02, 0x01, 0, 0});
}

TEST_CASE("build_read_full_status_layout", "[scsi][pr]") {
  const bytes tid = pr::fc_transport_id(0x1);
  const pr::full_status e[] = {{0x10, false, true, pr::type::exclusive_access, 0x0203, tid},
                               {0x20, true, false, 0, 0x0405, tid}};
  bytes out(256, 0xEE);
  const size_t n = pr::build_read_full_status(9, e, 256, out.data(), out.size());
  REQUIRE(n == 8 + 2 * (24 + 24));
  CHECK(get_be32(&out[0]) == 9);
  CHECK(get_be32(&out[4]) == 96);
  CHECK(get_be64(&out[8]) == 0x10);
  CHECK(get_be32(&out[16]) == 0);  // reserved
  CHECK(out[20] == 0x01);          // R_HOLDER
  CHECK(out[21] == 0x03);          // LU_SCOPE, Exclusive Access
  CHECK(get_be16(&out[26]) == 0x0203);
  CHECK(get_be32(&out[28]) == 24);
  CHECK(bytes(out.begin() + 32, out.begin() + 56) == tid);
  CHECK(out[56 + 12] == 0x02);  // ALL_TG_PT
  CHECK(out[56 + 13] == 0);
  CHECK(get_be16(&out[56 + 18]) == 0);  // not reported with ALL_TG_PT
}
