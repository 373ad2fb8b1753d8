// Buffer memory and the command window of a connection (architecture.md
// "Resources"). Data buffers are taken per command when its first burst
// arrives (immediate / unsolicited data), by the LU when it asks for the
// rest (conn_xfer.cpp charges that buffer here while it is served), and
// for a read when it is dispatched; each is charged to the session
// (limits.sessionBufferMemory) and to the daemon (io::buffer_pool, capped by
// limits.bufferMemory). A read that cannot have its buffer waits, in
// arrival order, and is retried every retry_period; after
// busy_after it ends in BUSY. While memory is short the command window stops
// opening, so the initiator sends no more than it was already granted.
#include <caf/all.hpp>

#include "actors/common/log.hpp"
#include "plugins/port/iscsi/connection.hpp"
#include "wire/scsi/sense.hpp"

namespace stmfd::iscsi {

bool connection::take_buffer(task_entry& e, uint32_t len) {
  uint64_t charge = io::buffer_pool::charge_of(len);
  // A session holding nothing may always take one buffer, so that a
  // command larger than the session limit can still run.
  if (session_buffers_ > 0 && session_buffers_ + charge > port_->settings.session_buffer_bytes) return false;
  io::buffer b = io::buffer_pool::global().acquire(len);
  if (!b) return false;
  e.ctx->data = b;
  e.buffer_bytes = b.capacity;
  session_buffers_ += b.capacity;
  return true;
}

bool connection::grow_buffer(task_entry& e) {
  uint32_t len = e.expected_length;
  if (e.ctx->data && e.ctx->data.capacity >= len) return true;
  uint64_t others = session_buffers_ - e.buffer_bytes;  // the buffer it has now is replaced
  if (others > 0 && others + io::buffer_pool::charge_of(len) > port_->settings.session_buffer_bytes) return false;
  if (!e.ctx->grow_data(len, e.xfer_next)) return false;  // keeps the first burst, before the asked range
  e.buffer_bytes = e.ctx->data.capacity;
  session_buffers_ = others + e.buffer_bytes;
  return true;
}

connection::task_iter connection::forget_task(task_iter it) {
  task_entry& e = it->second;
  end_xfer(e, false);  // a framework request still open for it: the task ends untouched
  session_buffers_ -= e.buffer_bytes;
  if (e.immediate) --immediate_tasks_;
  // A waiting entry's ITT stays in mem_waiting_; retry_memory skips it.
  return tasks_.erase(it);
}

connection::task_entry connection::take_task(task_iter it) {
  end_xfer(it->second, false);
  task_entry e = std::move(it->second);  // buffer_bytes and immediate stay readable for forget_task
  forget_task(it);
  return e;
}

void connection::wait_for_memory(uint32_t itt, task_entry& e) {
  e.waiting_memory = true;
  e.wait_since = clock::now();
  mem_waiting_.push_back(itt);
  schedule_retry();
}

void connection::schedule_retry() {
  if (retry_scheduled_ || phase_ == phase::closing) return;
  retry_scheduled_ = true;
  delayed_send(this, retry_period, retry_atom::value);
}

void connection::retry_memory() {
  retry_scheduled_ = false;
  if (phase_ != phase::full_feature) return;
  auto now = clock::now();
  while (!mem_waiting_.empty()) {
    uint32_t itt = mem_waiting_.front();
    auto it = tasks_.find(itt);
    if (it == tasks_.end() || !it->second.waiting_memory) {  // aborted, or answered meanwhile
      mem_waiting_.pop_front();
      continue;
    }
    task_entry& e = it->second;
    if (e.xfer_open ? grow_buffer(e) : take_buffer(e, e.expected_length)) {
      mem_waiting_.pop_front();
      e.waiting_memory = false;
      if (e.xfer_open) {  // a write's data may be solicited now
        e.progress = now;
        send_r2ts(itt, e);
      } else {
        advance(itt, e);
      }
      continue;
    }
    if (now - e.wait_since < busy_after) break;
    // Waited too long: SAM-5 BUSY, the initiator retries the command. It
    // never got an R2T, so no data of it is on its way.
    mem_waiting_.pop_front();
    log::warn("{}: no buffer memory for {} bytes within {}s, BUSY", peer_, e.expected_length, busy_after.count());
    if (e.xfer_open) {  // posted: the LU ends it untouched, then BUSY goes out (on_task_done)
      e.waiting_memory = false;
      e.busy = true;
      end_xfer(e, false);
      continue;
    }
    task_entry done = take_task(it);
    send_result(
        {itt, done.lun_field, done.expected_length, done.is_read, scsi::status::busy, nullptr, 0, nullptr, 0, false},
        nullptr);
  }
  if (pdu_held_ || rx_waiting_memory_) {
    pdu_held_ = false;
    rx_waiting_memory_ = false;
    run_queued_commands();
    parse_input();
    post_recv();
  }
  if (window_closed_ && phase_ == phase::full_feature) {
    open_window();
    if (!window_closed_) {
      // RFC 7143 11.19: a NOP-In with ITT and TTT reserved needs no answer;
      // it tells an initiator with nothing outstanding that the window is open.
      uint8_t bhs[bhs_len];
      build::nop_in(bhs, 0, reserved_tag, reserved_tag, next_sn(false));
      send_pdu(bhs, nullptr, 0);
    }
  }
  if (!mem_waiting_.empty() || pdu_held_ || rx_waiting_memory_ || (window_closed_ && memory_short())) schedule_retry();
}

bool connection::memory_short() const {
  auto& pool = io::buffer_pool::global();
  uint64_t low_water = std::min<uint64_t>(params_.max_burst_length, pool.cap() / 8);
  return !mem_waiting_.empty() || pdu_held_ || rx_waiting_memory_ ||
         session_buffers_ >= port_->settings.session_buffer_bytes || pool.available() < low_water;
}

uint32_t connection::granted_unused() const { return max_cmd_sn_ - exp_cmd_sn_ + 1; }

void connection::open_window() {
  uint32_t limit = port_->settings.cmd_window;
  uint32_t in_progress = uint32_t(tasks_.size());
  uint32_t admit = in_progress < limit && !memory_short() ? limit - in_progress : 0;
  uint32_t candidate = exp_cmd_sn_ - 1 + admit;
  if (sn_lt(max_cmd_sn_, candidate)) max_cmd_sn_ = candidate;  // MaxCmdSN never decreases
  window_closed_ = granted_unused() == 0;
  if (window_closed_ && memory_short()) schedule_retry();  // reopen (and announce) once memory returns
}

bool connection::admit_immediate() const {
  return immediate_tasks_ == 0 || tasks_.size() + granted_unused() < port_->settings.cmd_window;
}

uint8_t connection::no_memory_status() const {
  return tasks_.empty() ? scsi::status::busy : scsi::status::task_set_full;
}

connection_stats connection::stats() const {
  connection_stats s;
  s.rx_capacity = rx_.capacity();
  s.tx_backlog = tx_bytes_;
  s.session_buffers = session_buffers_;
  s.tasks = uint32_t(tasks_.size());
  for (auto& [itt, e] : tasks_) s.waiting_memory += e.waiting_memory ? 1 : 0;
  s.exp_cmd_sn = exp_cmd_sn_;
  s.max_cmd_sn = max_cmd_sn_;
  s.receiving = rx_posted_;
  s.full_feature = phase_ == phase::full_feature;
  return s;
}

}  // namespace stmfd::iscsi
