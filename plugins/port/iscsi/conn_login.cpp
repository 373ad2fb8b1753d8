// The login phase of a connection (RFC 7143 6): Login Requests go through the
// pure negotiator; when it completes, STMF registers the session (TSIH, nexus
// id, the session's view of LUNs, reinstatement of an older session with the
// same ISID) before the final Login Response is sent.
#include <caf/all.hpp>

#include "actors/common/log.hpp"
#include "plugins/port/iscsi/connection.hpp"

namespace stmfd::iscsi {

namespace {
uint64_t isid_value(const uint8_t* isid) {
  uint64_t v = 0;
  for (int i = 0; i < 6; ++i) v = v << 8 | isid[i];
  return v;
}
}  // namespace

void connection::on_login_request(bhs_view h, const uint8_t* data, uint32_t dlen) {
  if (login_pending_stmf_) {
    close("login request while the previous one is pending");
    return;
  }
  if (!login_started_) {
    login_started_ = true;
    std::memcpy(isid_, h.isid(), 6);
    stat_sn_ = h.exp_stat_sn();
  }
  exp_cmd_sn_ = h.cmd_sn();  // Login is immediate; the first FFP CmdSN equals it (RFC 7143 11.12.6)
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

  login::login_request req;
  req.transit = h.transit();
  req.cont = (h.flags() & 0x40) != 0;
  req.csg = h.csg();
  req.nsg = h.nsg();
  req.version_max = h.version_max();
  req.version_min = h.version_min();
  std::memcpy(req.isid, h.isid(), 6);
  req.tsih = h.tsih();
  req.cid = h.login_cid();
  req.cmd_sn = h.cmd_sn();
  req.exp_stat_sn = h.exp_stat_sn();
  req.data = data;
  req.data_len = dlen;
  login::login_response resp = negotiator_->on_request(req);

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

  // Negotiation is complete: let STMF admit the session.
  params_ = negotiator_->params();
  login_pending_stmf_ = true;
  session_identity who{params_.initiator_name, params_.discovery ? std::string() : params_.target_name,
                       isid_value(isid_), params_.discovery ? 1u : port_->settings.cmd_window};
  auto text = std::make_shared<std::vector<uint8_t>>(std::move(resp.data));
  uint8_t csg = resp.csg, nsg = resp.nsg;
  request(stmf_, std::chrono::seconds(10), login_atom::value, std::move(who))
      .then(
          [this, itt, text, csg, nsg](session_grant& g) {
            login_pending_stmf_ = false;
            if (phase_ == phase::closing) return;
            nexus_ = g.nexus;
            tsih_ = g.tsih;
            luns_ = std::move(g.luns);
            target_ = params_.discovery ? nullptr : port_->directory.port_of(params_.target_name);
            pool_ = std::move(g.tasks);
            uint8_t bhs[bhs_len];
            build::login_response(bhs, {true, false, csg, nsg, 0, 0, isid_, tsih_, itt, 0, 0, next_sn(true)});
            send_owned(bhs, std::move(*text));
            phase_ = phase::full_feature;
            log::info("login: {} -> {} from {} (tsih {}, {}{}{})", params_.initiator_name,
                      params_.discovery ? std::string("discovery") : params_.target_name, peer_, tsih_,
                      params_.header_digest ? "header digest, " : "", params_.data_digest ? "data digest, " : "",
                      params_.discovery ? "discovery session" : "normal session");
            parse_input();  // PDUs that arrived behind the last Login Request
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
