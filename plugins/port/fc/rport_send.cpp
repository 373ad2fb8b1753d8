// Sending a remote port's frames through the HBA in order, holding what the
// link cannot take yet.
#include <caf/all.hpp>

#include "actors/common/log.hpp"
#include "plugins/port/fc/rport_actor.hpp"

namespace stmfd::fc {

namespace {
constexpr auto retry_delay = std::chrono::milliseconds(1);
}

frame_header rport_actor::fcp_header(const exchange& x, uint8_t r_ctl, uint32_t f_ctl, uint8_t seq_id, uint16_t seq_cnt,
                                     uint32_t parameter) const {
  frame_header h;
  h.r_ctl = r_ctl;
  h.d_id = a_.remote_id;
  h.s_id = a_.me.port_id;
  h.type = type::fcp;
  h.f_ctl = f_ctl::exchange_responder | f_ctl;
  h.seq_id = seq_id;
  h.seq_cnt = seq_cnt;
  h.ox_id = x.ox_id;
  h.rx_id = x.rx_id;
  h.parameter = parameter;
  return h;
}

void rport_actor::send_fcp(const exchange& x, uint8_t r_ctl, uint32_t f_ctl, uint8_t seq_id, uint16_t seq_cnt,
                           uint32_t parameter, std::vector<uint8_t> payload) {
  frame out;
  out.hdr = fcp_header(x, r_ctl, f_ctl, seq_id, seq_cnt, parameter);
  out.payload = std::move(payload);
  transmit(std::move(out));
}

void rport_actor::transmit(frame&& f) {
  if (out_.empty() && a_.hba->transmit(std::move(f))) return;
  outbound o;
  o.f = std::move(f);
  queue(std::move(o));
}

void rport_actor::queue(outbound&& o) {
  out_.push_back(std::move(o));
  pump();
}

void rport_actor::pump() {
  while (!out_.empty()) {
    outbound& o = out_.front();
    while (o.off < o.to_send) {
      uint32_t chunk = std::min<uint32_t>(rx_size_, o.to_send - o.off);
      frame d;
      d.hdr = o.data_hdr;
      d.hdr.seq_cnt = o.cnt;
      d.hdr.parameter = o.off;
      if (o.off + chunk == o.to_send) d.hdr.f_ctl |= f_ctl::end_sequence;
      d.payload.assign(o.keep->data.data + o.off, o.keep->data.data + o.off + chunk);
      if (!a_.hba->transmit(std::move(d))) break;
      o.off += chunk;
      ++o.cnt;
    }
    if (o.off < o.to_send || !a_.hba->transmit(std::move(o.f))) break;
    out_.pop_front();
  }
  if (out_.empty() || flush_pending_) return;
  if (!a_.hba->link_up()) {
    log::warn("fc {}: link down, {} queued response(s) dropped", wwn_name(a_.remote.port_name), out_.size());
    out_.clear();
    return;
  }
  flush_pending_ = true;
  delayed_send(this, retry_delay, flush_atom::value);
}

}  // namespace stmfd::fc
