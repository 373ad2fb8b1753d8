#pragma once
// Helpers for the reservation model tests: I_T nexuses, PERSISTENT RESERVE
// OUT/IN calls built with the wire builders, and command_info flags as the
// disk command table sets them.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "actors/model/reservations.hpp"
#include "wire/scsi/cdb.hpp"
#include "wire/scsi/persistent_reserve.hpp"

namespace rtest {

using stmfd::command_info;
using stmfd::nexus_identity;
using stmfd::reservations;
using result = stmfd::reservations::result;
namespace pr = stmfd::scsi::pr;
namespace status = stmfd::scsi::status;
using stmfd::scsi::sense;
using stmfd::scsi::sense_code;
using stmfd::scsi::sense_info;
using bytes = std::vector<uint8_t>;

inline nexus_identity nexus(const std::string& port, uint16_t relative_port = 1) {
  return {port, relative_port, pr::transport_id_for_port(port)};
}

// Two initiators (A with two ports), reaching target ports 1 and 2.
inline const std::string name_a = "iqn.2026-01.org.test:a";
inline const std::string name_b = "iqn.2026-01.org.test:b";
inline const std::string port_a1 = name_a + ",i,0x230000000001";
inline const std::string port_a2 = name_a + ",i,0x230000000002";
inline const std::string port_b1 = name_b + ",i,0x230000000001";
inline const nexus_identity a = nexus(port_a1, 1);     // initiator port A1 through target port 1
inline const nexus_identity a_p2 = nexus(port_a1, 2);  // the same initiator port through target port 2
inline const nexus_identity a2 = nexus(port_a2, 1);    // another port of initiator A
inline const nexus_identity b = nexus(port_b1, 1);
inline const nexus_identity c = nexus("iqn.2026-01.org.test:c,i,0x230000000001", 1);
inline const nexus_identity fc = nexus("wwn.21000024ff000001", 1);

// command_info as the disk table classifies commands (plugins/lu/sbd).
inline command_info cmd_read() {  // READ(10): allowed under Write Exclusive
  command_info i;
  i.known = true;
  i.allowed_under_write_exclusive = true;
  return i;
}
inline command_info cmd_write() {  // WRITE(10)
  command_info i;
  i.known = true;
  i.writes_medium = true;
  return i;
}
inline command_info cmd_tur() {  // TEST UNIT READY, INQUIRY: allowed under every type
  command_info i;
  i.known = true;
  i.allowed_under_reservation = true;
  return i;
}
inline command_info cmd_mode_select() {  // neither flag: conflicts under every type
  command_info i;
  i.known = true;
  return i;
}

inline bool is_good(const result& r) { return r.status == status::good && !r.sense; }
inline bool is_conflict(const result& r) { return r.status == status::reservation_conflict && !r.sense; }
inline bool is_check(const result& r, sense_code code) {
  return r.status == status::check_condition && r.sense && r.sense->code == code;
}
// CHECK CONDITION with this field pointer (in_cdb: CDB, else parameter list).
inline bool is_field_error(const result& r, bool in_cdb, uint16_t byte, int8_t bit = -1) {
  if (r.status != status::check_condition || !r.sense || !r.sense->field) return false;
  const auto want = in_cdb ? sense::invalid_field_in_cdb() : sense::invalid_field_in_parameter_list();
  const auto& f = *r.sense->field;
  return r.sense->code == want && f.in_cdb == in_cdb && f.byte == byte && f.bit == bit;
}
inline bool has_ua(const result& r, const nexus_identity& n, sense_code code) {
  return std::any_of(r.unit_attentions.begin(), r.unit_attentions.end(), [&](const reservations::unit_attention& u) {
    return u.code == code && stmfd::same_nexus(u.nexus, n);
  });
}
inline bool aborts(const result& r, const nexus_identity& n) {
  return std::any_of(r.abort_tasks.begin(), r.abort_tasks.end(),
                     [&](const nexus_identity& x) { return stmfd::same_nexus(x, n); });
}

// A reservation model with every test nexus attached, and PR calls.
struct lu {
  reservations m;

