// FCP commands on a remote port (FCP-4 9): FCP_CMND to a task, write data
// solicited with FCP_XFER_RDY when the LU asks for it, FCP_DATA both ways
// with relative offsets, FCP_RSP with status, sense and residuals.
#include <cstring>

#include <caf/all.hpp>

#include "actors/common/log.hpp"
#include "actors/common/task_actor.hpp"
#include "plugins/port/fc/rport_actor.hpp"
#include "wire/scsi/sense.hpp"

namespace stmfd::fc {

namespace {

// FCP-4 Table 23; reserved codes have no task attribute.
std::optional<wire::TaskAttribute> attribute_of(uint8_t a) {
  switch (a) {
    case fcp::attr::simple: return wire::TaskAttribute::SIMPLE;
    case fcp::attr::head_of_queue: return wire::TaskAttribute::HEAD_OF_QUEUE;
    case fcp::attr::ordered: return wire::TaskAttribute::ORDERED;
    case fcp::attr::aca: return wire::TaskAttribute::ACA;
    case fcp::attr::untagged: return wire::TaskAttribute::UNTAGGED;
    default: return std::nullopt;
  }
}

}  // namespace

void rport_actor::on_cmnd(frame& f) {
  uint16_t ox = f.hdr.ox_id;
  if (!session_.is_open()) {  // FCP-4 6.3: no image pair, no FCP exchanges
    log::debug("fc {}: FCP_CMND before PRLI dropped", wwn_name(a_.remote.port_name));
    return;
  }
  if (ox == unassigned_xid || exchanges_.count(ox)) {  // the OX_ID names an open exchange: not a new one
    log::warn("fc {}: FCP_CMND with OX_ID {:#x} in use, dropped", wwn_name(a_.remote.port_name), ox);
    return;
  }
  exchange x;
  x.ox_id = ox;
  x.rx_id = next_rx_id();
  auto c = fcp::decode_cmnd(f.payload.data(), f.payload.size());
  if (!c) {  // FCP-4 9.5.15: FCP_CMND fields invalid
    respond_code(x, fcp::rsp_code::cmnd_invalid);
    return;
  }
  x.lun = c->lun;
  x.dl = c->dl;
  x.read = c->rddata;
  x.write = c->wrdata;
  if (c->tm_flags != 0) {
    on_tmf(x, *c);
    return;
  }
  if (!attribute_of(c->attribute)) {
    respond_code(x, fcp::rsp_code::cmnd_invalid);
    return;
  }
  if (exchanges_.size() >= a_.settings.cmd_window) {  // SAM-5 5.3: beyond the window
    respond(x, scsi::status::task_set_full, nullptr, 0, nullptr, 0, false);
    return;
  }
  auto [it, inserted] = exchanges_.emplace(ox, std::move(x));
  start_command(it->second, *c);
}

void rport_actor::start_command(exchange& x, const fcp::cmnd& c) {
  const lun_entry* lu = session_.route(x.lun.data(), c.cdb.data());
  if ((x.read && x.write) || x.dl > a_.settings.max_task_bytes) {
    // Bidirectional commands are not served; oversized transfers refused.
    uint8_t sense[32];
    size_t n = scsi::build_sense(scsi::plain(scsi::sense::invalid_field_in_cdb()), false, sense, sizeof sense);
    respond(x, scsi::status::check_condition, sense, uint32_t(n), nullptr, 0, false);
    exchanges_.erase(uint16_t(x.ox_id));  // a copy: the key must not live in the node erased
    return;
  }
  task_ptr ctx = session_.new_task();
  auto t = ctx->task;
  t.setTaskTag(x.ox_id);
  t.setAttribute(*attribute_of(c.attribute));
  t.setCdb(capnp::Data::Reader(c.cdb.data(), c.cdb_len));
  t.setExpectedLength(x.dl);
  t.setDirection(x.write ? wire::Direction::WRITE : x.read ? wire::Direction::READ : wire::Direction::NONE);
  if (lu == nullptr) {  // REPORT LUNS, or a LUN with no LU: the framework answers
    session_.answer(*ctx, x.lun.data());
    auto sense = t.getSense();
    respond(x, t.getStatus(), sense.begin(), uint32_t(sense.size()), ctx, t.getDataInLength(), x.read);
    exchanges_.erase(uint16_t(x.ox_id));  // a copy: the key must not live in the node erased
    return;
  }
  t.setLun(lu->lun);
  x.ctx = ctx;
  session_.start(std::move(ctx), *lu);
}

// The port provider contract's "move data" verb: the LU needs Data-Out
// [offset, offset + length) in the task's buffer.
void rport_actor::answer_xfer(caf::response_promise& rp, const task_ptr& t, bool ok, uint32_t length) {
  complete_transfer(*t, ok ? wire::TransferStatus::OK : wire::TransferStatus::TRANSPORT_FAILED, ok ? length : 0);
  rp.deliver(xfer_atom::value, t);
}

caf::result<xfer_atom, task_ptr> rport_actor::on_xfer(task_ptr& t) {
  if (!t) return caf::result<xfer_atom, task_ptr>(caf::sec::invalid_argument);
  const auto req = transfer_request(*t);
  const uint32_t offset = req.getBufferOffset(), length = req.getLength();
  auto failed = [&t] {
    complete_transfer(*t, wire::TransferStatus::TRANSPORT_FAILED, 0);
    return caf::result<xfer_atom, task_ptr>(xfer_atom::value, t);
  };
  auto it = exchanges_.find(uint16_t(t->task.getTaskTag()));
  if (it == exchanges_.end() || it->second.ctx != t || t->aborted.load(std::memory_order_acquire)) return failed();
  exchange& x = it->second;
  if (!x.write || x.xfer || uint64_t(offset) + length > x.dl) return failed();
  // The port contract: the port takes the buffer as it solicits the data,
  // keeping what arrived before `offset` (task_context::grow_data). A pool
  // that refuses (the daemon-wide cap) ends the transfer.
  if ((!t->data || t->data.capacity < uint64_t(offset) + length) && !t->grow_data(offset + length, offset))
    return failed();
  x.xfer = make_response_promise();
  x.next = offset;
  x.end = offset + length;
  x.xfer_length = length;
  send_xfer_rdy(x);
  return caf::delegated<xfer_atom, task_ptr>{};
}

void rport_actor::send_xfer_rdy(exchange& x) {
  uint32_t burst = std::min(a_.settings.max_burst, x.end - x.next);
  x.burst_end = x.next + burst;
  // FCP-4 9.3: a sequence of its own, passing the initiative to the initiator.
  send_fcp(x, r_ctl::fcp_xfer_rdy, f_ctl::end_sequence | f_ctl::sequence_initiative, x.seq_id++, 0, 0,
           fcp::encode(fcp::xfer_rdy{x.next, burst}));
}

void rport_actor::on_data(frame& f) {
  auto it = exchanges_.find(f.hdr.ox_id);
  if (it == exchanges_.end() || !it->second.xfer) {
    // Unsolicited, for an exchange that ended (aborted) or never existed.
    log::debug("fc {}: FCP_DATA for OX_ID {:#x} not solicited, dropped", wwn_name(a_.remote.port_name), f.hdr.ox_id);
    return;
  }
  exchange& x = it->second;
  uint32_t off = (f.hdr.f_ctl & f_ctl::relative_offset) ? f.hdr.parameter : x.next;
  size_t n = f.payload.size();
  if (off != x.next || uint64_t(off) + n > x.burst_end) {
    log::warn("fc {}: FCP_DATA at {} (+{}) outside XFER_RDY {}..{}", wwn_name(a_.remote.port_name), off, n, x.next,
              x.burst_end);
    fail_exchange(x.ox_id, fcp::rsp_code::data_ro_mismatch);
    return;
  }
  std::memcpy(x.ctx->data.data + off, f.payload.data(), n);
  x.next += uint32_t(n);
  if (x.next == x.burst_end) {
    if (x.next < x.end) {
      send_xfer_rdy(x);
      return;
    }
    auto rp = std::move(*x.xfer);
    x.xfer.reset();
    answer_xfer(rp, x.ctx, true, x.xfer_length);
  } else if (f.hdr.f_ctl & f_ctl::end_sequence) {  // FCP-4 9.4: the sequence ended short of FCP_BURST_LEN
    fail_exchange(x.ox_id, fcp::rsp_code::data_len_mismatch);
  }
}

void rport_actor::on_task_done(task_ptr t) {
  session_.finished(t);
  auto it = exchanges_.find(uint16_t(t->task.getTaskTag()));
  if (it == exchanges_.end() || it->second.ctx != t) return;  // aborted meanwhile
  exchange& x = it->second;
  if (!t->aborted.load(std::memory_order_acquire)) {  // SAM-5 5.6, TAS=0: no status for an aborted task
    auto task = t->task;
    auto sense = task.getSense();
    uint32_t moved = x.write ? task.getCommandLength() : task.getDataInLength();
    respond(x, task.getStatus(), sense.begin(), uint32_t(sense.size()), t, moved, x.read);
  }
  exchanges_.erase(it);
}

void rport_actor::on_task_down(const caf::down_msg& m) {
  task_ptr t = session_.on_down(m);
  if (!t) return;
  auto it = exchanges_.find(uint16_t(t->task.getTaskTag()));
  if (it == exchanges_.end() || it->second.ctx != t) return;
  // From this port's own bytes: the LU may still be writing the task's status.
  uint8_t sense[32];
  size_t n = scsi::build_sense(scsi::plain(scsi::sense::internal_target_failure()), false, sense, sizeof sense);
  respond(it->second, scsi::status::check_condition, sense, uint32_t(n), nullptr, 0, false);
  forget(it->first);
}

void rport_actor::respond(exchange& x, uint8_t status, const uint8_t* sense, uint32_t sense_len, task_ptr keep,
                          uint32_t moved, bool data_in) {
  uint32_t to_send = (data_in && keep && keep->data) ? std::min(moved, x.dl) : 0;
  outbound o;
  if (to_send > 0) {
    // FCP-4 9.4: one sequence of FCP_DATA, relative offsets from 0, frames
    // no larger than the initiator's receive data field size; they are cut
    // from the task's buffer as the link takes them (pump).
    o.data_hdr = fcp_header(x, r_ctl::fcp_data, f_ctl::relative_offset, x.seq_id++, 0, 0);
    o.keep = std::move(keep);
    o.to_send = to_send;
  }
  fcp::rsp r;
  r.status = status;
  fcp::set_residual(r, x.dl, moved);
  if (sense_len) r.sense.assign(sense, sense + sense_len);
  o.f.hdr = fcp_header(x, r_ctl::fcp_rsp, f_ctl::last_sequence | f_ctl::end_sequence | f_ctl::sequence_initiative,
                       x.seq_id++, 0, 0);
  o.f.payload = fcp::encode(r);
  queue(std::move(o));
}

void rport_actor::respond_code(exchange& x, uint8_t code) {
  fcp::rsp r;
  r.response = code;
  send_fcp(x, r_ctl::fcp_rsp, f_ctl::last_sequence | f_ctl::end_sequence | f_ctl::sequence_initiative, x.seq_id++, 0, 0,
           fcp::encode(r));
}

// FCP-4 9.5.14 names the data-phase fault in RSP_CODE, but an initiator
// need not act on RSP_CODE for a SCSI command (Linux libfc reads it only
// for task management): with GOOD status a write whose data never reached
// the medium would pass as done. So the FCP_RSP also carries CHECK
// CONDITION, ABORTED COMMAND / DATA PHASE ERROR (4Bh/00h, SPC-4 D.2) and
// nothing moved (FCP_RESID_UNDER of all of FCP_DL): the initiator retries.
void rport_actor::fail_exchange(uint16_t ox_id, uint8_t rsp_code) {
  auto it = exchanges_.find(ox_id);
  if (it == exchanges_.end()) return;
  exchange& x = it->second;
  fcp::rsp r;
  r.response = rsp_code;
  r.status = scsi::status::check_condition;
  fcp::set_residual(r, x.dl, 0);
  uint8_t sense[32];
  size_t n =
      scsi::build_sense(scsi::plain(scsi::sense::command_aborted_data_phase_error()), false, sense, sizeof sense);
  r.sense.assign(sense, sense + n);
  send_fcp(x, r_ctl::fcp_rsp, f_ctl::last_sequence | f_ctl::end_sequence | f_ctl::sequence_initiative, x.seq_id++, 0, 0,
           fcp::encode(r));
  // The task must not touch the medium: the LU sees it aborted (and the
  // xfer answered false) and ends it without status.
  if (it->second.ctx) it->second.ctx->aborted.store(true, std::memory_order_release);
  forget(ox_id);
}

}  // namespace stmfd::fc
