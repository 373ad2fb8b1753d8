// SCSI commands on a connection: CmdSN ordering, write-data collection
// (immediate, unsolicited and R2T-solicited Data-Out, RFC 7143 11.7/11.8),
// handing the task to a task actor, and sending its outcome back.
#include <caf/all.hpp>

#include "actors/common/faults.hpp"
#include "actors/common/log.hpp"
#include "actors/common/task_actor.hpp"
#include "plugins/port/iscsi/connection.hpp"
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
  if (sn == exp_cmd_sn_) {
    ++exp_cmd_sn_;
    return true;
  }
  uint32_t max_sn = exp_cmd_sn_ + port_->settings.cmd_window - 1;
  if (sn_lt(exp_cmd_sn_, sn) && sn_le(sn, max_sn)) {
    if (queued_cmds_.count(sn)) return false;  // a duplicate, or aborted before it arrived
    // A gap: hold the command until the missing ones arrive.
    std::vector<uint8_t> copy(hdr, hdr + bhs_len + h.ahs_bytes());
    copy.insert(copy.end(), data, data + dlen);
    queued_cmds_[sn] = std::move(copy);
    return false;
  }
  // Outside [ExpCmdSN, MaxCmdSN]: silently ignored (RFC 7143 4.2.2.1).
  log::debug("{}: CmdSN {} outside window {}..{}, dropped", peer_, sn, exp_cmd_sn_, max_sn);
  return false;
}

