// TEST UNIT READY, REQUEST SENSE, START STOP UNIT, PREVENT ALLOW MEDIUM
// REMOVAL, REPORT SUPPORTED OPERATION CODES.

#include <algorithm>

#include "plugins/lu/sbd/command_table.hpp"
#include "plugins/lu/sbd/handler.hpp"
#include "wire/scsi/cdb.hpp"
#include "wire/scsi/rsoc.hpp"

namespace stmfd::sbd::handlers {

using namespace scsi;

// SPC-4 6.47: ready whenever the medium is there (disk::execute answers
// NOT READY 3Ah/00h for an ejected removable medium first).
outcome test_unit_ready(exec_ctx&) { return good(); }

// SPC-4 6.39: returns the pending condition the shell handed in, the
// progress of a running SANITIZE or FORMAT UNIT (NOT READY 04h/1Bh or
// 04h/04h with the progress indication, SBC-4 4.11.2), or NO SENSE, in the
// format DESC asks for (both formats are supported).
outcome request_sense(exec_ctx& x) {
  const uint8_t* c = x.cmd.cdb;
  const bool desc = c[1] & 0x01;
  const size_t limit = std::min<size_t>(c[4], x.data_in_cap);
  const sense_info s = x.cmd.pending_sense                            ? *x.cmd.pending_sense
                       : x.lu.op.running != long_op_state::kind::none ? x.lu.op.in_progress()
                                                                      : plain(sense::no_sense());
  return good(uint32_t(build_sense(s, desc, x.data_in, limit)));
}

// SBC-3 5.25. POWER CONDITION other than 0h: no power conditions to enter,
// LOEJ and START are ignored. LOEJ=1 (removable medium only; otherwise
// INVALID FIELD IN CDB): START=1 loads the medium, START=0 ejects it, both
// refused with MEDIUM REMOVAL PREVENTED while an I_T nexus prevents removal
// (SBC-3 5.13); ejecting an ejected medium is GOOD. An eject, and a stop
// (START=0) without NO_FLUSH, first write the volatile cache to the medium.
// Without LOEJ, START is a no-op. IMMED is honoured by the flush completing.
outcome start_stop_unit(exec_ctx& x) {
  const uint8_t b4 = x.cmd.cdb[4];
  const uint8_t power_condition = b4 >> 4;
  const bool no_flush = b4 & 0x04;
  const bool loej = b4 & 0x02;
  const bool start = b4 & 0x01;
  if (power_condition != 0) return good();
  if (loej) {
    if (!x.lu.geo.removable) return check(invalid_cdb_field(4, 1));
    if (!x.lu.prevent.empty()) return check(sense::medium_removal_prevented());
    const bool was_present = x.lu.medium_present;
    x.lu.medium_present = start;
    if (start || !was_present) return good();
  } else if (start || no_flush || !x.lu.medium_present) {
    return good();
  }
  outcome o;
  o.what = outcome::kind::io;
  o.steps[0] = io_step{io_step::op::flush, 0, 0, 0, false};
  o.nsteps = 1;
  return o;
}

// SBC-3 5.13: PREVENT 01b holds the medium in place for this I_T nexus,
// 00b releases this nexus's hold (a fixed medium has nothing to hold).
// PREVENT 10b/11b are obsolete in SBC-3: INVALID FIELD IN CDB.
outcome prevent_allow(exec_ctx& x) {
  const uint8_t prevent = x.cmd.cdb[4] & 0x03;
  if (prevent > 1) return check(invalid_cdb_field(4, 1));
  if (x.lu.geo.removable) {
    if (prevent) {
      x.lu.prevent.insert(x.cmd.nexus);
    } else {
      x.lu.prevent.erase(x.cmd.nexus);
    }
  }
  return good();
}

// SPC-4 6.35, generated from the command table.
outcome report_supported_opcodes(exec_ctx& x) {
  const auto req = decode_rsoc(x.cmd.cdb);
  const auto r = build_rsoc(disk_op_infos(x.lu.geo.thin), req, x.data_in, x.data_in_cap);
  if (r.error) return check(*r.error);
  return good(uint32_t(r.length));
}

outcome session_layer_only(exec_ctx&) { return check(sense::internal_target_failure()); }

// SPC-4 6.3, 6.18: the framework's copy manager runs these for every LU
// that answers them (LU provider contract, lu_outcome::copy_manager).
outcome third_party_copy(exec_ctx&) {
  outcome o;
  o.copy_manager = true;
  return o;
}

}  // namespace stmfd::sbd::handlers
