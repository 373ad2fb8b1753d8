// Aborting exchanges: ABTS (FC-FS-4 15.3.2; FCP-4 12.3) and the task
// management flags of FCP_CMND (FCP-4 9.2.2.3) through the framework's task
// management, answered only once the LUs say the affected tasks stopped.
#include <caf/all.hpp>

#include "actors/common/log.hpp"
#include "actors/common/messages.hpp"
#include "plugins/port/fc/rport_actor.hpp"
#include "wire/fc/bls.hpp"

namespace stmfd::fc {

namespace {

frame bls_reply(const frame_header& abts, uint32_t my_id, uint16_t rx_id, uint8_t r_ctl, std::vector<uint8_t> p) {
  frame out;
  out.hdr.r_ctl = r_ctl;
  out.hdr.d_id = abts.s_id;
  out.hdr.s_id = my_id;
  out.hdr.type = type::bls;
  out.hdr.f_ctl = f_ctl::exchange_responder | f_ctl::last_sequence | f_ctl::end_sequence;
  out.hdr.ox_id = abts.ox_id;
  out.hdr.rx_id = rx_id;
  out.payload = std::move(p);
  return out;
}

}  // namespace

// An ABTS names the exchange by OX_ID (and RX_ID once the initiator knows
// it). Sequence-level recovery is not offered, so an ABTS for a sequence
// (parameter bit 0) aborts the whole exchange like one for the exchange.
void rport_actor::on_abts(frame& f) {
  auto it = exchanges_.find(f.hdr.ox_id);
  if (it == exchanges_.end() || (f.hdr.rx_id != unassigned_xid && f.hdr.rx_id != it->second.rx_id)) {
    transmit(bls_reply(f.hdr, a_.me.port_id, f.hdr.rx_id, r_ctl::ba_rjt,
                       bls::encode(bls::ba_rjt{bls::reason::logical_error, bls::explain::invalid_ox_rx, 0})));
    return;
  }
  exchange& x = it->second;
  uint16_t rx = x.rx_id;
  auto lun = x.lun;
  bool at_lu = static_cast<bool>(x.ctx);
  if (x.ctx) x.ctx->aborted.store(true, std::memory_order_release);
  forget(f.hdr.ox_id);
  frame acc = bls_reply(f.hdr, a_.me.port_id, rx, r_ctl::ba_acc,
                        bls::encode(bls::ba_acc{false, 0, f.hdr.ox_id, rx, 0, 0xFFFF}));
  log::info("fc {}: ABTS for OX_ID {:#x}", wwn_name(a_.remote.port_name), f.hdr.ox_id);
  if (!at_lu) {
    transmit(std::move(acc));
    return;
  }
  // BA_ACC only once the LU reports the task stopped (whatever its answer:
  // the exchange is gone here either way).
  auto req = make_tmf_request(wire::TaskManagementFunction::ABORT_TASK, session_.id(), 0, f.hdr.ox_id, f.hdr.ox_id);
  session_.task_management(std::move(req), lun.data(), [this, acc](const tmf_response&) mutable {
    if (a_.hba) transmit(std::move(acc));
  });
}

void rport_actor::on_tmf(exchange& x, const fcp::cmnd& c) {
  using fn_t = wire::TaskManagementFunction;
  fn_t fn;
  bool whole_target = false;
  switch (c.tm_flags) {
    case fcp::tmf::abort_task_set: fn = fn_t::ABORT_TASK_SET; break;
    case fcp::tmf::clear_task_set: fn = fn_t::CLEAR_TASK_SET; break;
    case fcp::tmf::lu_reset: fn = fn_t::LOGICAL_UNIT_RESET; break;
    case fcp::tmf::target_reset:
      fn = fn_t::TARGET_WARM_RESET;
      whole_target = true;
      break;
    case fcp::tmf::clear_aca: respond_code(x, fcp::rsp_code::tmf_not_supported); return;  // ACA is not offered
    default: respond_code(x, fcp::rsp_code::cmnd_invalid); return;  // none, several or reserved flags
  }
  log::info("fc {}: task management {:#x} (OX_ID {:#x})", wwn_name(a_.remote.port_name), c.tm_flags, x.ox_id);
  // This nexus's tasks in scope get no status (SAM-5 5.6, TAS=0); the LUs
  // stop them and any other nexus's that the function reaches.
  abort_exchanges(whole_target ? nullptr : &x.lun);
  exchange reply = x;
  auto req = make_tmf_request(fn, session_.id(), 0, x.ox_id, 0);
  session_.task_management(std::move(req), x.lun.data(), [this, reply](const tmf_response& r) mutable {
    if (!a_.hba) return;
    using result = wire::TaskManagementResult;
    switch (r.get().getResult()) {  // FCP-4 9.5.3 FCP_RSP_INFO codes
      case result::COMPLETE: respond_code(reply, fcp::rsp_code::complete); return;
      case result::NO_SUCH_LUN: respond_code(reply, fcp::rsp_code::tmf_incorrect_lun); return;
      default: respond_code(reply, fcp::rsp_code::tmf_not_supported); return;
    }
  });
}

void rport_actor::abort_exchanges(const std::array<uint8_t, 8>* lun) {
  std::vector<uint16_t> ids;
  for (auto& [ox, x] : exchanges_)
    if (lun == nullptr || x.lun == *lun) ids.push_back(ox);
  for (uint16_t ox : ids) {
    auto& x = exchanges_.at(ox);
    if (x.ctx) x.ctx->aborted.store(true, std::memory_order_release);
    forget(ox);
  }
}

void rport_actor::forget(uint16_t ox_id) {
  auto it = exchanges_.find(ox_id);
  if (it == exchanges_.end()) return;
  std::optional<caf::response_promise> xfer = std::move(it->second.xfer);
  task_ptr t = it->second.ctx;
  exchanges_.erase(it);
  if (xfer && t) answer_xfer(*xfer, t, false, 0);
}

}  // namespace stmfd::fc