void connection::run_queued_commands() {
  if (draining_queue_) return;
  draining_queue_ = true;
  for (auto it = queued_cmds_.find(exp_cmd_sn_); it != queued_cmds_.end() && phase_ == phase::full_feature;
       it = queued_cmds_.find(exp_cmd_sn_)) {
    auto pdu = std::move(it->second);
    queued_cmds_.erase(it);
    if (pdu.empty()) {  // aborted before it arrived (11.5.1): counts as received
      ++exp_cmd_sn_;
      continue;
    }
    bhs_view h(pdu.data());
    handle_pdu(pdu.data(), pdu.data() + bhs_len + h.ahs_bytes(), h.data_segment_length());
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
  uint32_t edtl = h.expected_data_length();
  bool is_write = h.write_bit(), is_read = h.read_bit();
  if ((!is_write && dlen > 0) || (is_write && dlen > edtl) ||
      (dlen > 0 && !params_.immediate_data) || dlen > params_.first_burst_length) {
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
    uint8_t sense[32];
    size_t n = scsi::build_sense({scsi::sense::invalid_field_in_cdb(), std::nullopt, std::nullopt}, false, sense,
                                 sizeof sense);
    send_result({itt, h.lun_field(), edtl, is_read, scsi::status::check_condition, sense, uint32_t(n), nullptr, 0,
                 false},
                nullptr);
    return;
  }

  task_entry e;
  e.ctx = session_.new_task();
  e.lun_field = h.lun_field();
  e.expected_length = edtl;
  e.is_write = is_write;
  e.is_read = is_read;
  auto t = e.ctx->task;
  t.setLun(lun->lun);
  t.setTaskTag(itt);
  t.setAttribute(attribute_of(h.task_attr()));
  t.setCdb(capnp::Data::Reader(h.cdb(), 16));
  t.setExpectedLength(edtl);
  t.setDirection(is_write ? wire::Direction::WRITE : is_read ? wire::Direction::READ : wire::Direction::NONE);
  if (is_write && edtl > 0) {
    e.ctx->data = io::buffer_pool::global().acquire(edtl);
    if (!e.ctx->data) {  // out of buffer memory: SAM-5 BUSY, the initiator retries
      send_result({itt, h.lun_field(), edtl, is_read, scsi::status::busy, nullptr, 0, nullptr, 0, false}, nullptr);
      return;
    }
    if (dlen > 0) std::memcpy(e.ctx->data.data, data, dlen);
    e.received = dlen;
    // F=0: unsolicited Data-Out follows, up to FirstBurstLength (RFC 7143 11.3.1.1, 13.13).
    if (!h.final_bit() && !params_.initial_r2t) {
      e.unsolicited_open = true;
      e.unsolicited_end = std::min(edtl, params_.first_burst_length);
      if (e.received >= e.unsolicited_end) e.unsolicited_open = false;
    }
  }
  auto [it, inserted] = tasks_.emplace(itt, std::move(e));
  task_entry& entry = it->second;
  if (entry.is_write && entry.received < edtl) {
    if (!entry.unsolicited_open) maybe_send_r2t(entry);
    return;
  }
  dispatch(itt, entry);
}

void connection::maybe_send_r2t(task_entry& e) {
  if (e.ttt != reserved_tag || e.received >= e.expected_length) return;
  uint32_t len = std::min(params_.max_burst_length, e.expected_length - e.received);
  e.ttt = next_ttt_++;
  if (next_ttt_ == reserved_tag) next_ttt_ = 1;
  e.burst_offset = e.received;
  e.burst_end = e.received + len;
  e.expected_data_sn = 0;
  uint8_t bhs[bhs_len];
  build::r2t(bhs, {e.lun_field, e.ctx->task.getTaskTag(), e.ttt, e.r2t_sn++, e.burst_offset, len, next_sn(false)});
  send_pdu(bhs, nullptr, 0);
}

void connection::on_data_out(bhs_view h, const uint8_t* data, uint32_t dlen) {
  auto it = tasks_.find(h.itt());
  if (it == tasks_.end() || it->second.dispatched || !it->second.is_write) {
    // Data for a task that is gone (aborted) or never existed: discarded.
    log::debug("{}: Data-Out for unknown ITT {:#x} dropped", peer_, h.itt());
    return;
  }
  task_entry& e = it->second;
  bool solicited = h.ttt() != reserved_tag;
  if (solicited ? h.ttt() != e.ttt : !e.unsolicited_open) {
    send_reject(h.data(), reject_reason::invalid_pdu_field);
    return;
  }
  uint32_t offset = h.buffer_offset();
  uint32_t end_limit = solicited ? e.burst_end : e.unsolicited_end;
  if (h.data_sn() != e.expected_data_sn || offset != e.received || uint64_t(offset) + dlen > end_limit) {
    // Out of order or out of range data at ERL 0: protocol error (RFC 7143 7.1.2, 11.7.5).
    log::warn("{}: bad Data-Out (DataSN {} want {}, offset {} want {}, len {})", peer_, h.data_sn(),
              e.expected_data_sn, offset, e.received, dlen);
    // The task cannot complete correctly any more: drop it with the Reject
    // (libiscsi fails the command whose ITT the rejected header carries).
    send_reject(h.data(), reject_reason::protocol_error);
    tasks_.erase(it);
    return;
  }
  std::memcpy(e.ctx->data.data + offset, data, dlen);
  e.received += dlen;
  ++e.expected_data_sn;
  bool sequence_done = h.final_bit() || e.received >= end_limit;
  if (sequence_done) {
    if (solicited) e.ttt = reserved_tag;
    else e.unsolicited_open = false;
    e.expected_data_sn = 0;
  }
  if (e.received >= e.expected_length) {
    dispatch(h.itt(), e);
  } else if (sequence_done) {
    maybe_send_r2t(e);
  }
}

void connection::dispatch(uint32_t itt, task_entry& e) {
  e.dispatched = true;
  e.ctx->task.setDataOutLength(e.received);
  uint8_t field[8];
  put_be64(field, e.lun_field);
  const lun_entry* lun = session_.route(field, e.ctx->task.getCdb().begin());
  if (lun == nullptr) {  // the LUN left the view while its data arrived
    session_.answer(*e.ctx, field);
    respond(itt, e);
    tasks_.erase(itt);
    return;
  }
  session_.start(e.ctx, *lun);
}

void connection::on_task_done(task_ptr t) {
  session_.finished(t);
  uint32_t itt = t->task.getTaskTag();
  auto it = tasks_.find(itt);
  if (it == tasks_.end() || it->second.ctx != t) return;  // aborted meanwhile
  if (!t->aborted.load(std::memory_order_acquire)) respond(itt, it->second);  // SAM-5 5.6 TAS=0: no status
  tasks_.erase(it);
}

void connection::on_down(const caf::down_msg& m) {
  task_ptr t = session_.on_down(m);
  if (!t) return;
  for (auto it = tasks_.begin(); it != tasks_.end(); ++it) {
    if (it->second.ctx != t) continue;
    uint8_t sense[32];
    size_t n = scsi::build_sense(scsi::plain(scsi::sense::internal_target_failure()), false, sense, sizeof sense);
    task_entry& e = it->second;
    send_result({it->first, e.lun_field, e.expected_length, e.is_read, scsi::status::check_condition, sense,
                 uint32_t(n), nullptr, 0, false},
                nullptr);
    tasks_.erase(it);
    return;
  }
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
