// N_Port login at a local port (FC-LS-3 4.3.11): PLOGI from a remote port,
// and, on a VN2VN link, PLOGI this port originates to a remote port with a
// lesser port name once that port's FLOGI was accepted.
#include <caf/all.hpp>

#include "actors/common/log.hpp"
#include "plugins/port/fc/lport_actor.hpp"
#include "plugins/port/fc/rport_actor.hpp"

namespace stmfd::fc {

namespace {
constexpr size_t max_originated = 64;  // PLOGIs awaiting an answer
constexpr size_t max_rports = 256;     // bounded like iSCSI's connections
}  // namespace

void lport_actor::on_plogi(frame& f) {
  els::login_params remote;
  auto r = plogi_reply(me(), f.payload.data(), f.payload.size(), remote);
  if (!r.accepted) {
    send_reply(f.hdr, r);
    return;
  }
  // FC-LS-3 4.3.11: a PLOGI from a port already logged in (by ID or by
  // name) ends the old login with its exchanges and its I_T nexus.
  end_rport(f.hdr.s_id);
  end_rports_named(remote.port_name);
  if (rports_.size() >= max_rports) {
    send_reply(f.hdr, reject(els::reason::unable, els::explain::insufficient_resources));
    return;
  }
  start_rport(f.hdr.s_id, remote);
  log::info("fc {}: PLOGI from {} ({:06x})", identity_.target_name, wwn_name(remote.port_name), f.hdr.s_id);
  send_reply(f.hdr, r);
}

void lport_actor::start_rport(uint32_t remote_id, const els::login_params& remote) {
  rport_args a;
  a.stmf = stmf_;
  a.lport = address();
  a.hba = hba_;
  a.identity = identity_;
  a.settings = settings_;
  a.me = me();
  a.remote_id = remote_id;
  a.remote = remote;
  auto actor = spawn<rport_actor, caf::monitored>(std::move(a));
  rports_[remote_id] = rport{actor, remote.port_name, remote.node_name, 0};
}

void lport_actor::originate_plogi(uint32_t remote_id) {
  if (plogis_.size() >= max_originated) plogis_.clear();  // unanswered ones: the remote port FLOGIs again
  for (auto it = plogis_.begin(); it != plogis_.end();)
    it = it->second == remote_id ? plogis_.erase(it) : std::next(it);
  uint16_t ox = 0;
  if (!send_els_request(remote_id, plogi_request(me()), ox)) {
    log::warn("fc {}: link busy, PLOGI to {:06x} not sent", identity_.target_name, remote_id);
    return;
  }
  plogis_[ox] = remote_id;
  log::info("fc {}: PLOGI to {:06x} (its port name is the lesser: it waits for ours)", identity_.target_name,
            remote_id);
}

bool lport_actor::send_els_request(uint32_t remote_id, std::vector<uint8_t> payload, uint16_t& ox_id) {
  frame out;
  out.hdr.r_ctl = r_ctl::els_request;
  out.hdr.d_id = remote_id;
  out.hdr.s_id = hba_->port_id();
  out.hdr.type = type::els;
  out.hdr.f_ctl = f_ctl::first_sequence | f_ctl::end_sequence | f_ctl::sequence_initiative;
  out.hdr.ox_id = next_ox_++;
  if (next_ox_ == unassigned_xid) next_ox_ = 0;
  out.hdr.rx_id = unassigned_xid;
  out.payload = std::move(payload);
  ox_id = out.hdr.ox_id;
  return hba_->transmit(std::move(out));
}

void lport_actor::logout_rport(uint32_t remote_id) {
  if (!rports_.count(remote_id)) return;
  auto id = me();
  uint16_t ox = 0;
  // Its LS_ACC, if any, finds no remote port and is dropped.
  if (!send_els_request(remote_id, els::encode(els::logo{id.port_id, id.wwpn}), ox))
    log::warn("fc {}: link busy, LOGO to {:06x} not sent (its login ends anyway)", identity_.target_name, remote_id);
  log::info("fc {}: administrator logout of {:06x}", identity_.target_name, remote_id);
  end_rport(remote_id);
}

void lport_actor::on_els_reply(frame& f) {
  auto it = plogis_.find(f.hdr.ox_id);
  if (it->second != f.hdr.s_id) {
    ++dropped_;
    return;
  }
  plogis_.erase(it);
  auto remote = plogi_accept(f.payload.data(), f.payload.size());
  if (!remote) {
    log::warn("fc {}: PLOGI to {:06x} not accepted", identity_.target_name, f.hdr.s_id);
    return;
  }
  end_rport(f.hdr.s_id);
  end_rports_named(remote->port_name);
  if (rports_.size() >= max_rports) return;
  start_rport(f.hdr.s_id, *remote);
  log::info("fc {}: logged in to {} ({:06x})", identity_.target_name, wwn_name(remote->port_name), f.hdr.s_id);
}

}  // namespace stmfd::fc
