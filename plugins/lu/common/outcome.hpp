#pragma once
// Building a handler's answer, for every LU provider's core: GOOD with
// Data-In already in the reply scratch, or CHECK CONDITION with sense
// (conventions: handlers return completion or sense, never throw).
#include <cstdint>

#include "actors/contracts/lu_provider.hpp"
#include "wire/scsi/sense.hpp"

namespace stmfd::lu_reply {

inline lu_outcome good(uint32_t data_in_len = 0) {
  lu_outcome o;
  o.data_in_len = data_in_len;
  return o;
}
inline lu_outcome check(scsi::sense_info s) {
  lu_outcome o;
  o.status = scsi::status::check_condition;
  o.sense = s;
  return o;
}
inline lu_outcome check(scsi::sense_code c) { return check(scsi::plain(c)); }

}  // namespace stmfd::lu_reply
