// The login phase of a connection (RFC 7143 6): Login Requests go through the
// pure negotiator; when it completes, STMF registers the session (TSIH, nexus
// id, the session's view of LUNs, reinstatement of an older session with the
// same ISID) before the final Login Response is sent.
#include <caf/all.hpp>

#include "actors/common/log.hpp"
#include "actors/common/messages.hpp"
#include "plugins/port/iscsi/connection.hpp"
#include "plugins/port/iscsi/login/request.hpp"

namespace stmfd::iscsi {

void connection::on_login_request(bhs_view h, const uint8_t* data, uint32_t dlen) {
  if (login_pending_stmf_) {
    close("login request while the previous one is pending");
    return;
  }
  if (!login_started_) {
    login_started_ = true;
    std::memcpy(isid_, h.isid(), 6);
    cid_ = h.login_cid();
    stat_sn_ = h.exp_stat_sn();
  }
  exp_cmd_sn_ = h.cmd_sn();  // Login is immediate; the first FFP CmdSN equals it (RFC 7143 11.12.6)
  max_cmd_sn_ = exp_cmd_sn_ + port_->settings.cmd_window - 1;  // nothing is outstanding yet
  uint32_t itt = h.itt();

  if (h.tsih() != 0) {
    // Adding a connection to an existing session needs MaxConnections > 1,
    // which we do not negotiate: "session does not exist" (11.13.5).
    uint8_t bhs[bhs_len];
    build::login_response(bhs, {false, false, h.csg(), h.nsg(), 0, 0, isid_, 0, itt, 0x02, 0x0a, next_sn(true)});
    send_pdu(bhs, nullptr, 0);
    close_after_send_ = true;
    return;
  }

  login::login_response resp = negotiator_->on_request(login::decode_request(h, data, dlen));

  if (resp.close || resp.status_class != 0) {
    log::warn("login failed: {} from {} (status {:#x})", negotiator_->params().initiator_name, peer_,
              unsigned(resp.status_class) << 8 | resp.status_detail);
    uint8_t bhs[bhs_len];
    build::login_response(bhs, {false, false, resp.csg, resp.nsg, 0, 0, isid_, 0, itt, resp.status_class,
                                resp.status_detail, next_sn(true)});
    send_owned(bhs, std::move(resp.data));
    close_after_send_ = true;
    return;
  }
  if (!resp.complete) {
    uint8_t bhs[bhs_len];
    build::login_response(bhs, {resp.transit, false, resp.csg, resp.nsg, 0, 0, isid_, 0, itt, 0, 0, next_sn(true)});
    send_owned(bhs, std::move(resp.data));
    return;
  }

  // Negotiation is complete. A discovery session is no I_T nexus (RFC 7143
  // 4.3): it goes straight to the full feature phase. A normal session is
  // registered with STMF, which answers with its nexus and LUN inventory.
  params_ = negotiator_->params();
  auto text = std::make_shared<std::vector<uint8_t>>(std::move(resp.data));
  uint8_t csg = resp.csg, nsg = resp.nsg;
  auto accept = [this, itt, text, csg, nsg] {
    tsih_ = port_->allocate_tsih();
    login_time_ns_ = uint64_t(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count());
    uint8_t bhs[bhs_len];
    build::login_response(bhs, {true, false, csg, nsg, 0, 0, isid_, tsih_, itt, 0, 0, next_sn(true)});
    send_owned(bhs, std::move(*text));
    phase_ = phase::full_feature;
    // No longer counts against limits.maxLoggingIn.
    if (auto p = caf::actor_cast<caf::actor>(port_actor_)) send(p, logged_in_atom::value);
    log::info("login: {} -> {} from {} (tsih {}, {}{}{})", params_.initiator_name,
              params_.discovery ? std::string("discovery") : params_.target_name, peer_, tsih_,
              params_.header_digest ? "header digest, " : "", params_.data_digest ? "data digest, " : "",
              params_.discovery ? "discovery session" : "normal session");
  };
  if (params_.discovery) {
    accept();
    return;
  }
  const local_port* lp = nullptr;
  for (auto& p : *local_ports_)
    if (p.target_name == params_.target_name) lp = &p;
  // The framework's NexusRequest, by handle to STMF (RFC 7143 4.2.7: the
  // initiator port name is the initiator name, ",i,0x" and the ISID).
  auto req_n = make_nexus_request(
      remote_port{transport::iscsi, params_.initiator_name, params_.initiator_name + ",i,0x" + isid_hex(isid_)},
      lp ? lp->relative_port_id : 0, port_->settings.cmd_window);
  login_pending_stmf_ = true;
  request(stmf_, std::chrono::seconds(10), login_atom::value, std::move(req_n))
      .then(
          [this, accept](const nexus_grant& g) {
            login_pending_stmf_ = false;
            if (phase_ == phase::closing) {  // gone meanwhile: the nexus must not linger
              send(stmf_, logout_atom::value, make_detach(g.msg.get().getNexus()));
              return;
            }
            session_.open(g);
            accept();
            parse_input();  // PDUs that arrived behind the last Login Request
            post_recv();
          },
          [this, itt](caf::error& err) {
            login_pending_stmf_ = false;
            log::error("login: STMF refused {}: {}", params_.initiator_name, to_string(err));
            uint8_t bhs[bhs_len];
            build::login_response(bhs, {false, false, 1, 1, 0, 0, isid_, 0, itt, 0x03, 0x00, next_sn(true)});
            send_pdu(bhs, nullptr, 0);
            close_after_send_ = true;
          });
}

}  // namespace stmfd::iscsi
