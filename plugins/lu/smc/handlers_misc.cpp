// TEST UNIT READY, REQUEST SENSE, PREVENT ALLOW MEDIUM REMOVAL, REPORT
// SUPPORTED OPERATION CODES and INQUIRY for the media changer.

#include <algorithm>
#include <array>

#include "plugins/lu/common/inquiry.hpp"
#include "plugins/lu/smc/command_table.hpp"
#include "plugins/lu/smc/types.hpp"
#include "wire/scsi/byte_writer.hpp"
#include "wire/scsi/inquiry.hpp"
#include "wire/scsi/rsoc.hpp"
#include "wire/scsi/vpd.hpp"

namespace stmfd::smc::handlers {

using namespace scsi;

namespace {
constexpr uint8_t periph = 0x08;  // SPC-4 6.6.2: medium changer device
// SMC-3 7.4: the changer's VPD pages are SPC-4's 00h, 80h and 83h.
constexpr std::array<uint8_t, 3> supported_pages = {vpd::page::supported, vpd::page::unit_serial, vpd::page::device_id};
}  // namespace

// SPC-4 6.47: the library's inventory is always known: ready.
outcome test_unit_ready(exec_ctx&) { return good(); }

// SPC-4 6.39: the pending unit attention the shell handed in, else NO SENSE.
outcome request_sense(exec_ctx& x) {
  const bool desc = x.cmd.cdb[1] & 0x01;
  const size_t limit = std::min<size_t>(x.cmd.cdb[4], x.data_in_cap);
  sense_info s = plain(sense::no_sense());
  if (x.cmd.pending_sense) s = *x.cmd.pending_sense;
  return good(uint32_t(build_sense(s, desc, x.data_in, limit)));
}

// SMC-3 6.13 (SPC-4 6.17 for changers): PREVENT 1 keeps the import/export
// elements closed to the operator, held per I_T nexus until that nexus
// allows removal, ends, or the LU is reset. MOVE MEDIUM to or from an
// import/export element is refused meanwhile (MEDIUM REMOVAL PREVENTED).
outcome prevent_allow(exec_ctx& x) {
  if (x.cmd.cdb[4] & 0x01)
    x.st.preventing.insert(x.cmd.nexus);
  else
    x.st.preventing.erase(x.cmd.nexus);
  return good();
}

// SPC-4 6.35, generated from the command table.
outcome report_supported_opcodes(exec_ctx& x) {
  const auto r = build_rsoc(changer_op_infos(), decode_rsoc(x.cmd.cdb), x.data_in, x.data_in_cap);
  if (r.error) return check(*r.error);
  return good(uint32_t(r.length));
}

// Rows answered above the LU (REPORT LUNS, reservations): reaching the
// core is a routing bug.
outcome session_layer_only(exec_ctx&) { return check(sense::internal_target_failure()); }

// SPC-4 6.6, SMC-3 7.4: standard data (medium changer, not removable)
// and VPD 00h, 80h, 83h (plugins/lu/common/inquiry.hpp).
outcome inquiry(exec_ctx& x) {
  static constexpr uint16_t versions[] = {version_descriptor::sam5, version_descriptor::iscsi, version_descriptor::spc4,
                                          version_descriptor::smc3};
  const lu_inquiry::device d{periph, false, versions, supported_pages};
  return lu_inquiry::answer(x.cmd, x.st.id, d, x.data_in, x.data_in_cap, [](uint8_t, byte_writer&) {});
}

}  // namespace stmfd::smc::handlers
