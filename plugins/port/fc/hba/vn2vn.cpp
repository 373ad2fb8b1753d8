#include "plugins/port/fc/hba/vn2vn.hpp"

#include <algorithm>

namespace stmfd::fc::hba {

namespace {

using std::chrono::milliseconds;
namespace ms = fip::vn2vn_ms;

}  // namespace

vn2vn::vn2vn(vn2vn_config cfg) : cfg_(cfg), rng_(cfg.seed ? cfg.seed : cfg.wwpn) {}

unsigned vn2vn::random_below(unsigned bound) { return bound ? unsigned(rng_() % bound) : 0; }

void vn2vn::start(time_point now) {
  proposals_ = 0;
  restart(now);
}

void vn2vn::stop() {
  state_ = state::idle;
  deadline_ = time_point::max();
  while (!peers_.empty()) forget(peers_.begin());
}

void vn2vn::restart(time_point now) {
  // A new proposal ends whatever we held with the old ID: peers logged in to
  // it must log in again.
  while (!peers_.empty()) forget(peers_.begin());
  uint32_t id = port_id_;
  if (proposals_ > 0)
    id = uint32_t(rng_() & 0xFFFF);
  else if (id == 0)
    id = cfg_.first_id ? cfg_.first_id : uint32_t(cfg_.wwpn & 0xFFFF);
  if (id == 0 || id == 0xFFFF || id == 0xFFFFFF) id = 1;  // not a well-known or unassigned ID
  port_id_ = id & 0xFFFFFF;
  unsigned wait = proposals_ < ms::rate_limit_count ? random_below(ms::probe_wait) : ms::rate_limit_interval;
  ++proposals_;
  state_ = state::start;
  deadline_ = now + milliseconds(wait);
}

void vn2vn::send(uint8_t subcode, const fcoe::mac& dst, size_t min_payload) {
  fip::vn2vn_msg v;
  v.subcode = subcode;
  v.enode = cfg_.enode;
  v.node_name = cfg_.wwnn;
  v.vn = {vn_mac(), port_id_, cfg_.wwpn};
  v.fcoe_size = cfg_.fcoe_size;
  v.fcp = true;
  v.fcp_features = fip::fcp_feature::target;
  // A beacon comes from the VN_Port's MAC, everything else from the ENode's.
  auto f = fip::frame(dst, subcode == fip::vn2vn_sub::beacon ? vn_mac() : cfg_.enode, fip::encode(v));
  if (f.size() < fcoe::eth_header_len + min_payload) f.resize(fcoe::eth_header_len + min_payload, 0);
  out_.push_back(std::move(f));
}

void vn2vn::forget(std::map<uint32_t, peer>::iterator it) {
  lost_.push_back(it->first);
  peers_.erase(it);
}

void vn2vn::add_peer(const fip::vn2vn_msg& v, time_point now) {
  const uint32_t id = v.vn.port_id;
  if (id == port_id_) return;
  auto it = peers_.find(id);
  if (it != peers_.end() && (it->second.wwpn != v.vn.port_name || it->second.wwnn != v.node_name)) {
    forget(it);  // another port took that ID: the old one's logins end
    it = peers_.end();
  }
  if (it == peers_.end()) {
    if (peers_.size() >= cfg_.max_peers) return;
    it = peers_.emplace(id, peer{}).first;
  }
  peer& p = it->second;
  p.enode = v.enode;
  p.wwpn = v.vn.port_name;
  p.wwnn = v.node_name;
  p.fcoe_size = v.fcoe_size;
  p.seen = now;
}

bool vn2vn::on_fip(const fcoe::mac& src, const fip::message& m, time_point now) {
  if (state_ == state::idle || src == cfg_.enode || src == vn_mac()) return false;
  auto v = fip::decode_vn2vn(m);
  if (!v || v->vn.port_name == cfg_.wwpn) return false;  // malformed, or our own frame looped back
  switch (v->subcode) {
    case fip::vn2vn_sub::probe_request: on_probe_request(*v, now); break;
    case fip::vn2vn_sub::probe_reply:
      if (v->vn.port_id != port_id_) break;
      if (state_ == state::up)
        send(fip::vn2vn_sub::claim_notify, fip::all_vn2vn_macs), last_claim_ = now;
      else
        restart(now);  // someone holds the ID we proposed
      break;
    case fip::vn2vn_sub::claim_notify: on_claim_notify(*v, now); break;
    case fip::vn2vn_sub::claim_response:
      if (holds_id()) add_peer(*v, now);
      break;
    case fip::vn2vn_sub::beacon: on_beacon(*v, now); break;
  }
  return true;
}

void vn2vn::on_probe_request(const fip::vn2vn_msg& v, time_point now) {
  if (v.vn.port_id != port_id_) return;
  switch (state_) {
    case state::claim:
    case state::up: send(fip::vn2vn_sub::probe_reply, v.enode); return;
    case state::probe1:
    case state::probe2:
      // Both probe for one ID: the greater port name keeps it, unless the
      // other port uses a recorded address.
      if (cfg_.wwpn > v.vn.port_name && !(v.flags & fip::flag::rec_or_p2p)) {
        send(fip::vn2vn_sub::probe_reply, v.enode);
        return;
      }
      restart(now);
      return;
    case state::start: restart(now); return;
    case state::idle: return;
  }
}

void vn2vn::on_claim_notify(const fip::vn2vn_msg& v, time_point now) {
  if (v.flags & fip::flag::rec_or_p2p) {
    // A point-to-point or recorded-address port: ask everyone to say who they are.
    send(fip::vn2vn_sub::probe_request, fip::all_vn2vn_macs);
    return;
  }
  if (!holds_id()) {
    if (v.vn.port_id == port_id_ && state_ != state::idle) restart(now);
    return;
  }
  if (v.vn.port_id == port_id_) {
    if (v.vn.port_name > cfg_.wwpn) {
      restart(now);
    } else {
      send(fip::vn2vn_sub::claim_notify, fip::all_vn2vn_macs);
      last_claim_ = now;
    }
    return;
  }
  size_t pad = v.fcoe_size ? std::min<size_t>(v.fcoe_size, cfg_.fcoe_size) : 0;
  send(fip::vn2vn_sub::claim_response, v.enode, pad);
  add_peer(v, now);
}

void vn2vn::on_beacon(const fip::vn2vn_msg& v, time_point now) {
  if (v.flags & fip::flag::rec_or_p2p) {
    send(fip::vn2vn_sub::probe_request, fip::all_vn2vn_macs);
    return;
  }
  auto it = peers_.find(v.vn.port_id);
  if (it != peers_.end() && it->second.wwpn == v.vn.port_name && it->second.wwnn == v.node_name) {
    it->second.seen = now;
    it->second.beaconed = true;
    return;
  }
  // A port we do not know: announce ourselves so that it answers with a claim response.
  if (state_ == state::up && now - last_claim_ >= milliseconds(ms::announce_wait)) {
    send(fip::vn2vn_sub::claim_notify, fip::all_vn2vn_macs);
    last_claim_ = now;
  }
}

void vn2vn::age(time_point now) {
  for (auto it = peers_.begin(); it != peers_.end();) {
    auto next = std::next(it);
    if (now - it->second.seen >= milliseconds(ms::peer_timeout)) forget(it);
    it = next;
  }
}

void vn2vn::tick(time_point now) {
  if (state_ == state::idle || now < deadline_) {
    if (state_ == state::up) age(now);
    return;
  }
  switch (state_) {
    case state::start:
      send(fip::vn2vn_sub::probe_request, fip::all_vn2vn_macs);
      state_ = state::probe1;
      deadline_ = now + milliseconds(ms::probe_wait);
      break;
    case state::probe1:
      send(fip::vn2vn_sub::probe_request, fip::all_vn2vn_macs);
      state_ = state::probe2;
      deadline_ = now + milliseconds(ms::announce_wait);
      break;
    case state::probe2:
      state_ = state::claim;
      send(fip::vn2vn_sub::claim_notify, fip::all_vn2vn_macs);
      last_claim_ = now;
      deadline_ = now + milliseconds(ms::announce_wait);
      break;
    case state::claim:
      state_ = state::up;
      next_beacon_ = now;
      [[fallthrough]];
    case state::up:
      age(now);
      if (now >= next_beacon_) {
        send(fip::vn2vn_sub::beacon, fip::all_vn2vn_macs);
        next_beacon_ = now + milliseconds(ms::beacon_interval + random_below(ms::beacon_fuzz));
      }
      deadline_ = next_beacon_;
      for (auto& [id, p] : peers_) deadline_ = std::min(deadline_, p.seen + milliseconds(ms::peer_timeout));
      break;
    case state::idle: break;
  }
}

std::vector<std::vector<uint8_t>> vn2vn::take_output() {
  std::vector<std::vector<uint8_t>> o;
  o.swap(out_);
  return o;
}

std::vector<uint32_t> vn2vn::take_lost() {
  std::vector<uint32_t> l;
  l.swap(lost_);
  return l;
}

}  // namespace stmfd::fc::hba
