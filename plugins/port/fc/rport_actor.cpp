// A remote port's life: process login (PRLI/PRLO, FCP-4 6.3) registering
// and ending its I_T nexus with STMF, frame dispatch, and sending frames.
#include <cstdio>

#include <caf/all.hpp>

#include "actors/common/log.hpp"
#include "actors/common/messages.hpp"
#include "plugins/port/fc/rport_actor.hpp"

namespace stmfd::fc {

rport_actor::rport_actor(caf::actor_config& cfg, rport_args args)
    : caf::event_based_actor(cfg), a_(std::move(args)), session_(this) {
  rx_size_ = std::min<uint16_t>(remote_rx_size(a_.remote), uint16_t(a_.hba->max_payload()));
  set_down_handler([this](caf::down_msg& m) { on_task_down(m); });
}

caf::behavior rport_actor::make_behavior() {
  return {
      [this](frame_atom, frame& f) { on_frame(f); },
      [this](done_atom, task_ptr& t) { on_task_done(std::move(t)); },
      [this](xfer_atom, task_ptr& t) { return on_xfer(t); },
      [this](lu_update_atom, const lu_event& e, const caf::actor& lu) { session_.on_lu_update(e, lu); },
      [this](luns_atom, const nexus_grant& g) { session_.set_luns(g); },
      // actors/contracts/session_detail.hpp: the nexus's details; an
      // administrator's logout goes through the local port (LOGO).
      [this](get_atom, session_detail_atom) { return detail(); },
      [this](session_logout_atom) {
        if (auto l = caf::actor_cast<caf::actor>(a_.lport)) send(l, session_logout_atom::value, a_.remote_id);
      },
      [this](flush_atom) {
        flush_pending_ = false;
        pump();
      },
  };
}

void rport_actor::on_exit() {
  close_nexus();
  a_.hba = nullptr;
  a_.stmf = nullptr;
}

void rport_actor::on_frame(frame& f) {
  auto& h = f.hdr;
  if (h.type == type::els && h.r_ctl == r_ctl::els_request && !f.payload.empty()) {
    if (f.payload[0] == els::cmd::prli) on_prli(f);
    if (f.payload[0] == els::cmd::prlo) on_prlo(f);
    return;
  }
  if (h.type == type::bls && h.r_ctl == r_ctl::abts) {
    on_abts(f);
    return;
  }
  if (h.type == type::fcp && h.r_ctl == r_ctl::fcp_cmnd) {
    on_cmnd(f);
    return;
  }
  if (h.type == type::fcp && h.r_ctl == r_ctl::fcp_data) {
    on_data(f);
    return;
  }
  log::debug("fc {}: frame r_ctl {:#x} type {:#x} dropped", wwn_name(a_.remote.port_name), h.r_ctl, h.type);
}

void rport_actor::send_els_reply(const frame_header& req, const els_reply& r) {
  frame out;
  out.hdr = reply_header(req, r_ctl::els_reply, a_.me.port_id, unassigned_xid);
  out.payload = r.payload;
  transmit(std::move(out));
}

// FCP-4 6.3: the image pair is the I_T nexus. It is registered before the
// accept goes out, so the initiator's first command finds the session open.
void rport_actor::on_prli(frame& f) {
  bool pair = false, confirmed = false;
  auto r = prli_reply(f.payload.data(), f.payload.size(), pair, confirmed);
  if (!r.accepted || !pair || session_.is_open()) {
    send_els_reply(f.hdr, r);
    return;
  }
  if (registering_) {
    send_els_reply(f.hdr, reject(els::reason::in_progress, els::explain::none));
    return;
  }
  registering_ = true;
  std::string name = wwn_name(a_.remote.port_name);
  auto req =
      make_nexus_request(remote_port{transport::fc, name, name}, a_.identity.relative_port_id, a_.settings.cmd_window);
  frame_header h = f.hdr;
  request(a_.stmf, std::chrono::seconds(10), login_atom::value, std::move(req))
      .then(
          [this, h, r, confirmed](const nexus_grant& g) {
            registering_ = false;
            session_.open(g);
            tell_lport(session_.id());
            confirmed_ = confirmed;
            login_time_ns_ = uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count());
            log::info("fc {}: image pair with {} (nexus {}, {} LUN(s))", a_.identity.target_name,
                      wwn_name(a_.remote.port_name), session_.id(), session_.luns().size());
            send_els_reply(h, r);
          },
          [this, h](caf::error& e) {
            registering_ = false;
            log::warn("fc {}: STMF refused nexus for {}: {}", a_.identity.target_name, wwn_name(a_.remote.port_name),
                      to_string(e));
            send_els_reply(h, reject(els::reason::unable, els::explain::insufficient_resources));
          });
}

void rport_actor::on_prlo(frame& f) {
  bool fcp = false;
  auto r = prlo_reply(f.payload.data(), f.payload.size(), fcp);
  if (r.accepted && fcp) close_nexus();
  send_els_reply(f.hdr, r);
}

void rport_actor::close_nexus() {
  abort_exchanges(nullptr);
  if (session_.is_open()) {
    log::info("fc {}: nexus {} with {} ends", a_.identity.target_name, session_.id(), wwn_name(a_.remote.port_name));
    session_.close(a_.stmf);
    tell_lport(0);
  }
}

session_detail rport_actor::detail() const {
  session_detail d;
  char id[64];
  std::snprintf(id, sizeof id, "port_id=%06x,wwnn=%016llx", unsigned(a_.remote_id),
                static_cast<unsigned long long>(a_.remote.node_name));
  d.session_id = id;
  d.login_time_ns = login_time_ns_;
  // FCP-4 6.3 PRLI service parameters this port accepted, and the frame size.
  d.parameters = {{"ConfirmedCompletion", confirmed_ ? "Yes" : "No"},
                  {"ReceiveDataFieldSize", std::to_string(rx_size_)},
                  {"MaxBurst", std::to_string(a_.settings.max_burst)}};
  return d;
}

void rport_actor::tell_lport(uint64_t nexus) {
  if (auto l = caf::actor_cast<caf::actor>(a_.lport)) send(l, rport_nexus_atom::value, nexus);
}

uint16_t rport_actor::next_rx_id() {
  for (;;) {
    uint16_t id = next_rx_++;
    if (id == unassigned_xid) continue;
    bool used = false;
    for (auto& [ox, x] : exchanges_)
      if (x.rx_id == id) used = true;
    if (!used) return id;
  }
}

}  // namespace stmfd::fc
