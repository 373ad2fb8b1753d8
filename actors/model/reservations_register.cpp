// REGISTER, REGISTER AND IGNORE EXISTING KEY (SPC-4 5.13.7, 5.13.11.3,
// Table 65) and REGISTER AND MOVE (5.13.8).
//
// REGISTER from a nexus that is not registered: RESERVATION KEY must be 0
// (else RESERVATION CONFLICT); SERVICE ACTION RESERVATION KEY 0 does
// nothing (GOOD, PRgeneration unchanged); otherwise it registers the nexus
// (ALL_TG_PT: its initiator port through every target port) and, with
// SPEC_I_PT, every initiator port the TransportIDs name through the same
// target port(s) — all or nothing.
// REGISTER from a registered nexus: RESERVATION KEY must be its key (else
// RESERVATION CONFLICT); SPEC_I_PT is refused (INVALID FIELD IN PARAMETER
// LIST, byte 20 bit 3); a nonzero SERVICE ACTION RESERVATION KEY replaces
// the key, zero unregisters.
// REGISTER AND IGNORE EXISTING KEY: the same without the RESERVATION KEY
// check (SPEC_I_PT is already refused by the parameter list parser).
// Every change increments PRgeneration and takes the APTPL bit (the last
// valid APTPL received governs, SPC-4 5.13.4).
#include "actors/model/reservations.hpp"

#include <algorithm>

namespace stmfd {

namespace pr = scsi::pr;

reservations::result reservations::do_register(const nexus_identity& n, const pr::prout_params& p, bool ignore_key) {
  registration* reg = find(n);
  if (!reg) {
    if (!ignore_key && p.key != 0) return conflict();
    if (p.sa_key == 0) return {};
    return register_new(n, p);
  }
  if (!ignore_key && p.key != reg->key) return conflict();
  if (p.spec_i_pt) return check(scsi::invalid_param_field(pr::prout_flags_byte, 3));
  if (p.sa_key == 0) {
    result r = unregister(n, *reg);
    aptpl_ = p.aptpl;
    return r;
  }
  reg->key = p.sa_key;
  ++generation_;
  aptpl_ = p.aptpl;
  return {};
}

// Registers n and, with SPEC_I_PT, the TransportIDs' initiator ports. A
// TransportID naming an I_T nexus that is registered already (or twice in
// the list, or the issuer overlapping another registration through
// ALL_TG_PT) makes the whole command fail with INVALID FIELD IN PARAMETER
// LIST; one that names exactly the issuer's own registration is ignored.
reservations::result reservations::register_new(const nexus_identity& n, const pr::prout_params& p) {
  std::vector<registration> add;
  add.push_back({p.sa_key, nexus_scope::of(n, p.all_tg_pt), transport_id_of(n)});
  for (const auto& r : regs_)
    if (r.scope.overlaps(add[0].scope)) return check(scsi::invalid_param_field(pr::prout_flags_byte, 2));
  size_t at = pr::prout_tids_at;
  for (const auto& t : p.tids) {
    const nexus_scope s{t.initiator, t.device_wide, p.all_tg_pt, p.all_tg_pt ? uint16_t(0) : n.relative_port};
    const bool duplicate = std::any_of(add.begin(), add.end(), [&](const registration& a) { return a.scope == s; });
    if (!duplicate) {
      const auto overlaps = [&](const registration& r) { return r.scope.overlaps(s); };
      if (std::any_of(add.begin(), add.end(), overlaps) || std::any_of(regs_.begin(), regs_.end(), overlaps))
        return check(scsi::invalid_param_field(uint16_t(at)));
      add.push_back({p.sa_key, s, t.bytes});
    }
    at += t.bytes.size();
  }
  if (regs_.size() + add.size() > opts_.max_registrations)
    return check(scsi::plain(scsi::sense::insufficient_registration_resources()));
  for (auto& a : add) regs_.push_back(std::move(a));
  ++generation_;
  aptpl_ = p.aptpl;
  return {};
}

// SPC-4 5.13.11.3: the holder of a non-all-registrants reservation that
// unregisters releases it; a Registrants Only one tells every other
// registered nexus RESERVATIONS RELEASED. An all-registrants reservation
// ends with its last registration.
reservations::result reservations::unregister(const nexus_identity& n, registration& reg) {
  result r;
  const bool held = is_holder(reg);
  const uint8_t type = res_ ? res_->type : 0;
  regs_.erase(regs_.begin() + (&reg - regs_.data()));
  ++generation_;
  if (!res_) return r;
  if (pr::all_registrants(type)) {
    if (regs_.empty()) res_.reset();
  } else if (held) {
    res_.reset();
    if (pr::registrants_only(type)) post_registered(r, n, scsi::sense::reservations_released());
  }
  return r;
}

// SPC-4 5.13.8: the holder of a reservation (not all registrants) hands it,
// with its TYPE, to the I_T nexus the TransportID and RELATIVE TARGET PORT
// IDENTIFIER name, which gets the SERVICE ACTION RESERVATION KEY (it may be
// registered already: its key changes); UNREG then unregisters the issuer.
//   not registered, wrong key, not the holder (also: no reservation), an
//   all-registrants reservation: RESERVATION CONFLICT;
//   SERVICE ACTION RESERVATION KEY 0: INVALID FIELD IN PARAMETER LIST (8);
//   an unknown target port or one of another protocol: INVALID FIELD (18 / 24);
//   a TransportID naming the issuer's initiator port, or an I_T nexus only
//   partly registered, or (UNREG) one the issuer's own registration holds:
//   INVALID FIELD IN PARAMETER LIST.
reservations::result reservations::do_move(const nexus_identity& n, const pr::move_params& p) {
  registration* reg = find(n);
  if (!reg || p.key != reg->key) return conflict();
  if (!res_ || pr::all_registrants(res_->type) || !res_->holder.covers(n)) return conflict();
  if (p.sa_key == 0) return check(scsi::invalid_param_field(8));
  if (!ports_.empty()) {
    const auto port = std::find_if(ports_.begin(), ports_.end(),
                                   [&](const target_port& t) { return t.relative_port == p.relative_port; });
    if (port == ports_.end()) return check(scsi::invalid_param_field(pr::move_port_byte));
    if (port->protocol != p.tid.protocol) return check(scsi::invalid_param_field(pr::move_tid_at, 3));
  }
  const nexus_scope dest{p.tid.initiator, p.tid.device_wide, false, p.relative_port};
  if (dest.same_initiator(nexus_scope::of(n))) return check(scsi::invalid_param_field(pr::move_tid_at));
  registration* existing = nullptr;
  for (auto& r : regs_) {
    if (!r.scope.overlaps(dest)) continue;
    if (existing || !r.scope.contains(dest)) return check(scsi::invalid_param_field(pr::move_tid_at));
    existing = &r;
  }
  if (existing == reg && p.unreg) return check(scsi::invalid_param_field(pr::move_flags_byte, 1));
  if (!existing && regs_.size() >= opts_.max_registrations)
    return check(scsi::plain(scsi::sense::insufficient_registration_resources()));
  const size_t issuer = size_t(reg - regs_.data());
  if (existing)
    existing->key = p.sa_key;
  else
    regs_.push_back({p.sa_key, dest, p.tid.bytes});
  res_->holder = dest;
  if (p.unreg) regs_.erase(regs_.begin() + issuer);
  ++generation_;
  aptpl_ = p.aptpl;
  return {};
}

}  // namespace stmfd
