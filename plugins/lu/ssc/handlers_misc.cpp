// TEST UNIT READY, REQUEST SENSE, PREVENT ALLOW MEDIUM REMOVAL, REPORT
// SUPPORTED OPERATION CODES for the tape drive.

#include <algorithm>

#include "plugins/lu/ssc/command_table.hpp"
#include "plugins/lu/ssc/types.hpp"
#include "wire/scsi/rsoc.hpp"

namespace stmfd::ssc::handlers {

using namespace scsi;

// SPC-4 6.47: the dispatcher answered NOT READY, MEDIUM NOT PRESENT when
// no cartridge is loaded (the row needs one); with one, the drive is ready.
outcome test_unit_ready(exec_ctx&) { return good(); }

// SPC-4 6.39: the pending unit attention the shell handed in, else NO
// SENSE (or NOT READY, MEDIUM NOT PRESENT without a cartridge: SPC-4
// 5.12 reports the condition a TEST UNIT READY would).
outcome request_sense(exec_ctx& x) {
  const bool desc = x.cmd.cdb[1] & 0x01;
  const size_t limit = std::min<size_t>(x.cmd.cdb[4], x.data_in_cap);
  sense_info s = plain(x.st.tape ? sense::no_sense() : sense::medium_not_present());
  if (x.cmd.pending_sense) s = *x.cmd.pending_sense;
  return good(uint32_t(build_sense(s, desc, x.data_in, limit)));
}

// SPC-4 6.17 (SSC-3 uses it as is): PREVENT 01b keeps LOAD UNLOAD from
// unloading the cartridge; 10b/11b (obsolete) are INVALID FIELD IN CDB.
outcome prevent_allow(exec_ctx& x) {
  const uint8_t prevent = x.cmd.cdb[4] & 0x03;
  if (prevent > 1) return check(invalid_cdb_field(4, 1));
  x.st.prevent_removal = prevent == 1;
  return good();
}

// SPC-4 6.35, generated from the command table.
outcome report_supported_opcodes(exec_ctx& x) {
  const auto r = build_rsoc(tape_op_infos(), decode_rsoc(x.cmd.cdb), x.data_in, x.data_in_cap);
  if (r.error) return check(*r.error);
  return good(uint32_t(r.length));
}

// Rows answered above the LU (REPORT LUNS, reservations): reaching the
// core is a routing bug.
outcome session_layer_only(exec_ctx&) { return check(sense::internal_target_failure()); }

}  // namespace stmfd::ssc::handlers
