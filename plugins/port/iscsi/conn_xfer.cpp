// Data-Out on a connection: the first burst (immediate data and unsolicited
// Data-Out, RFC 7143 13.13/13.14) collected before the task is posted, and
// the rest solicited with R2Ts when the framework asks for it (the port
// provider contract's "move data" verb, actors/common/fwd.hpp xfer_atom).
//
// The LU asks only when the task set lets the task run, so a held WRITE
// solicits nothing and holds no buffer for it: the buffer for the asked
// range is taken here when the request comes (grow_buffer: the session's
// limit and the daemon-wide cap; short of memory the request waits, no R2T
// goes out, and the command window stops opening). Each asked
// range is sent as R2Ts of at most MaxBurstLength, at most
// MaxOutstandingR2T outstanding (one while memory is short), R2TSN counting
// per command from 0, each Data-Out sequence's DataSN from 0 (RFC 7143
// 11.8, 11.7.4); every Data-Out PDU lands at its Buffer Offset in the
// task's buffer. The request is answered true once the range is complete,
// false when the task is aborted, the connection ends, the data is bad, or
// it made no progress within limits.dataOutTimeout.
#include <caf/all.hpp>

#include "actors/common/log.hpp"
#include "plugins/port/iscsi/connection.hpp"

namespace stmfd::iscsi {

namespace {

// Whether a Data-Out PDU breaks the sequence it belongs to (its next
// DataSN, the next byte offset, the end of the burst). If it does, the
// command ends in ABORTED COMMAND 4Bh/00h DATA PHASE ERROR (SPC-4 D.2).
// final_ends_burst: F=1 must come with the burst's last byte (an R2T's
// burst); unsolicited data may end early with F=1 (the LU asks for the rest).
bool data_out_breaks_sequence(bhs_view h, uint32_t data_sn, uint32_t next, uint32_t burst_end, bool final_ends_burst) {
  uint64_t end = uint64_t(h.buffer_offset()) + h.data_segment_length();
  return h.buffer_offset() != next || end > burst_end || h.data_sn() != data_sn ||
         (final_ends_burst && h.final_bit() && end != burst_end);
}

}  // namespace

uint32_t connection::new_ttt() {
  uint32_t ttt = next_ttt_++;
  if (next_ttt_ == reserved_tag) next_ttt_ = 1;
  return ttt;
}

caf::result<xfer_atom, task_ptr> connection::on_xfer(task_ptr& t) {
  auto failed = [&t] {
    complete_transfer(*t, wire::TransferStatus::TRANSPORT_FAILED, 0);
    return caf::result<xfer_atom, task_ptr>(xfer_atom::value, t);
  };
  if (!t) return caf::result<xfer_atom, task_ptr>(caf::sec::invalid_argument);
  const auto req = transfer_request(*t);
  const uint32_t offset = req.getBufferOffset(), length = req.getLength();
  if (phase_ != phase::full_feature) return failed();  // the connection is going away
  uint32_t itt = t->task.getTaskTag();
  auto it = tasks_.find(itt);
  if (it == tasks_.end() || it->second.ctx != t || t->aborted.load(std::memory_order_acquire)) return failed();
  task_entry& e = it->second;
  uint64_t end = uint64_t(offset) + length;
  if (!e.is_write || !e.dispatched || e.xfer_open || e.ended_with || e.busy || end > e.expected_length) {
    log::warn("{}: framework asked for Data-Out [{}, {}) of ITT {:#x} that cannot be served", peer_, offset, end, itt);
    return failed();
  }
  if (length == 0) {
    complete_transfer(*t, wire::TransferStatus::OK, 0);
    return caf::result<xfer_atom, task_ptr>(xfer_atom::value, t);
  }
  e.xfer_open = true;
  e.xfer_rp = make_response_promise();
  e.xfer_length = length;
  e.xfer_next = offset;
  e.xfer_end = uint32_t(end);
  e.xfer_missing = length;
  e.progress = clock::now();
  // The buffer for the data is taken now, as it is solicited: with none,
  // no R2T goes out and the request waits in order with the other commands
  // short of memory (R2T pacing, conn_memory.cpp).
  if (!mem_waiting_.empty() || !grow_buffer(e))
    wait_for_memory(itt, e);
  else
    send_r2ts(itt, e);
  return caf::delegated<xfer_atom, task_ptr>{};
}

void connection::send_r2ts(uint32_t itt, task_entry& e) {
  uint32_t limit = memory_short() ? 1 : std::max<uint32_t>(1, params_.max_outstanding_r2t);
  while (e.xfer_open && e.r2ts.size() < limit && e.xfer_next < e.xfer_end) {
    uint32_t len = std::min(params_.max_burst_length, e.xfer_end - e.xfer_next);
    task_entry::burst b{new_ttt(), e.xfer_next + len, e.xfer_next, 0};
    uint8_t bhs[bhs_len];
    build::r2t(bhs, {e.lun_field, itt, b.ttt, e.r2t_sn++, e.xfer_next, len, next_sn(false)});
    e.xfer_next += len;
    e.r2ts.push_back(b);
    e.progress = clock::now();
    send_pdu(bhs, nullptr, 0);
  }
}

void connection::end_xfer(task_entry& e, bool ok) {
  e.r2ts.clear();
  answer_xfer(e, ok);
}

void connection::answer_xfer(task_entry& e, bool ok) {
  if (!e.xfer_open) return;
  e.xfer_open = false;
  complete_transfer(*e.ctx, ok ? wire::TransferStatus::OK : wire::TransferStatus::TRANSPORT_FAILED,
                    ok ? e.xfer_length : 0);
  e.xfer_rp.deliver(xfer_atom::value, e.ctx);
}

void connection::end_all_xfers() {
  for (auto& [itt, e] : tasks_) end_xfer(e, false);
}

void connection::on_data_out(bhs_view h, const uint8_t* data, uint32_t dlen) {
  auto it = tasks_.find(h.itt());
  if (it == tasks_.end() || !it->second.is_write) {
    // For a task that is gone (finished, aborted) or never existed:
    // discarded (RFC 7143 11.5.1, 7.1.2).
    log::debug("{}: Data-Out for ITT {:#x} with no task waiting for it, discarded", peer_, h.itt());
    return;
  }
  if (it->second.ended_with) {  // ended here (conn_digest.cpp): discarded, its F bit counted
    drain_data_out(it, h);
    return;
  }
  if (h.ttt() == reserved_tag) {
    on_unsolicited_data(it, h, data, dlen);
    return;
  }
  task_entry& e = it->second;
  auto b = std::find_if(e.r2ts.begin(), e.r2ts.end(), [&](const task_entry::burst& x) { return x.ttt == h.ttt(); });
  if (b == e.r2ts.end()) {
    // No outstanding R2T carries this TTT: data nobody asked for. The PDU
    // is refused; the task itself is not harmed (RFC 7143 11.17.1).
    send_reject(h.data(), reject_reason::invalid_pdu_field);
    return;
  }
  uint32_t offset = h.buffer_offset();
  if (data_out_breaks_sequence(h, b->data_sn, b->next, b->end, true)) {
    // Out of order, short or beyond the burst at ERL 0: a protocol error
    // (RFC 7143 7.1.2, 11.7.5). The task cannot complete correctly any
    // more: the Reject names the PDU, the framework hears false (nothing
    // reaches the medium) and the command ends in CHECK CONDITION.
    log::warn("{}: bad Data-Out (DataSN {} want {}, offset {} want {}, len {}, burst end {})", peer_, h.data_sn(),
              b->data_sn, offset, b->next, dlen, b->end);
    send_reject(h.data(), reject_reason::protocol_error);
    end_data_out(it, scsi::sense::command_aborted_data_phase_error());
    return;
  }
  std::memcpy(e.ctx->data.data + offset, data, dlen);
  b->next += dlen;
  ++b->data_sn;
  e.xfer_missing -= dlen;
  e.progress = clock::now();
  if (b->next == b->end) e.r2ts.erase(b);
  if (e.xfer_missing == 0) {
    end_xfer(e, true);
    return;
  }
  send_r2ts(h.itt(), e);
}

void connection::on_unsolicited_data(task_iter it, bhs_view h, const uint8_t* data, uint32_t dlen) {
  task_entry& e = it->second;
  if (e.dispatched || !e.unsolicited_open) {
    send_reject(h.data(), reject_reason::invalid_pdu_field);  // beyond the first burst: nobody asked for it
    return;
  }
  uint32_t offset = h.buffer_offset();
  if (data_out_breaks_sequence(h, e.expected_data_sn, e.received, e.unsolicited_end, false)) {
    log::warn("{}: bad unsolicited Data-Out (DataSN {} want {}, offset {} want {}, len {})", peer_, h.data_sn(),
              e.expected_data_sn, offset, e.received, dlen);
    send_reject(h.data(), reject_reason::protocol_error);
    end_data_out(it, scsi::sense::command_aborted_data_phase_error());  // never posted: answered now
    return;
  }
  std::memcpy(e.ctx->data.data + offset, data, dlen);
  e.received += dlen;
  ++e.expected_data_sn;
  e.progress = clock::now();
  if (h.final_bit() || e.received >= e.unsolicited_end) {
    e.unsolicited_open = false;
    dispatch(h.itt(), e);  // the first burst is in: post the task
  }
}

// SAM-5 5.3 / SPC-4: a WRITE whose Data-Out stops coming on a live session
// ends with CHECK CONDITION, ABORTED COMMAND, 4Bh/06h INITIATOR RESPONSE
// TIMEOUT. ABORTED COMMAND tells the initiator the command may be retried
// as it is; the ASC names the cause (the one SAS uses when write data does
// not arrive), and nothing of the command reached the medium: a posted task
// is answered false, so the LU ends it untouched, and the status goes out
// when the LU lets go of it (on_task_done); a first burst that never
// completes is answered here (the task was never posted). Late Data-Out for
// it is discarded (on_data_out).
void connection::check_data_out_timeouts() {
  auto limit = std::chrono::seconds(port_->settings.data_out_timeout_s);
  auto now = clock::now();
  for (auto it = tasks_.begin(); it != tasks_.end();) {
    task_entry& e = it->second;
    if (e.ended_with && data_owed(e) && now - e.progress >= limit) {
      // Ended by a digest error, and the Data-Out it still owes stopped
      // coming: the status waits no longer (conn_digest.cpp).
      log::warn("{}: the rest of ITT {:#x}'s Data-Out did not come within {}s", peer_, it->first, limit.count());
      e.r2ts.clear();
      e.unsolicited_open = false;
      auto next = std::next(it);
      finish_if_drained(it);
      it = next;
      continue;
    }
    // A request waiting for buffer memory is the target's delay, not the
    // initiator's: it ends by busy_after instead (conn_memory.cpp).
    bool stalled = e.is_write && !e.ended_with && !e.waiting_memory && (e.xfer_open || e.unsolicited_open) &&
                   now - e.progress >= limit;
    if (!stalled) {
      ++it;
      continue;
    }
    log::warn("{}: no Data-Out for ITT {:#x} within {}s, the command ends", peer_, it->first, limit.count());
    auto next = std::next(it);
    end_data_out(it, scsi::sense::command_aborted_initiator_response_timeout());
    it = next;
  }
}

void connection::end_data_out(task_iter it, scsi::sense_code code) {
  task_entry& e = it->second;
  if (e.dispatched) {  // the LU holds it: it ends untouched, and on_task_done answers
    e.ended_with = code;
    end_xfer(e, false);
    return;
  }
  uint32_t itt = it->first;
  task_entry done = take_task(it);
  send_check_condition(itt, done.lun_field, done.expected_length, done.is_read, code);
}

}  // namespace stmfd::iscsi
