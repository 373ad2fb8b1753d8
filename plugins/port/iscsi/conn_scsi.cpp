// SCSI commands on a connection: CmdSN ordering, posting each task through
// the session layer (a write once its first burst is in; the rest of its
// Data-Out is conn_xfer.cpp's), and sending its outcome back.
#include <caf/all.hpp>

#include "actors/common/faults.hpp"
#include "actors/common/log.hpp"
#include "actors/common/task_actor.hpp"
#include "plugins/port/iscsi/connection.hpp"
#include "wire/iscsi/ahs.hpp"
#include "wire/scsi/report_luns.hpp"
#include "wire/scsi/sense.hpp"

namespace stmfd::iscsi {

namespace {

wire::TaskAttribute attribute_of(uint8_t attr) {
  switch (attr) {
    case 0: return wire::TaskAttribute::UNTAGGED;
    case 2: return wire::TaskAttribute::ORDERED;
    case 3: return wire::TaskAttribute::HEAD_OF_QUEUE;
    case 4: return wire::TaskAttribute::ACA;
    default: return wire::TaskAttribute::SIMPLE;
  }
}

}  // namespace

bool connection::accept_cmd_sn(bhs_view h, const uint8_t* hdr, const uint8_t* data, uint32_t dlen) {
  uint32_t sn = h.cmd_sn();
  if (!sn_le(exp_cmd_sn_, sn) || !sn_le(sn, max_cmd_sn_)) {
    // Outside [ExpCmdSN, MaxCmdSN] (empty while the window is closed):
    // silently ignored (RFC 7143 4.2.2.1).
    log::debug("{}: CmdSN {} outside window {}..{}, dropped", peer_, sn, exp_cmd_sn_, max_cmd_sn_);
    return false;
  }
  if (sn == exp_cmd_sn_) return true;        // the caller advances ExpCmdSN once it runs
  if (queued_cmds_.count(sn)) return false;  // a duplicate, or aborted before it arrived
  // A gap: hold the command until the missing ones arrive. On one
  // connection an initiator sends in CmdSN order, so a gap is rare; what it
  // may make us hold is bounded like the send backlog.
  size_t bytes = bhs_len + h.ahs_bytes() + dlen;
  if (queued_bytes_ + bytes > port_->settings.max_send_backlog) {
    log::warn("{}: {} bytes of commands held behind a CmdSN gap at {}", peer_, queued_bytes_ + bytes, exp_cmd_sn_);
    close("too much held behind a CmdSN gap");
    return false;
  }
  std::vector<uint8_t> copy(hdr, hdr + bhs_len + h.ahs_bytes());
  copy.insert(copy.end(), data, data + dlen);
  queued_bytes_ += bytes;
  queued_cmds_[sn] = std::move(copy);
  return false;
}

void connection::run_queued_commands() {
  if (draining_queue_ || pdu_held_) return;
  draining_queue_ = true;
  for (auto it = queued_cmds_.find(exp_cmd_sn_); it != queued_cmds_.end() && phase_ == phase::full_feature;
       it = queued_cmds_.find(exp_cmd_sn_)) {
    auto pdu = std::move(it->second);
    queued_cmds_.erase(it);
    if (pdu.empty()) {  // aborted before it arrived (11.5.1): counts as received
      ++exp_cmd_sn_;
      continue;
    }
    queued_bytes_ -= pdu.size();
    bhs_view h(pdu.data());
    if (handle_pdu(pdu.data(), pdu.data() + bhs_len + h.ahs_bytes(), h.data_segment_length()) == pdu_result::hold) {
      queued_bytes_ += pdu.size();  // its turn again once memory allows (retry_memory)
      queued_cmds_[exp_cmd_sn_] = std::move(pdu);
      pdu_held_ = true;
      schedule_retry();
      break;
    }
  }
  draining_queue_ = false;
}

void connection::on_scsi_command(bhs_view h, const uint8_t* data, uint32_t dlen) {
  if (faults::hit(faults::point::session_pdu)) {
    quit(caf::make_error(caf::sec::runtime_error, "fault injected: session.pdu"));
    return;
  }
  uint32_t itt = h.itt();
  if (params_.discovery) {
    send_reject(h.data(), reject_reason::protocol_error);  // RFC 7143 4.3: discovery carries no SCSI commands
    return;
  }
  if (tasks_.count(itt) != 0) {
    send_reject(h.data(), reject_reason::task_in_progress);
    return;
  }
  // RFC 7143 11.2.2, 11.3.5: a CDB over 16 bytes goes on in an Extended
  // CDB AHS; an AHS whose lengths do not add up, or of a type the target
  // cannot interpret, refuses the PDU (the command never enters the task set).
  command_cdb cdb;
  switch (parse_command_ahs(h.data(), h.data() + bhs_len, h.ahs_bytes(), cdb)) {
    case ahs_status::ok: break;
    case ahs_status::malformed: send_reject(h.data(), reject_reason::protocol_error); return;
    case ahs_status::unsupported_type: send_reject(h.data(), reject_reason::invalid_pdu_field); return;
  }
  uint32_t edtl = h.expected_data_length();
  bool is_write = h.write_bit(), is_read = h.read_bit();
  if ((!is_write && dlen > 0) || (is_write && dlen > edtl) || (dlen > 0 && !params_.immediate_data) ||
      dlen > params_.first_burst_length) {
    send_reject(h.data(), reject_reason::protocol_error);
    return;
  }
  const lun_entry* lun = session_.route(h.lun_field_bytes(), h.cdb());
  if (lun == nullptr) {
    answer_by_framework(h, itt);
    return;
  }
  if ((is_read && is_write) || edtl > port_->settings.max_task_bytes) {
    // Bidirectional commands are not supported; oversized transfers refused.
    send_check_condition(itt, h.lun_field(), edtl, is_read, scsi::sense::invalid_field_in_cdb());
    return;
  }

  task_entry e;
  e.ctx = session_.new_task();
  e.lun_field = h.lun_field();
  e.expected_length = edtl;
  e.is_write = is_write;
  e.is_read = is_read;
  e.immediate = h.immediate();
  auto t = e.ctx->task;
  t.setLun(lun->lun);
  t.setTaskTag(itt);
  t.setAttribute(attribute_of(h.task_attr()));
  t.setCdb(capnp::Data::Reader(cdb.bytes.data(), cdb.len));
  t.setExpectedLength(edtl);
  t.setDirection(is_write ? wire::Direction::WRITE : is_read ? wire::Direction::READ : wire::Direction::NONE);
  // Immediate data, or F=0 with unsolicited Data-Out behind it (RFC 7143
  // 11.3.1.1, 13.13): the first burst is already on its way, so a buffer
  // for it (not for the whole EDTL: the LU gives one for the rest when it
  // asks) is taken now; without one the command is not taken into the
  // task set.
  bool unsolicited = is_write && edtl > 0 && (dlen > 0 || (!h.final_bit() && !params_.initial_r2t));
  if (unsolicited) {
    if (!take_buffer(e, std::min(edtl, params_.first_burst_length))) {
      // SAM-5 5.3: TASK SET FULL / BUSY, and the initiator retries; the
      // unsolicited Data-Out that follows finds no task and is dropped.
      send_result({itt, h.lun_field(), edtl, is_read, no_memory_status(), nullptr, 0, nullptr, 0, false}, nullptr);
      return;
    }
    if (dlen > 0) std::memcpy(e.ctx->data.data, data, dlen);
    e.received = dlen;
    if (!h.final_bit() && !params_.initial_r2t) {
      e.unsolicited_open = true;
      e.progress = clock::now();  // the Data-Out time limit covers the first burst too
      e.unsolicited_end = std::min(edtl, params_.first_burst_length);
      if (e.received >= e.unsolicited_end) e.unsolicited_open = false;
    }
  }
  auto [it, inserted] = tasks_.emplace(itt, std::move(e));
  if (it->second.immediate) ++immediate_tasks_;
  advance(itt, it->second);
}

void connection::advance(uint32_t itt, task_entry& e) {
  // A write is posted as soon as its first burst is in (nothing, with
  // InitialR2T=Yes and no immediate data): the LU asks for the rest when
  // the task set lets it run (on_xfer), so a held write solicits nothing
  // and holds no buffer for it. Anything else that may return data gets its
  // Data-In buffer here, so the LU finds it in place (and a read waits
  // here, not at the LU, when memory is short).
  if (e.is_write) {
    if (!e.unsolicited_open) dispatch(itt, e);
    return;
  }
  bool needs_buffer = e.expected_length > 0 && !e.ctx->data;
  if (needs_buffer && (!mem_waiting_.empty() || !take_buffer(e, e.expected_length))) {
    wait_for_memory(itt, e);  // behind the commands already waiting, in order
    return;
  }
  dispatch(itt, e);
}

void connection::dispatch(uint32_t itt, task_entry& e) {
  e.dispatched = true;
  e.ctx->task.setDataOutLength(e.received);
  uint8_t field[8];
  put_be64(field, e.lun_field);
  const lun_entry* lun = session_.route(field, e.ctx->task.getCdb().begin());
  if (lun == nullptr) {  // the LUN left the view while its data arrived
    session_.answer(*e.ctx, field);
    task_entry done = take_task(tasks_.find(itt));
    respond(itt, done);
    return;
  }
  session_.start(e.ctx, *lun);
}

void connection::on_task_done(task_ptr t) {
  session_.finished(t);
  uint32_t itt = t->task.getTaskTag();
  auto it = tasks_.find(itt);
  if (it == tasks_.end() || it->second.ctx != t) return;  // aborted meanwhile
  if (it->second.ended_with && data_owed(it->second)) {
    it->second.lu_released = true;  // its status waits for the Data-Out still owed (conn_digest.cpp)
    return;
  }
  task_entry e = take_task(it);
  if (e.busy) {  // no buffer for its Data-Out in time (conn_memory.cpp); the LU let go of it untouched
    send_result({itt, e.lun_field, e.expected_length, e.is_read, scsi::status::busy, nullptr, 0, nullptr, 0, false},
                nullptr);
    return;
  }
  if (e.ended_with) {  // the LU let go of it without touching the medium (conn_xfer.cpp end_data_out)
    send_check_condition(itt, e.lun_field, e.expected_length, e.is_read, *e.ended_with);
    return;
  }
  if (!t->aborted.load(std::memory_order_acquire)) respond(itt, e);  // SAM-5 5.6 TAS=0: no status
}

void connection::on_down(const caf::down_msg& m) {
  task_ptr t = session_.on_down(m);
  if (!t) return;
  uint32_t itt = t->task.getTaskTag();
  auto it = tasks_.find(itt);
  if (it == tasks_.end() || it->second.ctx != t) return;
  // Answered from this port's own bytes: the LU may still be writing the
  // task's status (nexus_session::on_down).
  task_entry e = take_task(it);
  send_check_condition(itt, e.lun_field, e.expected_length, e.is_read, scsi::sense::internal_target_failure());
}

void connection::send_check_condition(uint32_t itt, uint64_t lun_field, uint32_t edtl, bool is_read,
                                      scsi::sense_code code) {
  uint8_t sense[32];
  size_t n = scsi::build_sense(scsi::plain(code), false, sense, sizeof sense);
  send_result({itt, lun_field, edtl, is_read, scsi::status::check_condition, sense, uint32_t(n), nullptr, 0, false},
              nullptr);
}

void connection::respond(uint32_t itt, task_entry& e) {
  auto t = e.ctx->task;
  auto sense = t.getSense();
  uint32_t data_len = e.is_write ? t.getCommandLength() : t.getDataInLength();
  send_result({itt, e.lun_field, e.expected_length, e.is_read, t.getStatus(), sense.begin(), uint32_t(sense.size()),
               e.ctx->data.data, data_len, e.is_write},
              e.ctx);
}

}  // namespace stmfd::iscsi
