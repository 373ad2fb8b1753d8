// Control PDUs of the full feature phase: NOP-Out/NOP-In (including the
// target's own liveness pings), Text (SendTargets), Logout, Task Management
// and Reject (RFC 7143 11.5, 11.10, 11.14, 11.17, 11.18).
#include <caf/all.hpp>

#include "actors/common/log.hpp"
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
  uint8_t bhs[bhs_len];
  build::nop_in(bhs, h.lun_field(), h.itt(), reserved_tag, next_sn(true));
  uint32_t n = std::min(dlen, params_.initiator_mrdsl);
  send_owned(bhs, std::vector<uint8_t>(data, data + n));
}

void connection::on_text(bhs_view h, const uint8_t* data, uint32_t dlen) {
  auto parsed = parse_text(data, dlen);
  std::vector<uint8_t> out;
  if (!parsed.ok) {
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
  if (out.size() > params_.initiator_mrdsl) out.resize(params_.initiator_mrdsl);
  uint8_t bhs[bhs_len];
  build::text_response(bhs, h.itt(), reserved_tag, true, false, next_sn(true));
  send_owned(bhs, std::move(out));
}

void connection::on_logout(bhs_view h) {
  uint8_t reason = h.logout_reason();
  uint8_t response = 0;
  if (reason == 2) response = 2;  // connection recovery: not supported at ERL 0
  uint8_t bhs[bhs_len];
  build::logout_response(bhs, h.itt(), response, uint16_t(params_.default_time2wait),
                         uint16_t(params_.default_time2retain), next_sn(true));
  send_pdu(bhs, nullptr, 0);
  if (response == 0) close_after_send_ = true;
}

void connection::abort_tasks(std::optional<uint64_t> lun_field) {
  for (auto it = tasks_.begin(); it != tasks_.end();) {
    if (!lun_field || it->second.lun_field == *lun_field) {
      // Aborted tasks get no response (SAM-5 7.2, TAS=0); a task still at the
      // LU finishes there and its result is dropped.
      it = tasks_.erase(it);
    } else {
      ++it;
    }
  }
}

void connection::on_task_mgmt(bhs_view h) {
  uint8_t fn = h.tmf_function();
  uint8_t response = tmf::complete;
  const lun_entry* lun = find_lun(h.lun_field());
  bool close_after = false;
  switch (fn) {
    case tmf::abort_task: {
      auto it = tasks_.find(h.referenced_tag());
      if (it != tasks_.end() && it->second.lun_field == h.lun_field()) {
        tasks_.erase(it);
      } else if (!sn_le(exp_cmd_sn_, h.ref_cmd_sn())) {
        // 11.5.1: the task was received and is gone (already answered).
        response = tmf::task_not_exist;
      }
      break;
    }
    case tmf::abort_task_set:
    case tmf::clear_task_set:
      abort_tasks(h.lun_field());
      break;
    case tmf::lun_reset:
      if (lun == nullptr) {
        response = tmf::lun_not_exist;
        break;
      }
      abort_tasks(h.lun_field());
      send(lun->lu, tmf_atom::value, tmf_request{fn, nexus_, 0});
      break;
    case tmf::target_warm_reset:
    case tmf::target_cold_reset:
      abort_tasks(std::nullopt);
      for (auto& e : luns_) send(e.lu, tmf_atom::value, tmf_request{fn, nexus_, 0});
      close_after = fn == tmf::target_cold_reset;
      break;
    case tmf::task_reassign:
      response = tmf::reassign_unsupported;
      break;
    default:
      response = tmf::not_supported;
      break;
  }
  log::info("{}: task management function {} -> response {}", peer_, unsigned(fn), unsigned(response));
  uint8_t bhs[bhs_len];
  build::task_mgmt_response(bhs, h.itt(), response, next_sn(true));
  send_pdu(bhs, nullptr, 0);
  if (close_after) close_after_send_ = true;
}

void connection::on_tick() {
  auto& s = port_->settings;
  if (phase_ == phase::login) {
    if (++login_age_s_ > s.login_timeout_s && !login_pending_stmf_) close("login timeout");
    return;
  }
  if (phase_ != phase::full_feature) return;
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
    ping_ttt_ = next_ttt_++;
    if (next_ttt_ == reserved_tag) next_ttt_ = 1;
    ping_age_s_ = 0;
    idle_s_ = 0;
    uint8_t bhs[bhs_len];
    build::nop_in(bhs, 0, reserved_tag, ping_ttt_, next_sn(false));
    send_pdu(bhs, nullptr, 0);
  }
}

}  // namespace stmfd::iscsi
