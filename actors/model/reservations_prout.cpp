// PERSISTENT RESERVE OUT (SPC-4 6.16): CDB and parameter list checks, in
// this order, then the service action:
//   1. reserved CDB bits (usage data): INVALID FIELD IN CDB;
//   2. SERVICE ACTION 08h and above: INVALID FIELD IN CDB (byte 1 bit 4);
//   3. an SPC-2 reservation exists: RESERVATION CONFLICT from every nexus
//      (SPC-2 5.5.1);
//   4. RESERVE, RELEASE, PREEMPT, PREEMPT AND ABORT: SCOPE other than
//      LU_SCOPE (byte 2 bit 7) or an unknown TYPE (byte 2 bit 3): INVALID
//      FIELD IN CDB. The other actions ignore SCOPE and TYPE (Table 202);
//   5. less Data-Out than PARAMETER LIST LENGTH: PARAMETER LIST LENGTH ERROR;
//   6. the parameter list itself (scsi::pr::parse_prout_params /
//      parse_move_params);
//   7. APTPL = 1 in REGISTER, REGISTER AND IGNORE EXISTING KEY or REGISTER
//      AND MOVE without PTPL_C: INVALID FIELD IN PARAMETER LIST.
#include "actors/model/reservations.hpp"

namespace stmfd {

namespace pr = scsi::pr;

namespace {

bool uses_scope_and_type(uint8_t action) {
  return action == pr::out_action::reserve || action == pr::out_action::release || action == pr::out_action::preempt ||
         action == pr::out_action::preempt_and_abort;
}

}  // namespace

reservations::result reservations::prout(const nexus_identity& n, const uint8_t* cdb, size_t len, const uint8_t* param,
                                         size_t plen) {
  attach(n);
  const auto c = pr::decode_prout(cdb, len);
  if (!c.value) return check(*c.error);
  if (c.value->action >= pr::out_action::count) return check(scsi::invalid_cdb_field(1, 4));
  if (spc2_) return conflict();
  if (uses_scope_and_type(c.value->action)) {
    if (c.value->scope != pr::lu_scope) return check(scsi::invalid_cdb_field(2, 7));
    if (!pr::valid_type(c.value->type)) return check(scsi::invalid_cdb_field(2, 3));
  }
  if (plen < c.value->param_len) return check(scsi::plain(scsi::sense::parameter_list_length_error()));
  const auto before = aptpl_image();
  result r = dispatch_prout(n, *c.value, param);
  r.persist = r.status == scsi::status::good && aptpl_image() != before;
  return r;
}

reservations::result reservations::dispatch_prout(const nexus_identity& n, const pr::prout_cdb& c,
                                                  const uint8_t* param) {
  if (c.action == pr::out_action::register_and_move) {
    const auto m = pr::parse_move_params(param, c.param_len);
    if (!m.value) return check(*m.error);
    if (m.value->aptpl && !opts_.ptpl_capable) return check(scsi::invalid_param_field(pr::move_flags_byte, 0));
    return do_move(n, *m.value);
  }
  const auto p = pr::parse_prout_params(c.action, param, c.param_len);
  if (!p.value) return check(*p.error);
  switch (c.action) {
    case pr::out_action::register_key:
    case pr::out_action::register_and_ignore:
      if (p.value->aptpl && !opts_.ptpl_capable) return check(scsi::invalid_param_field(pr::prout_flags_byte, 0));
      return do_register(n, *p.value, c.action == pr::out_action::register_and_ignore);
    case pr::out_action::reserve: return do_reserve(n, p.value->key, c.type);
    case pr::out_action::release: return do_release(n, p.value->key, c.type);
    case pr::out_action::clear: return do_clear(n, p.value->key);
    case pr::out_action::preempt: return do_preempt(n, *p.value, c.type, false);
    default: return do_preempt(n, *p.value, c.type, true);  // PREEMPT AND ABORT
  }
}

}  // namespace stmfd
