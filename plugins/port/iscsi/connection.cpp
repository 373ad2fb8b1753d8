#include "plugins/port/iscsi/connection.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <caf/all.hpp>

#include "actors/common/faults.hpp"
#include "actors/common/log.hpp"
#include "wire/crc32c.hpp"

namespace stmfd::iscsi {

namespace {
constexpr uint64_t cookie_recv = 1;
constexpr uint64_t cookie_send = 2;
}  // namespace

connection::connection(caf::actor_config& cfg, int fd, std::shared_ptr<io::ring> ring, caf::actor stmf,
                       std::shared_ptr<const port_context> port,
                       std::shared_ptr<const std::vector<local_port>> local_ports, std::string peer,
                       caf::actor_addr port_actor, std::string portal)
    : caf::event_based_actor(cfg),
      fd_(fd),
      ring_(std::move(ring)),
      stmf_(std::move(stmf)),
      port_(std::move(port)),
      local_ports_(std::move(local_ports)),
      peer_(std::move(peer)),
      port_actor_(std::move(port_actor)),
      portal_(std::move(portal)) {
  negotiator_ = std::make_unique<login::negotiator>(port_->directory, port_->settings.limits);
  negotiator_->set_portal(portal_);
}

connection::~connection() {
  if (fd_ >= 0) ::close(fd_);
}

caf::behavior connection::make_behavior() {
  set_down_handler([this](caf::down_msg& m) { on_down(m); });
  set_exit_handler([this](caf::exit_msg& m) {
    // Linked to the port provider: it going down (or STMF reinstating this
    // session) takes this connection down with it.
    close("exit requested");
    quit(m.reason);
  });
  post_recv();
  // The port actor ticks every connection each second (a timer of our own
  // would keep this actor, and its memory, alive up to a second after it
  // ended); tests without a port actor send the ticks themselves.
  return {
      [this](const io::completion& c) { on_io(c); },
      [this](done_atom, task_ptr t) { on_task_done(std::move(t)); },
      [this](xfer_atom, task_ptr& t) { return on_xfer(t); },
      [this](tick_atom) { on_tick(); },
      [this](retry_atom) { retry_memory(); },
      [this](lu_update_atom, const lu_event& e, const caf::actor& lu) { session_.on_lu_update(e, lu); },
      [this](luns_atom, const nexus_grant& g) { session_.set_luns(g); },
      [this](shutdown_atom) { close("target shutting down"); },
      [this](cold_reset_atom, const std::string& target) { on_cold_reset(target); },
      [this](reconfigure_atom, const std::string& target) { on_target_gone(target); },
      [this](get_atom, session_detail_atom) { return detail(); },
      [this](session_logout_atom) { request_logout("administrator request"); },
      [this](get_atom, stats_atom) { return stats(); },
  };
}

void connection::on_exit() {
  if (phase_ != phase::closing) {
    // Ended by a failure (or a kill), not by close(): drop the connection
    // so the initiator sees it and the ring lets go of this actor.
    log::warn("{}: session failed: {}", peer_, to_string(fail_state()));
    phase_ = phase::closing;
    ::shutdown(fd_, SHUT_RDWR);
    ring_->cancel_fd(fd_);
  }
  // Whatever ended this session, the nexus ends with it: STMF forgets it
  // and its task actors go. Tasks still at an LU finish there.
  session_.close(stmf_);
  // With no request in flight nothing reads or writes the buffers any more:
  // give them back now rather than when the last reference (a timer, the
  // ring) lets the object go.
  if (!rx_posted_ && !tx_posted_) release_buffers();
}

void connection::release_buffers() {
  rx_.release();
  tx_queue_.clear();
  tx_inflight_.clear();
  tx_bytes_ = 0;
  end_all_xfers();
  tasks_.clear();
  session_buffers_ = 0;
  immediate_tasks_ = 0;
  mem_waiting_.clear();
  queued_cmds_.clear();
  queued_bytes_ = 0;
  io::buffer_pool::global().release(echo_);
}

void connection::post_recv() {
  if (rx_posted_ || phase_ == phase::closing || receive_paused()) return;
  if (rx_.empty() && rx_.large() && rx_quiet_ >= rx_quiet_to_shrink) rx_.shrink();  // the burst is over
  if (rx_filled_ && !rx_.large() && phase_ == phase::full_feature)
    (void)rx_.fit(rx_buffer::burst_bytes);  // a burst filled 16 KiB: batch more per recv if the pool allows
  rx_.compact(4096);
  size_t room = rx_.room();
  if (room == 0) {  // parse_input always leaves room for the PDU in progress
    close("receive buffer overflow");
    return;
  }
  rx_posted_ = true;
  rx_posted_room_ = uint32_t(room);
  ring_->recv(fd_, rx_.tail(), rx_posted_room_, caf::actor_cast<caf::actor>(this), cookie_recv);
}

void connection::on_io(const io::completion& c) {
  if (c.cookie == cookie_send) {
    on_sent(c.result);
    return;
  }
  rx_posted_ = false;
  if (phase_ == phase::closing) {
    if (!tx_posted_) quit();
    return;
  }
  if (c.result <= 0) {
    close(c.result == 0 ? "peer closed the connection" : "receive error");
    return;
  }
  if (faults::hit(faults::point::conn_socket)) {
    // A network reset as the initiator sees it: linger 0 makes the final
    // close send RST; shutdown ends the receive we post next at once.
    linger lg{1, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    ::shutdown(fd_, SHUT_RDWR);
    log::warn("{}: fault injected: conn.socket reset", peer_);
  }
  rx_filled_ = uint32_t(c.result) == rx_posted_room_;
  rx_.produced(size_t(c.result));
  activity_ = true;
  idle_s_ = 0;
  rx_needed_large_ = false;
  parse_input();
  rx_quiet_ = rx_filled_ || rx_needed_large_ ? 0 : rx_quiet_ + 1;
  post_recv();
}

// Frames complete PDUs out of the receive buffer (RFC 7143 11.1: BHS, AHS,
// header digest, padded data segment, data digest) and hands each one over.
// It stops while the send backlog is over its limit (the rest waits in the
// buffer, and no receive is posted: TCP slows the initiator), and when a PDU
// needs a buffer the pool cannot give yet.
void connection::parse_input() {
  if (parsing_) return;
  parsing_ = true;
  while (phase_ != phase::closing && !login_pending_stmf_ && !logout_pending_ && !pdu_held_ && !backlog_full()) {
    size_t avail = rx_.size();
    if (avail < bhs_len) break;
    const uint8_t* p = rx_.data();
    bhs_view h(p);
    uint32_t ahs = h.ahs_bytes();
    uint32_t dlen = h.data_segment_length();
    uint32_t hd = params_.header_digest && phase_ == phase::full_feature ? 4 : 0;
    uint32_t dd = params_.data_digest && phase_ == phase::full_feature && dlen > 0 ? 4 : 0;
    // RFC 7143 13.12: the login phase uses the default 8192 bytes.
    uint32_t limit = phase_ == phase::login ? 8192u : params_.target_mrdsl;
    if (dlen > limit) {
      // The initiator broke our MaxRecvDataSegmentLength: no safe way to
      // resynchronise at ERL 0 (RFC 7143 7.12).
      log::warn("{}: data segment of {} bytes exceeds {}", peer_, dlen, limit);
      close("oversized data segment");
      break;
    }
    size_t total = bhs_len + ahs + hd + pad4(dlen) + dd;
    if (total > rx_buffer::small_bytes) rx_needed_large_ = true;
    if (avail < total) {
      if (!rx_.fit(total)) {  // no pool buffer for a large PDU yet: stop receiving until there is one
        rx_waiting_memory_ = true;
        schedule_retry();
      }
      break;
    }
    if (hd) {
      uint32_t want = wire::crc32c(p, bhs_len + ahs);
      if (want != wire::get_digest(p + bhs_len + ahs)) {
        // Header digest error: the PDU's framing cannot be trusted (RFC 7143 7.8).
        close("header digest error");
        break;
      }
    }
    const uint8_t* data = p + bhs_len + ahs + hd;
    if (dd) {
      uint32_t want = wire::crc32c(data, pad4(dlen));
      if (want != wire::get_digest(data + pad4(dlen))) {
        // Data digest error (RFC 7143 7.8, 11.17.1): the PDU is discarded
        // with a Reject; a Data-Out's task ends (conn_digest.cpp).
        send_reject(p, reject_reason::data_digest_error);
        if (h.op() == opcode::data_out) on_data_out_digest_error(h);
        rx_.consume(total);
        continue;
      }
    }
    pdu_result r = handle_pdu(p, data, dlen);
    if (r == pdu_result::hold) {  // stays in the buffer; retry_memory comes back to it
      pdu_held_ = true;
      schedule_retry();
      break;
    }
    rx_.consume(total);
    if (r == pdu_result::closed) break;
  }
  parsing_ = false;
}

connection::pdu_result connection::handle_pdu(const uint8_t* hdr, const uint8_t* data, uint32_t dlen) {
  bhs_view h(hdr);
  if (phase_ == phase::login) {
    if (h.op() != opcode::login_request) {
      // RFC 7143 6.2: only Login Requests before the full feature phase.
      log::warn("{}: opcode {:#x} during login", peer_, unsigned(h.op()));
      close("non-login PDU during login");
      return pdu_result::closed;
    }
    on_login_request(h, data, dlen);
    return phase_ == phase::closing ? pdu_result::closed : pdu_result::done;
  }
  bool numbered = false;
  switch (h.op()) {
    case opcode::scsi_command:
    case opcode::nop_out:
    case opcode::text_request:
    case opcode::logout_request:
    case opcode::task_mgmt_request:
      // Non-immediate commands are numbered (RFC 7143 4.2.2.1): one out of
      // order is held for its turn or dropped here.
      numbered = !h.immediate();
      if (numbered && !accept_cmd_sn(h, hdr, data, dlen)) return pdu_result::done;
      break;
    default: break;
  }
  if (!prepare(h, dlen)) return pdu_result::hold;  // before ExpCmdSN moves: it runs again as it is
  if (numbered) ++exp_cmd_sn_;
  switch (h.op()) {
    case opcode::scsi_command:
      if (h.immediate() && !admit_immediate()) {
        // RFC 7143 11.17.1 reason 0x06: an immediate command skips the
        // command window, so it is refused at the iSCSI layer when the
        // session is at its command limit (it never entered the task set,
        // so no SCSI status applies). One immediate command is always
        // taken (RFC 7143 4.2.2.1 "at least one ... per connection").
        send_reject(hdr, reject_reason::immediate_command_rejected);
        break;
      }
      on_scsi_command(h, data, dlen);
      break;
    case opcode::data_out: on_data_out(h, data, dlen); break;
    case opcode::nop_out: on_nop_out(h, data, dlen); break;
    case opcode::text_request: on_text(h, data, dlen); break;
    case opcode::logout_request: on_logout(h); break;
    case opcode::task_mgmt_request: on_task_mgmt(h); break;
    case opcode::login_request: send_reject(hdr, reject_reason::protocol_error); break;
    case opcode::snack_request:
      // ERL 0: SNACK is not supported (RFC 7143 11.16).
      send_reject(hdr, reject_reason::command_not_supported);
      break;
    default: send_reject(hdr, reject_reason::command_not_supported); break;
  }
  run_queued_commands();
  return phase_ == phase::closing ? pdu_result::closed : pdu_result::done;
}

void connection::close(const char* why) {
  if (phase_ == phase::closing) return;
  if (phase_ == phase::full_feature) {
    log::info("logout: {} -> {} from {} ({})", params_.initiator_name,
              params_.discovery ? std::string("discovery") : params_.target_name, peer_, why);
    session_.close(stmf_);
  } else {
    log::debug("{}: connection closed ({})", peer_, why);
  }
  phase_ = phase::closing;
  end_all_xfers();  // the LUs end those tasks untouched
  tasks_.clear();
  session_buffers_ = 0;
  immediate_tasks_ = 0;
  mem_waiting_.clear();
  // Wake the pending recv/send so their completions release this actor.
  ::shutdown(fd_, SHUT_RDWR);
  ring_->cancel_fd(fd_);
  if (!rx_posted_ && !tx_posted_) quit();
}

}  // namespace stmfd::iscsi
