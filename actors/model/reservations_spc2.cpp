// RESERVE(6/10) and RELEASE(6/10): SPC-2 reservations (SPC-2 7.21-7.24),
// which hold the whole LU for one I_T nexus, with the exceptions of SPC-4
// 5.13.3 while any persistent registration exists (CRH = 1):
//   - from a persistent reservation holder, or from a registered nexus
//     while a Registrants Only or All Registrants reservation exists: GOOD,
//     and nothing changes;
//   - from any other nexus: RESERVATION CONFLICT (SPC-2 5.5.1: registered
//     keys make every RESERVE and RELEASE conflict).
// Otherwise (SPC-2): RESERVE from the holder renews it, from another nexus
// while reserved conflicts; RELEASE from the holder releases it, from
// another nexus is GOOD and changes nothing. Third-party reservations,
// extents and LONGID are not supported: their bits are reserved in the
// usage data (INVALID FIELD IN CDB).
// An SPC-2 reservation ends with RELEASE, the holder's I_T nexus loss or
// I_T NEXUS RESET, or an LU reset; it is never persisted.
#include "actors/model/reservations.hpp"

namespace stmfd {

namespace pr = scsi::pr;

std::optional<reservations::result> reservations::crh_exception(const nexus_identity& n) const {
  if (regs_.empty()) return std::nullopt;
  if (holds(n)) return result{};
  if (res_ && (pr::registrants_only(res_->type) || pr::all_registrants(res_->type)) && find(n)) return result{};
  return conflict();
}

reservations::result reservations::reserve(const nexus_identity& n, const uint8_t* cdb, size_t len) {
  attach(n);
  if (const auto e = pr::check_reserve_release(cdb, len)) return check(*e);
  if (auto r = crh_exception(n)) return std::move(*r);
  if (spc2_ && !same_nexus(*spc2_, n)) return conflict();
  spc2_ = n;
  return {};
}

reservations::result reservations::release(const nexus_identity& n, const uint8_t* cdb, size_t len) {
  attach(n);
  if (const auto e = pr::check_reserve_release(cdb, len)) return check(*e);
  if (auto r = crh_exception(n)) return std::move(*r);
  if (spc2_ && same_nexus(*spc2_, n)) spc2_.reset();
  return {};
}

}  // namespace stmfd
