// The FCoE driver's frames: FCoE and FIP link service frames in, every
// frame the port sends out (see fcoe_driver.hpp).
#include <caf/all.hpp>

#include "actors/common/log.hpp"
#include "plugins/port/fc/hba/fcoe_driver.hpp"
#include "wire/fc/els.hpp"

namespace stmfd::fc::hba {

namespace {

uint64_t request_key(uint32_t port_id, uint16_t ox_id) { return uint64_t(port_id) << 16 | ox_id; }

}  // namespace

void fcoe_driver::on_fcoe(const uint8_t* p, size_t len) {
  if (!vn_ || !vn_->holds_id() || !usable_) return;
  fcoe::decapsulated d;
  auto err = fcoe::decapsulate(p, len, d);
  if (err != fcoe::error::none) {
    if (dropped_++ % 1000 == 0) log::debug("fcoe {}: frame dropped: {}", o_.interface, fcoe::to_string(err));
    return;
  }
  if (d.dst != vn_->vn_mac()) return;  // for another VN_Port
  auto f = parse(d.fc, d.fc_len);
  if (!f) {
    ++dropped_;
    return;
  }
  q_->deliver(std::move(*f));
}

void fcoe_driver::on_fip_link_service(const fcoe::mac& src, const fip::message& m) {
  if (!vn_ || !vn_->holds_id()) return;
  auto l = fip::decode_link_service(m);
  // Only requests come to a target (it never sends FLOGI or LOGO itself).
  if (!l || l->subcode != fip::ls_sub::request) {
    ++dropped_;
    return;
  }
  auto f = parse(l->fc.data(), l->fc.size());
  if (!f || f->hdr.r_ctl != r_ctl::els_request || f->hdr.type != type::els) {
    ++dropped_;
    return;
  }
  uint64_t key = request_key(f->hdr.s_id, f->hdr.ox_id);
  if (fip_requests_.count(key) == 0) {
    if (fip_order_.size() >= max_fip_requests) {
      fip_requests_.erase(fip_order_.front());
      fip_order_.pop_front();
    }
    fip_order_.push_back(key);
  }
  fip_requests_[key] = {l->els_type, src};
  log::debug("fcoe {}: FIP-encapsulated ELS {:#x} from {:06x} (ox_id {:#x})", o_.interface,
             f->payload.empty() ? 0 : f->payload[0], f->hdr.s_id, f->hdr.ox_id);
  q_->deliver(std::move(*f));
}

std::vector<uint8_t> fcoe_driver::wrap(const frame& f) {
  auto bytes = serialize(f);
  if (bytes.empty() || !vn_) return {};
  if (f.hdr.r_ctl == r_ctl::els_reply && f.hdr.type == type::els) {
    auto it = fip_requests_.find(request_key(f.hdr.d_id, f.hdr.ox_id));
    if (it != fip_requests_.end()) {
      // FC-BB-6 7.8.5: the reply to an encapsulated request is encapsulated
      // alike; an accept names the VN_Port's MAC.
      fip::link_service_msg l;
      l.subcode = fip::ls_sub::reply;
      l.els_type = it->second.els_type;
      l.fc = std::move(bytes);
      if (f.payload.empty() || f.payload[0] != els::cmd::ls_rjt) l.mac = vn_->vn_mac();
      auto out = fip::frame(it->second.reply_to, mac_, fip::encode(l));
      fip_requests_.erase(it);
      return out;
    }
  }
  uint8_t sof = f.hdr.seq_cnt == 0 ? fcoe::sof::i3 : fcoe::sof::n3;
  uint8_t eof = (f.hdr.f_ctl & f_ctl::end_sequence) ? fcoe::eof::t : fcoe::eof::n;
  return fcoe::encapsulate(fcoe::vn_port_mac(f.hdr.d_id, o_.fc_map), vn_->vn_mac(), sof, eof, bytes.data(),
                           bytes.size());
}

void fcoe_driver::pump_tx() {
  std::vector<fcoe_hba::outgoing> batch;
  while (tx_inflight_.size() < max_tx_inflight) {
    batch.clear();
    if (q_->take_tx(batch, max_tx_inflight - tx_inflight_.size()) == 0) return;
    for (auto& o : batch) {
      auto bytes = fd_ >= 0 ? wrap(o.f) : std::vector<uint8_t>{};
      if (bytes.empty()) {
        q_->complete(o.cookie, false);
        continue;
      }
      send_ethernet(std::move(bytes), o.cookie);
    }
  }
}

void fcoe_driver::send_ethernet(std::vector<uint8_t> bytes, uint64_t hba_cookie) {
  uint64_t cookie = (++next_tx_ << 1) | 1;
  auto& slot = tx_inflight_[cookie];
  slot.bytes = std::move(bytes);
  slot.hba_cookie = hba_cookie;
  iovec iov{slot.bytes.data(), slot.bytes.size()};
  o_.ring->sendv(fd_, &iov, 1, caf::actor_cast<caf::actor>(this), cookie);
}

}  // namespace stmfd::fc::hba
