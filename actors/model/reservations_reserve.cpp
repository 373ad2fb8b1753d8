// RESERVE (SPC-4 5.13.9), RELEASE (5.13.11.2) and CLEAR (5.13.11.6).
// Each needs a registered nexus sending its own key: otherwise
// RESERVATION CONFLICT. None of them changes PRgeneration but CLEAR.
#include "actors/model/reservations.hpp"

namespace stmfd {

namespace pr = scsi::pr;

// A new reservation is held by the issuing nexus. A holder repeating its
// TYPE changes nothing (GOOD); another TYPE, or any nexus that does not
// hold the existing reservation: RESERVATION CONFLICT. Under an
// all-registrants reservation every registered nexus is a holder.
reservations::result reservations::do_reserve(const nexus_identity& n, uint64_t key, uint8_t type) {
  const registration* reg = find(n);
  if (!reg || key != reg->key) return conflict();
  if (res_) return holds(n) && res_->type == type ? result{} : conflict();
  res_ = persistent_reservation{type, nexus_scope::of(n)};
  return {};
}

// No reservation, or the issuer does not hold it: GOOD, nothing changes.
// The holder with another TYPE: INVALID RELEASE OF PERSISTENT RESERVATION.
// Releasing a Registrants Only or All Registrants reservation tells every
// other registered nexus RESERVATIONS RELEASED; the registrations stay.
reservations::result reservations::do_release(const nexus_identity& n, uint64_t key, uint8_t type) {
  const registration* reg = find(n);
  if (!reg || key != reg->key) return conflict();
  if (!res_ || !holds(n)) return {};
  if (res_->type != type) return check(scsi::plain(scsi::sense::invalid_release_of_persistent_reservation()));
  res_.reset();
  result r;
  if (pr::registrants_only(type) || pr::all_registrants(type))
    post_registered(r, n, scsi::sense::reservations_released());
  return r;
}

// Releases the reservation and removes every registration; every other
// registered nexus gets RESERVATIONS PREEMPTED. APTPL stays as it was.
reservations::result reservations::do_clear(const nexus_identity& n, uint64_t key) {
  const registration* reg = find(n);
  if (!reg || key != reg->key) return conflict();
  result r;
  post_registered(r, n, scsi::sense::reservations_preempted());
  regs_.clear();
  res_.reset();
  ++generation_;
  return r;
}

}  // namespace stmfd
