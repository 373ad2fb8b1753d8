// PREEMPT and PREEMPT AND ABORT (SPC-4 5.13.11.4, 5.13.11.5). The issuer
// must be registered and send its own key (else RESERVATION CONFLICT).
//
// Preempting the reservation, when the SERVICE ACTION RESERVATION KEY
// names its holder (an all-registrants reservation: when it is zero):
//   - remove every registration with that key (all registrations, for an
//     all-registrants reservation), except the issuer's;
//   - the issuer holds a new reservation of the CDB's TYPE;
//   - REGISTRATIONS PREEMPTED to every nexus that lost its registration;
//     if the TYPE changed, RESERVATIONS RELEASED to every other registered
//     nexus;
//   - PREEMPT AND ABORT: abort the tasks of the nexuses that lost their
//     registration and of the holders of the preempted reservation (the
//     issuer too, when it held it).
// Otherwise only registrations are removed (SPC-4 5.13.11.4.4):
//   - SERVICE ACTION RESERVATION KEY zero: INVALID FIELD IN PARAMETER LIST
//     (byte 8); no registration with it: RESERVATION CONFLICT;
//   - remove every registration with that key, the issuer's included; the
//     reservation, if any, stays (an all-registrants one ends with its last
//     registration);
//   - REGISTRATIONS PREEMPTED to those nexuses but the issuer;
//   - PREEMPT AND ABORT: abort their tasks.
// Either way PRgeneration is incremented.
#include "actors/model/reservations.hpp"

#include <algorithm>

namespace stmfd {

namespace pr = scsi::pr;

namespace {

void append_unique(std::vector<nexus_identity>& v, const nexus_identity& n) {
  if (std::none_of(v.begin(), v.end(), [&](const nexus_identity& x) { return same_nexus(x, n); })) v.push_back(n);
}

// PREEMPT AND ABORT: every attached nexus a removed registration held.
void abort_covered(std::vector<nexus_identity>& out, const std::vector<nexus_identity>& attached,
                   const std::vector<registration>& gone) {
  for (const auto& a : attached)
    if (std::any_of(gone.begin(), gone.end(), [&](const registration& g) { return g.scope.covers(a); }))
      append_unique(out, a);
}

}  // namespace

reservations::result reservations::do_preempt(const nexus_identity& n, const pr::prout_params& p, uint8_t type,
                                              bool abort) {
  const registration* reg = find(n);
  if (!reg || p.key != reg->key) return conflict();
  const bool all_reg = res_ && pr::all_registrants(res_->type);
  const auto holder_reg = [&]() -> const registration* {
    for (const auto& r : regs_)
      if (res_ && r.scope.contains(res_->holder)) return &r;
    return nullptr;
  };
  const registration* holder = all_reg ? nullptr : holder_reg();
  const bool preempting = res_ && (all_reg ? p.sa_key == 0 : holder && holder->key == p.sa_key);
  result r;

  if (!preempting) {
    if (p.sa_key == 0) return check(scsi::invalid_param_field(8));
    const auto gone = take_registrations(p.sa_key, nullptr);
    if (gone.empty()) return conflict();
    post_covered(r, gone, &n, scsi::sense::registrations_preempted());
    if (abort) abort_covered(r.abort_tasks, attached_, gone);
    if (res_ && (all_reg ? regs_.empty() : !holder_reg())) res_.reset();
    ++generation_;
    return r;
  }

  // The holders of the reservation being preempted, before anything changes.
  std::vector<nexus_identity> old_holders;
  if (abort)
    for (const auto& a : attached_)
      if (holds(a)) old_holders.push_back(a);
  const uint8_t old_type = res_->type;
  std::vector<registration> gone;
  if (all_reg) {
    registration mine = *reg;
    gone = std::move(regs_);
    std::erase_if(gone, [&](const registration& g) { return g.scope == mine.scope; });
    regs_ = {std::move(mine)};
  } else {
    gone = take_registrations(p.sa_key, reg);
  }
  res_ = persistent_reservation{type, nexus_scope::of(n)};
  post_covered(r, gone, &n, scsi::sense::registrations_preempted());
  if (old_type != type) post_registered(r, n, scsi::sense::reservations_released());
  if (abort) {
    abort_covered(r.abort_tasks, attached_, gone);
    for (const auto& h : old_holders) append_unique(r.abort_tasks, h);
  }
  ++generation_;
  return r;
}

}  // namespace stmfd
