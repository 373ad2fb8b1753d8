// Control PDUs of the full feature phase: NOP-Out/NOP-In (including the
// target's own liveness pings), Text (SendTargets), Logout, Task Management
// and Reject (RFC 7143 11.5, 11.10, 11.14, 11.17, 11.18).
#include <caf/all.hpp>

#include "actors/common/log.hpp"
#include "actors/common/messages.hpp"
#include "plugins/port/iscsi/connection.hpp"
#include "wire/iscsi/text_keys.hpp"

namespace stmfd::iscsi {

void connection::send_reject(const uint8_t* hdr, uint8_t reason) {
  log::warn("{}: reject opcode {:#x} reason {:#x}", peer_, unsigned(hdr[0] & 0x3f), unsigned(reason));
  uint8_t bhs[bhs_len];
  build::reject(bhs, reason, 0, next_sn(true));
  send_owned(bhs, std::vector<uint8_t>(hdr, hdr + bhs_len));
}

void connection::on_nop_out(bhs_view h, const uint8_t* data, uint32_t dlen) {
  if (h.itt() == reserved_tag) {
    // An answer to our ping (TTT echoes it), or a ping needing no answer.
    if (h.ttt() == ping_ttt_) {
      ping_ttt_ = reserved_tag;
      ping_age_s_ = 0;
    }
    return;
  }
  // 11.19: answer with the same ITT, TTT reserved, the ping data echoed.
  // The echo is a pool buffer (prepare() took it) and counts in the send
  // backlog like any response: a peer that pings without reading stops
  // being read once the backlog is full.
  uint8_t bhs[bhs_len];
  build::nop_in(bhs, h.lun_field(), h.itt(), reserved_tag, next_sn(true));
  uint32_t n = std::min(dlen, params_.initiator_mrdsl);
  if (n == 0) {
    send_pdu(bhs, nullptr, 0);
    return;
  }
  std::memcpy(echo_.data, data, n);
  io::buffer echo = echo_;
  echo_ = {};
  send_pooled(bhs, echo, n);
}

bool connection::prepare(bhs_view h, uint32_t dlen) {
  if (h.op() != opcode::nop_out || h.itt() == reserved_tag || dlen == 0 || echo_) return true;
  echo_ = io::buffer_pool::global().acquire(std::min(dlen, params_.initiator_mrdsl));
  return static_cast<bool>(echo_);
}

// RFC 7143 11.10, 11.11. A Text Request with TTT 0xffffffff starts an
// exchange (ending any unfinished one); one with the TTT of our last Text
// Response goes on with it: the next piece of a continued request, or a
// request for the next piece of a long answer. A text in pieces (C=1, which
// needs F=0) is kept (text_assembly, bounded) and each piece answered with
// an empty Text Response, F=0 C=0 and a fresh TTT; the piece with C=0
// completes it and the answer follows.
void connection::on_text(bhs_view h, const uint8_t* data, uint32_t dlen) {
  const bool cont = h.continue_bit();
  if (cont && h.final_bit()) {  // 11.10.2: C=1 MUST have F=0
    text_in_.clear();
    send_reject(h.data(), reject_reason::protocol_error);
    return;
  }
  if (h.ttt() != reserved_tag) {
    const bool same = h.itt() == text_itt_;
    if (same && text_in_.open() && h.ttt() == text_in_ttt_) {
      // the next piece of the request: below
    } else if (same && !text_rest_.empty() && h.ttt() == text_ttt_) {
      send_text_piece(h.itt());
      return;
    } else {
      // 11.10.4: a TTT that continues no exchange of ours is an invalid field.
      send_reject(h.data(), reject_reason::invalid_pdu_field);
      return;
    }
  } else {
    text_rest_.clear();  // a new exchange ends any unfinished one (11.10.4)
    text_ttt_ = reserved_tag;
    text_in_.clear();
    text_itt_ = h.itt();
  }
  switch (text_in_.add(data, dlen, cont)) {
    case text_assembly::step::too_long:
      log::warn("{}: Text Request over {} pieces or {} bytes", peer_, text_assembly::max_pieces,
                text_assembly::max_bytes);
      text_in_ttt_ = reserved_tag;
      send_reject(h.data(), reject_reason::protocol_error);
      return;
    case text_assembly::step::more: {
      text_in_ttt_ = new_ttt();
      uint8_t bhs[bhs_len];
      build::text_response(bhs, h.itt(), text_in_ttt_, false, false, next_sn(true));
      send_pdu(bhs, nullptr, 0);
      return;
    }
    case text_assembly::step::complete: break;
  }
  text_in_ttt_ = reserved_tag;
  std::vector<uint8_t> text = text_in_.text();
  text_in_.clear();
  answer_text(h, text.data(), text.size());
}

void connection::answer_text(bhs_view h, const uint8_t* data, size_t len) {
  const uint32_t itt = h.itt();
  auto parsed = parse_text(data, len);
  std::vector<uint8_t> out;
  if (!parsed.ok) {  // the Reject names the request's last piece
    send_reject(h.data(), reject_reason::protocol_error);
    return;
  }
  for (auto& kv : parsed.pairs) {
    if (kv.key == "SendTargets") {
      auto list = login::send_targets(port_->directory, kv.value, params_.discovery ? nullptr : &params_.target_name);
      out.insert(out.end(), list.begin(), list.end());
    } else {
      // Renegotiation in the full feature phase is not offered.
      append_text(out, kv.key, "Reject");
    }
  }
  text_rest_ = std::move(out);
  text_itt_ = itt;
  send_text_piece(itt);
}

// One Text Response with at most the initiator's MaxRecvDataSegmentLength of
// text_rest_ (RFC 7143 6.1: a key=value pair may span PDUs). While more is
// left, C=1, F=0 and a fresh TTT the initiator echoes for the next piece
// (11.11.1-2); the last piece has F=1 and TTT 0xffffffff.
void connection::send_text_piece(uint32_t itt) {
  size_t n = std::min<size_t>(text_rest_.size(), params_.initiator_mrdsl);
  std::vector<uint8_t> piece(text_rest_.begin(), text_rest_.begin() + ptrdiff_t(n));
  text_rest_.erase(text_rest_.begin(), text_rest_.begin() + ptrdiff_t(n));
  bool more = !text_rest_.empty();
  text_ttt_ = more ? new_ttt() : reserved_tag;
  uint8_t bhs[bhs_len];
  build::text_response(bhs, itt, text_ttt_, !more, more, next_sn(true));
  send_owned(bhs, std::move(piece));
}

// RFC 7143 11.14-11.15. Closing the session (reason 0) or its only
// connection (1: at ERL 0 that ends the session too) ends the I_T nexus, and
// the response says it has ended: an initiator may act on it at once (log
// in again, or let another initiator take over a RESERVE(6) this nexus
// held). So the response waits until STMF confirms every LU processed the
// nexus loss (SAM-5 6.3.4); nothing more is read from this connection
// meanwhile. Removing a connection for recovery (2) is refused at ERL 0.
void connection::on_logout(bhs_view h) {
  uint32_t itt = h.itt();
  if (h.logout_reason() == 2) {
    send_logout_response(itt, 2);
    return;
  }
  logout_pending_ = true;
  session_.close(stmf_, [this, itt] {
    logout_pending_ = false;
    if (phase_ == phase::closing) return;  // the connection failed meanwhile
    send_logout_response(itt, 0);
    close_after_send_ = true;
  });
}

void connection::send_logout_response(uint32_t itt, uint8_t response) {
  uint8_t bhs[bhs_len];
  build::logout_response(bhs, itt, response, uint16_t(params_.default_time2wait),
                         uint16_t(params_.default_time2retain), next_sn(true));
  send_pdu(bhs, nullptr, 0);
}

void connection::abort_tasks(std::optional<uint64_t> lun_field) {
  for (auto it = tasks_.begin(); it != tasks_.end();) {
    if (!lun_field || it->second.lun_field == *lun_field) {
      // SAM-5 5.6, TAS=0: aborted tasks get no response. One still on its
      // way to (or at) the LU is marked, so the LU never lets it touch the
      // medium again; its late completion finds no entry and is dropped.
      if (it->second.dispatched) it->second.ctx->aborted.store(true, std::memory_order_release);
      it = forget_task(it);
    } else {
      ++it;
    }
  }
}

void connection::send_tmf_response(uint32_t itt, uint8_t response, bool close_after) {
  if (phase_ != phase::full_feature) return;
  log::info("{}: task management {:#x} -> response {}", peer_, itt, unsigned(response));
  uint8_t bhs[bhs_len];
  build::task_mgmt_response(bhs, itt, response, next_sn(true));
  send_pdu(bhs, nullptr, 0);
  if (close_after) close_after_send_ = true;
}

// RFC 7143 11.5: the iSCSI function becomes the framework's (SAM-5 7); the
// response goes out only when the LUs report every affected task stopped.
void connection::on_task_mgmt(bhs_view h) {
  using fn_t = wire::TaskManagementFunction;
  uint8_t fn = h.tmf_function();
  uint32_t itt = h.itt();
  uint64_t lun_field = h.lun_field();
  std::optional<fn_t> sam;
  bool close_after = false;
  switch (fn) {
    case tmf::abort_task: {
      auto it = tasks_.find(h.referenced_tag());
      if (it == tasks_.end() || it->second.lun_field != lun_field) {
        uint32_t ref = h.ref_cmd_sn();
        if (sn_le(exp_cmd_sn_, ref) && sn_le(ref, max_cmd_sn_) && !queued_cmds_.count(ref)) {
          // 11.5.1 b): not received yet: it counts as received (and is
          // skipped when its CmdSN comes), and the function is complete.
          queued_cmds_[ref] = {};
          send_tmf_response(itt, tmf::complete, false);
        } else if (queued_cmds_.count(ref)) {
          queued_bytes_ -= queued_cmds_[ref].size();
          queued_cmds_[ref].clear();  // held behind a gap: never runs
          send_tmf_response(itt, tmf::complete, false);
        } else {
          send_tmf_response(itt, tmf::task_not_exist, false);  // already answered
        }
        return;
      }
      // Still collecting Data-Out here (it never reached an LU), or the LU
      // let go of it and its status waits for Data-Out (conn_digest.cpp):
      // complete here (RFC 7143 7.8: the abort concludes the task).
      bool at_lu = it->second.dispatched && !it->second.lu_released;
      if (it->second.dispatched) it->second.ctx->aborted.store(true, std::memory_order_release);
      forget_task(it);
      if (!at_lu) {
        send_tmf_response(itt, tmf::complete, false);
        return;
      }
      sam = fn_t::ABORT_TASK;
      break;
    }
    case tmf::abort_task_set:
      abort_tasks(lun_field);
      sam = fn_t::ABORT_TASK_SET;
      break;
    case tmf::clear_task_set:
      abort_tasks(lun_field);
      sam = fn_t::CLEAR_TASK_SET;
      break;
    case tmf::lun_reset:
      abort_tasks(lun_field);
      sam = fn_t::LOGICAL_UNIT_RESET;
      break;
    case tmf::target_warm_reset:
      abort_tasks(std::nullopt);
      sam = fn_t::TARGET_WARM_RESET;
      break;
    case tmf::target_cold_reset:
      abort_tasks(std::nullopt);
      sam = fn_t::TARGET_COLD_RESET;
      close_after = true;
      break;
    case tmf::task_reassign: send_tmf_response(itt, tmf::reassign_unsupported, false); return;
    default: send_tmf_response(itt, tmf::not_supported, false); return;
  }
  // The framework's TaskManagementRequest, by handle to the session layer
  // (which routes it by the LUN field) and on to the LUs; the one
  // TaskManagementResponse it answers with becomes the iSCSI response.
  auto req = make_tmf_request(*sam, session_.id(), 0, itt, h.referenced_tag());
  session_.task_management(std::move(req), h.lun_field_bytes(), [this, itt, close_after](const tmf_response& r) {
    using result = wire::TaskManagementResult;
    switch (r.get().getResult()) {
      case result::COMPLETE:
        send_tmf_response(itt, tmf::complete, close_after);
        // RFC 7143 11.5.1: a cold reset ends every session of the target,
        // after this response (this connection closes once it is sent).
        if (close_after)
          if (auto p = caf::actor_cast<caf::actor>(port_actor_)) send(p, cold_reset_atom::value, params_.target_name);
        return;
      case result::NO_SUCH_LUN: send_tmf_response(itt, tmf::lun_not_exist, false); return;
      case result::NO_SUCH_TASK: send_tmf_response(itt, tmf::task_not_exist, false); return;
      case result::NOT_SUPPORTED: break;
    }
    send_tmf_response(itt, tmf::not_supported, false);
  });
}

void connection::on_cold_reset(const std::string& target) {
  if (phase_ != phase::full_feature || params_.discovery || target != params_.target_name) return;
  if (close_after_send_) return;  // the connection that answered the reset: closing after the response
  log::info("{}: target cold reset: session ends", peer_);
  close("target cold reset");
}

void connection::on_target_gone(const std::string& target) {
  if (target != params_.target_name) return;
  request_logout("target " + target + " removed or offline");
}

void connection::request_logout(const std::string& why) {
  if (phase_ != phase::full_feature || params_.discovery) return;
  if (logout_deadline_s_ != 0 || close_after_send_) return;
  log::info("{}: {}: asking {} to log out", peer_, why, params_.initiator_name);
  uint8_t bhs[bhs_len];
  build::async_message(bhs, 1, 0, 0, uint16_t(logout_grace_s), next_sn(true));
  send_pdu(bhs, nullptr, 0);
  logout_deadline_s_ = logout_grace_s + 1;
}

void connection::on_tick() {
  auto& s = port_->settings;
  if (logout_deadline_s_ != 0 && --logout_deadline_s_ == 0) {
    close("no logout after the target asked for one");
    return;
  }
  if (phase_ == phase::login) {
    if (++login_age_s_ > s.login_timeout_s && !login_pending_stmf_) close("login timeout");
    return;
  }
  if (phase_ != phase::full_feature) return;
  check_data_out_timeouts();
  if (activity_) {
    activity_ = false;
    idle_s_ = 0;
  } else {
    ++idle_s_;
  }
  if (ping_ttt_ != reserved_tag) {
    if (++ping_age_s_ >= s.nop_timeout_s) {
      log::warn("{}: initiator did not answer NOP-In for {}s", peer_, s.nop_timeout_s);
      close("ping timeout");
    }
    return;
  }
  if (s.nop_interval_s != 0 && idle_s_ >= s.nop_interval_s) {
    // 11.19: a target ping: ITT reserved, TTT ours; StatSN not advanced.
    ping_ttt_ = new_ttt();
    ping_age_s_ = 0;
    idle_s_ = 0;
    uint8_t bhs[bhs_len];
    build::nop_in(bhs, 0, reserved_tag, ping_ttt_, next_sn(false));
    send_pdu(bhs, nullptr, 0);
  }
}

}  // namespace stmfd::iscsi
