// TEST UNIT READY, REQUEST SENSE, START STOP UNIT, PREVENT ALLOW MEDIUM
// REMOVAL, REPORT SUPPORTED OPERATION CODES.

#include <algorithm>

#include "plugins/lu/sbd/command_table.hpp"
#include "plugins/lu/sbd/handler.hpp"
#include "wire/scsi/cdb.hpp"
#include "wire/scsi/rsoc.hpp"

namespace stmfd::sbd::handlers {

using namespace scsi;

// SPC-4 6.47: the medium is always present and ready.
outcome test_unit_ready(exec_ctx&) { return good(); }

// SPC-4 6.39: returns the pending condition the shell handed in, or NO
// SENSE, in the format DESC asks for (both formats are supported).
outcome request_sense(exec_ctx& x) {
  const uint8_t* c = x.cmd.cdb;
  const bool desc = c[1] & 0x01;
  const size_t limit = std::min<size_t>(c[4], x.data_in_cap);
  const sense_info s = x.cmd.pending_sense ? *x.cmd.pending_sense : plain(sense::no_sense());
  return good(uint32_t(build_sense(s, desc, x.data_in, limit)));
}

// SBC-3 5.25. The medium is not removable (LOEJ is rejected by the usage
// mask) and has no power conditions to enter, so START is a no-op. A stop
// (START=0, POWER CONDITION 0) without NO_FLUSH writes the volatile cache
// to the medium first; IMMED is honoured by the flush completing anyway.
outcome start_stop_unit(exec_ctx& x) {
  const uint8_t b4 = x.cmd.cdb[4];
  const uint8_t power_condition = b4 >> 4;
  const bool no_flush = b4 & 0x04;
  const bool start = b4 & 0x01;
  if (power_condition != 0 || start || no_flush) return good();
  outcome o;
  o.what = outcome::kind::io;
  o.steps[0] = io_step{io_step::op::flush, 0, 0, 0, false};
  o.nsteps = 1;
  return o;
}

// SBC-3 5.13: the medium is not removable, so prevention has no effect.
// PREVENT 10b/11b are obsolete in SBC-3: INVALID FIELD IN CDB.
outcome prevent_allow(exec_ctx& x) {
  if ((x.cmd.cdb[4] & 0x03) > 1) return check(invalid_cdb_field(4, 1));
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

}  // namespace stmfd::sbd::handlers