  explicit lu(reservations::options o = {}) : m(o) {
    for (const auto& n : {a, a_p2, a2, b, c, fc}) m.attach(n);
  }

  result prout(const nexus_identity& n, uint8_t action, uint8_t type, const bytes& params, uint8_t scope = 0) {
    const auto cdb = pr::make_prout_cdb(action, type, uint32_t(params.size()), scope);
    return m.prout(n, cdb.data(), cdb.size(), params.data(), params.size());
  }
  result reg(const nexus_identity& n, uint64_t key, uint64_t sa_key, bool aptpl = false, bool all_tg_pt = false) {
    return prout(n, pr::out_action::register_key, 0, pr::make_prout_params(key, sa_key, aptpl, all_tg_pt));
  }
  result reg_ignore(const nexus_identity& n, uint64_t sa_key, bool aptpl = false) {
    return prout(n, pr::out_action::register_and_ignore, 0, pr::make_prout_params(0, sa_key, aptpl));
  }
  result reserve(const nexus_identity& n, uint64_t key, uint8_t type) {
    return prout(n, pr::out_action::reserve, type, pr::make_prout_params(key, 0));
  }
  result release(const nexus_identity& n, uint64_t key, uint8_t type) {
    return prout(n, pr::out_action::release, type, pr::make_prout_params(key, 0));
  }
  result clear(const nexus_identity& n, uint64_t key) {
    return prout(n, pr::out_action::clear, 0, pr::make_prout_params(key, 0));
  }
  result preempt(const nexus_identity& n, uint64_t key, uint64_t sa_key, uint8_t type, bool abort = false) {
    return prout(n, abort ? pr::out_action::preempt_and_abort : pr::out_action::preempt, type,
                 pr::make_prout_params(key, sa_key));
  }
  result move(const nexus_identity& n, uint64_t key, uint64_t sa_key, uint16_t relative_port, const bytes& tid,
              bool unreg = false, bool aptpl = false) {
    return prout(n, pr::out_action::register_and_move, 0,
                 pr::make_move_params(key, sa_key, relative_port, tid, unreg, aptpl));
  }

  // The usual start: A, B, C registered with keys 1, 2, 3 (the first
  // `count` of them), and with `type` != 0 A reserves.
  void setup(size_t count, uint8_t type = 0) {
    const nexus_identity* who[] = {&a, &b, &c};
    for (size_t i = 0; i < count; ++i) REQUIRE(is_good(reg(*who[i], 0, i + 1)));
    if (type) REQUIRE(is_good(reserve(a, 0x1, type)));
  }

  // PERSISTENT RESERVE IN: the result, with the Data-In in `data`.
  result prin(const nexus_identity& n, uint8_t action, bytes& data, uint16_t alloc = 4096) {
    data.assign(alloc, 0xEE);
    const auto cdb = pr::make_prin_cdb(action, alloc);
    result r = m.prin(n, cdb.data(), cdb.size(), data.data(), data.size());
    data.resize(r.data_in_len);
    return r;
  }
  std::vector<uint64_t> keys() {
    bytes d;
    REQUIRE(is_good(prin(a, pr::in_action::read_keys, d)));
    std::vector<uint64_t> k;
    for (size_t i = 8; i + 8 <= d.size(); i += 8) k.push_back(stmfd::scsi::get_be64(&d[i]));
    return k;
  }
  // READ RESERVATION: {key, type}, or {0, 0} with none.
  std::pair<uint64_t, uint8_t> reservation() {
    bytes d;
    REQUIRE(is_good(prin(a, pr::in_action::read_reservation, d)));
    if (stmfd::scsi::get_be32(&d[4]) == 0) return {0, 0};
    REQUIRE(d.size() == 24);
    return {stmfd::scsi::get_be64(&d[8]), uint8_t(d[21] & 0x0F)};
  }

  result spc2(const nexus_identity& n, uint8_t opcode) {
    const size_t len = stmfd::scsi::cdb_length_for(opcode);
    bytes cdb(len, 0);
    cdb[0] = opcode;
    return m.execute(n, cdb.data(), cdb.size(), nullptr, 0, nullptr, 0);
  }
};

}  // namespace rtest
