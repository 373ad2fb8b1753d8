#include "plugins/port/fc/lport_actor.hpp"

#include <caf/all.hpp>

#include "actors/common/faults.hpp"
#include "actors/common/fwd.hpp"
#include "actors/common/log.hpp"
#include "plugins/port/fc/hba/fcoe_hba.hpp"
#include "plugins/port/fc/hba/loopback.hpp"
#include "plugins/port/fc/rport_actor.hpp"

namespace stmfd::fc {

lport_actor::lport_actor(caf::actor_config& cfg, caf::actor stmf, port_config port, local_port identity,
                         port_settings settings, std::shared_ptr<io::ring> ring)
    : caf::event_based_actor(cfg),
      stmf_(std::move(stmf)),
      cfg_(std::move(port)),
      identity_(std::move(identity)),
      settings_(settings),
      ring_(std::move(ring)) {
  set_down_handler([this](caf::down_msg& m) {
    for (auto it = rports_.begin(); it != rports_.end(); ++it)
      if (it->second.actor.address() == m.source) {
        rports_.erase(it);
        break;
      }
  });
}

caf::behavior lport_actor::make_behavior() {
  report_link(false);  // no HBA yet
  send(this, open_atom::value);
  return {
      [this](open_atom) { try_open(); },
      [this](hba_wake_atom) { drain(); },
      [this](rport_nexus_atom, uint64_t nexus) { on_rport_nexus(nexus); },
      [this](session_logout_atom, uint32_t remote_id) { logout_rport(remote_id); },
      [this](get_atom, port_detail_atom) { return detail(); },
      [this](get_atom, rports_atom) {
        port_stats s;
        s.link_up = hba_ && hba_->link_up();
        s.port_id = hba_ ? hba_->port_id() : 0;
        s.rports = uint32_t(rports_.size());
        s.dropped = dropped_;
        return s;
      },
  };
}

void lport_actor::on_exit() {
  if (hba_) hba_->set_notify({});
  end_all();
  hba_ = nullptr;
  stmf_ = nullptr;
}

void lport_actor::try_open() {
  if (cfg_.driver == "loopback") {
    hba_ = hba::open_loopback(cfg_.interface);
  } else if (cfg_.driver == "fcoe" && ring_) {
    // The driver actor waits for the interface itself; the link comes up
    // once VN2VN holds a port ID.
    hba::fcoe_options o;
    o.interface = cfg_.interface;
    o.wwpn = cfg_.wwpn;
    o.wwnn = cfg_.wwnn;
    o.ring = ring_;
    hba_ = hba::start_fcoe(*this, std::move(o));
  }
  if (!hba_) {
    log::debug("fc {}: interface {} ({}) not there yet", identity_.target_name, cfg_.interface, cfg_.driver);
    delayed_send(this, std::chrono::milliseconds(settings_.open_retry_ms), open_atom::value);
    return;
  }
  log::info("fc {}: bound to {} ({}), port id {:06x}{}", identity_.target_name, cfg_.interface, cfg_.driver,
            hba_->port_id(), hba_->link_up() ? "" : ", link down");
  caf::actor_addr self = address();
  hba_->set_notify([self] {
    if (auto a = caf::actor_cast<caf::actor>(self)) caf::anon_send(a, hba_wake_atom::value);
  });
  report_link(hba_->link_up());
}

void lport_actor::report_link(bool up) {
  if (link_reported_ == up || !stmf_) return;
  link_reported_ = up;
  send(stmf_, port_link_atom::value, identity_.relative_port_id, up);
}

local_identity lport_actor::me() const {
  local_identity m;
  m.wwnn = cfg_.wwnn;
  m.wwpn = cfg_.wwpn;
  m.port_id = hba_ ? hba_->port_id() : 0;
  m.rx_size = uint16_t(hba_ ? hba_->max_payload() : max_payload);
  return m;
}

void lport_actor::drain() {
  if (!hba_) return;
  bool up = hba_->link_up();
  uint32_t id = hba_->port_id();
  if (was_up_ && (!up || id != was_id_)) {
    log::warn("fc {}: link {} on {}, {} remote port(s) logged out", identity_.target_name,
              up ? "took another port id" : "down", cfg_.interface, rports_.size());
    end_all();
  }
  if (up && (!was_up_ || id != was_id_))
    log::info("fc {}: link up on {}, port id {:06x}", identity_.target_name, cfg_.interface, id);
  was_up_ = up;
  was_id_ = id;
  report_link(up);
  std::vector<uint32_t> lost;
  hba_->lost_peers(lost);
  for (uint32_t p : lost) {
    if (rports_.count(p))
      log::info("fc {}: remote port {:06x} lost on {}, logged out", identity_.target_name, p, cfg_.interface);
    end_rport(p);
  }
  std::vector<hba::tx_completion> done;
  hba_->completions(done, 256);  // nothing here asks for completions yet: drained to keep the queue empty
  std::vector<frame> frames;
  while (hba_->receive(frames, 64) > 0) {
    for (auto& f : frames) {
      if (faults::hit(faults::point::port_fc)) {  // the provider fails with frames arriving
        quit(caf::make_error(caf::sec::runtime_error, "fault injected: port.fc"));
        return;
      }
      on_frame(f);
    }
    frames.clear();
  }
}

void lport_actor::on_frame(frame& f) {
  auto& h = f.hdr;
  if (h.d_id != hba_->port_id() && h.d_id != fabric_login_server) {
    ++dropped_;  // not for this port
    return;
  }
  if (h.df_ctl != 0 || f.payload.size() > hba_->max_payload()) {
    // Optional headers (FC-FS-4 9.11) are not used by FCP; a data field
    // beyond the link's maximum is no FC frame. Both are dropped.
    ++dropped_;
    return;
  }
  if (h.type == type::els && h.r_ctl == r_ctl::els_request) {
    on_els(f);
    return;
  }
  if (h.type == type::els && h.r_ctl == r_ctl::els_reply && plogis_.count(h.ox_id)) {
    on_els_reply(f);
    return;
  }
  auto it = rports_.find(h.s_id);
  if (it == rports_.end() || (h.type != type::fcp && h.type != type::bls)) {
    log::debug("fc {}: frame r_ctl {:#x} type {:#x} from {:06x} dropped (no login)", identity_.target_name, h.r_ctl,
               h.type, h.s_id);
    ++dropped_;
    return;
  }
  send(it->second.actor, frame_atom::value, std::move(f));
}

void lport_actor::send_reply(const frame_header& req, const els_reply& r) {
  frame out;
  out.hdr = reply_header(req, r_ctl::els_reply, hba_->port_id(), unassigned_xid);
  out.payload = r.payload;
  // A link too busy for a reply loses it; the initiator's ELS times out and
  // is sent again (FC-LS-3 4.1: R_A_TOV).
  if (!hba_->transmit(std::move(out))) log::warn("fc {}: link busy, ELS reply dropped", identity_.target_name);
}

void lport_actor::on_els(frame& f) {
  if (f.payload.empty()) {
    send_reply(f.hdr, reject(els::reason::protocol_error, els::explain::payload_length));
    return;
  }
  const uint8_t code = f.payload[0];
  const uint8_t* p = f.payload.data();
  size_t len = f.payload.size();
  auto it = rports_.find(f.hdr.s_id);
  bool logged_in = it != rports_.end();
  switch (code) {
    case els::cmd::flogi: {
      // FC-LS-3 4.3.7: a port that logs in to the link again has lost its
      // N_Port logins; whatever this port held with it ends.
      auto r = flogi_reply(me(), p, len);
      auto req = els::decode_login(p, len);
      if (r.accepted && req) end_rports_named(req->port_name);
      send_reply(f.hdr, r);
      if (r.accepted && req && cfg_.driver == "fcoe" && req->port_name < cfg_.wwpn) originate_plogi(f.hdr.s_id);
      return;
    }
    case els::cmd::plogi: on_plogi(f); return;
    case els::cmd::logo:
      // FC-LS-3 4.3.8: accepted whether or not the port was logged in.
      send_reply(f.hdr, {true, els::ls_acc()});
      end_rport(f.hdr.s_id);
      return;
    default: break;
  }
  if (!logged_in) {
    send_reply(f.hdr, reject(els::reason::unable, els::explain::login_required));
    return;
  }
  switch (code) {
    case els::cmd::prli:
    case els::cmd::prlo: send(it->second.actor, frame_atom::value, std::move(f)); return;
    case els::cmd::adisc: send_reply(f.hdr, adisc_reply(me(), p, len)); return;
    case els::cmd::rtv: send_reply(f.hdr, rtv_reply()); return;
    case els::cmd::rls: send_reply(f.hdr, rls_reply(me(), p, len)); return;
    case els::cmd::echo: send_reply(f.hdr, echo_reply(p, len, hba_->max_payload())); return;
    case els::cmd::rrq: send_reply(f.hdr, {true, els::ls_acc()}); return;  // no recovery qualifiers are held
    default: send_reply(f.hdr, unsupported_reply(code)); return;
  }
}

void lport_actor::end_rport(uint32_t port_id) {
  auto it = rports_.find(port_id);
  if (it == rports_.end()) return;
  send_exit(it->second.actor, caf::exit_reason::user_shutdown);
  rports_.erase(it);
}

void lport_actor::end_rports_named(uint64_t wwpn) {
  for (auto it = rports_.begin(); it != rports_.end();) {
    if (it->second.wwpn == wwpn) {
      send_exit(it->second.actor, caf::exit_reason::user_shutdown);
      it = rports_.erase(it);
    } else {
      ++it;
    }
  }
}

void lport_actor::end_all() {
  for (auto& [id, r] : rports_) send_exit(r.actor, caf::exit_reason::user_shutdown);
  rports_.clear();
}

}  // namespace stmfd::fc
