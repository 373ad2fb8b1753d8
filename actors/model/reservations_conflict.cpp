// The reservation precheck for every command the model does not execute
// itself (contract in reservations.hpp; SPC-4 5.13.1 and Table 63 style,
// SBC-3 4.17 Table 13; SPC-2 5.5.1 for SPC-2 reservations).
#include "actors/model/reservations.hpp"

namespace stmfd {

namespace pr = scsi::pr;

bool reservations::conflicts(const nexus_identity& n, const command_info& c) const {
  if (!c.known) return false;
  if (spc2_) return !same_nexus(*spc2_, n) && (c.writes_medium || !c.allowed_under_reservation);
  if (!res_) return false;
  const registration* reg = find(n);
  if (reg && (pr::all_registrants(res_->type) || res_->holder.covers(n))) return false;  // a holder
  if (reg && pr::registrants_only(res_->type)) return false;
  if (c.writes_medium) return true;
  if (pr::write_exclusive_family(res_->type)) return !(c.allowed_under_write_exclusive || c.allowed_under_reservation);
  return !c.allowed_under_reservation;
}

}  // namespace stmfd
