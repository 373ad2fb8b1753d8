#include "plugins/port/fc/hba/fcoe_driver.hpp"

#include <cerrno>
#include <cstring>

#include <sys/socket.h>

#include <caf/all.hpp>

#include "actors/common/log.hpp"
#include "plugins/port/fc/atoms.hpp"
#include "wire/fc/bytes.hpp"

namespace stmfd::fc::hba {

namespace {

constexpr uint64_t tx_tag = 1;      // ring cookies: (n << 1) | 1 a send, gen << 1 a receive
constexpr size_t drain_batch = 64;  // frames taken without blocking after each receive

std::string mac_text(const fcoe::mac& m) {
  return fmt::format("{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", m[0], m[1], m[2], m[3], m[4], m[5]);
}

}  // namespace

std::shared_ptr<fcoe_hba> start_fcoe(caf::local_actor& owner, fcoe_options o, caf::actor* driver) {
  auto q = std::make_shared<fcoe_hba>(o.interface, o.capacity);
  auto a = owner.spawn<fcoe_driver, caf::linked>(q, std::move(o));
  if (driver) *driver = a;
  return q;
}

fcoe_driver::fcoe_driver(caf::actor_config& cfg, std::shared_ptr<fcoe_hba> queues, fcoe_options o)
    : caf::event_based_actor(cfg), q_(std::move(queues)), o_(std::move(o)) {}

caf::behavior fcoe_driver::make_behavior() {
  caf::actor_addr self = address();
  q_->set_driver_wake([self] {
    if (auto a = caf::actor_cast<caf::actor>(self)) caf::anon_send(a, fcoe_tx_atom::value);
  });
  send(this, fcoe_check_atom::value);
  return {
      [this](fcoe_check_atom) {
        check_link();
        delayed_send(this, std::chrono::milliseconds(o_.check_ms), fcoe_check_atom::value);
      },
      [this](fcoe_tick_atom, uint64_t seq) { on_tick(seq); },
      [this](fcoe_tx_atom) { pump_tx(); },
      [this](const io::completion& c) { on_completion(c); },
  };
}

void fcoe_driver::on_exit() {
  q_->set_driver_wake({});
  q_->set_link(false, 0, 0);
  if (fd_ >= 0) o_.ring->close_fd(fd_);
  fd_ = -1;
}

void fcoe_driver::check_link() {
  auto li = io::query_link(o_.interface);
  if (!li.exists) {
    if (fd_ >= 0) close("the interface is gone");
    std::string problem = li.error.empty() ? "no such interface (yet)" : li.error;
    if (problem != last_problem_)
      log::warn("fcoe {}: {}; looking again every {} ms", o_.interface, problem, o_.check_ms);
    last_problem_ = problem;
    return;
  }
  if (fd_ >= 0 && li.ifindex != ifindex_) close("the interface was replaced");
  if (fd_ < 0 && !open(li)) return;
  size_t payload = fcoe_max_payload(li.mtu);
  bool usable = li.up && payload > 0;
  if (usable == usable_ && payload == max_payload_) return;
  if (usable) {
    // Up, or the MTU changed while up: (re)claim with the FCoE size it allows.
    vn2vn_config vc;
    vc.wwpn = o_.wwpn;
    vc.wwnn = o_.wwnn;
    vc.enode = mac_;
    vc.fcoe_size = uint16_t(payload + fcoe::header_len + fc::header_len + fcoe::trailer_len);
    vc.fc_map = o_.fc_map;
    vc.first_id = vn_ && vn_->port_id() ? vn_->port_id() : o_.first_id;
    if (vn_) {
      vn_->stop();
      after_vn2vn();
    }
    vn_.emplace(vc);
    vn_->start(clock::now());
    log::info("fcoe {}: link up (MTU {}, FC data field {}), MAC {}; VN2VN probing for port id {:06x}", o_.interface,
              li.mtu, payload, mac_text(mac_), vn_->port_id());
  } else {
    std::string why = !li.up ? "down or without carrier" : fmt::format("MTU {} too small for FCoE", li.mtu);
    log::warn("fcoe {}: link {}", o_.interface, why);
    if (vn_) vn_->stop();
  }
  usable_ = usable;
  mtu_ = li.mtu;
  max_payload_ = payload;
  after_vn2vn();
}

bool fcoe_driver::open(const io::link_info& li) {
  auto s = io::open_packet_socket(li.ifindex, {fcoe::ethertype_fip, fcoe::ethertype_fcoe});
  if (s.fd < 0) {
    if (s.error != last_problem_) log::error("fcoe {}: cannot open a raw socket: {}", o_.interface, s.error);
    last_problem_ = s.error;
    return false;
  }
  last_problem_.clear();
  fd_ = s.fd;
  ifindex_ = li.ifindex;
  std::copy(li.mac.begin(), li.mac.end(), mac_.begin());
  ++gen_;
  log::info("fcoe {}: raw socket open (ifindex {})", o_.interface, ifindex_);
  arm_recv();
  return true;
}

void fcoe_driver::close(const char* why) {
  log::warn("fcoe {}: {}; closing its socket", o_.interface, why);
  o_.ring->close_fd(fd_);  // the receive in flight completes (cancelled); its buffer waits for that
  fd_ = -1;
  usable_ = false;
  max_payload_ = 0;
  if (vn_) vn_->stop();
  after_vn2vn();
}

void fcoe_driver::arm_recv() {
  auto& buf = rx_bufs_[gen_];
  buf.resize(std::max<size_t>(fcoe::max_frame_len, 9216 + fcoe::eth_header_len + 4));
  o_.ring->recv(fd_, buf.data(), uint32_t(buf.size()), caf::actor_cast<caf::actor>(this), uint64_t(gen_) << 1);
}

void fcoe_driver::on_completion(const io::completion& c) {
  if (c.cookie & tx_tag) {
    auto it = tx_inflight_.find(c.cookie);
    if (it == tx_inflight_.end()) return;
    if (c.result < 0 && c.result != -ECANCELED && tx_errors_++ % 1000 == 0)
      log::warn("fcoe {}: send failed: {} ({} so far)", o_.interface, std::strerror(-c.result), tx_errors_);
    q_->complete(it->second.hba_cookie, c.result > 0);
    tx_inflight_.erase(it);
    pump_tx();
    return;
  }
  uint32_t gen = uint32_t(c.cookie >> 1);
  if (gen != gen_ || fd_ < 0) {
    rx_bufs_.erase(gen);  // a socket closed since
    return;
  }
  auto& buf = rx_bufs_[gen];
  if (c.result < 0) {
    // ENETDOWN and the like: the next check_link sees why; keep receiving.
    if (c.result != -EAGAIN && c.result != -EINTR)
      log::debug("fcoe {}: receive: {}", o_.interface, std::strerror(-c.result));
    if (c.result == -ECANCELED) return;
  } else {
    on_packet(buf.data(), size_t(c.result));
    for (size_t i = 0; i < drain_batch && fd_ >= 0; ++i) {
      ssize_t n = ::recv(fd_, buf.data(), buf.size(), MSG_DONTWAIT);
      if (n <= 0) break;
      on_packet(buf.data(), size_t(n));
    }
  }
  if (fd_ >= 0 && gen == gen_) arm_recv();
}

void fcoe_driver::on_packet(const uint8_t* p, size_t len) {
  if (len < fcoe::eth_header_len) return;
  fcoe::mac dst, src;
  std::copy(p, p + 6, dst.begin());
  std::copy(p + 6, p + 12, src.begin());
  if (src == mac_ || (vn_ && src == vn_->vn_mac())) return;  // our own
  uint16_t type = get_be16(p + 12);
  if (type == fcoe::ethertype_fcoe) {
    on_fcoe(p, len);
    return;
  }
  if (type != fcoe::ethertype_fip || !vn_ || !usable_) return;
  if (dst != mac_ && dst != fip::all_vn2vn_macs && dst != fip::all_p2p_macs) return;  // FIP for others
  auto m = fip::decode(p + fcoe::eth_header_len, len - fcoe::eth_header_len);
  if (!m) {
    ++dropped_;
    return;
  }
  if (m->hdr.op == fip::op::vn2vn) {
    bool taken = vn_->on_fip(src, *m, clock::now());
    log::debug("fcoe {}: FIP VN2VN subcode {} from {}{}", o_.interface, m->hdr.subcode, mac_text(src),
               taken ? "" : " (ignored)");
    after_vn2vn();
  } else if (m->hdr.op == fip::op::link_service) {
    on_fip_link_service(src, *m);
  }
}

void fcoe_driver::after_vn2vn() {
  if (!vn_) return;
  for (auto& f : vn_->take_output()) {
    if (fd_ < 0) continue;
    log::debug("fcoe {}: FIP VN2VN subcode {} to {} ({} bytes)", o_.interface, f.size() > 19 ? f[19] : 0,
               mac_text({f[0], f[1], f[2], f[3], f[4], f[5]}), f.size());
    send_ethernet(std::move(f), 0);
  }
  q_->lose(vn_->take_lost());
  bool up = usable_ && vn_->holds_id();
  q_->set_link(up, up ? vn_->port_id() : 0, up ? max_payload_ : 0);
  auto at = vn_->next_deadline();
  if (at == clock::time_point::max() || (tick_pending_ && at >= tick_at_)) return;
  tick_pending_ = true;
  tick_at_ = at;
  auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(at - clock::now()) + std::chrono::milliseconds(1);
  delayed_send(this, std::max(wait, std::chrono::milliseconds(0)), fcoe_tick_atom::value, ++tick_seq_);
}

void fcoe_driver::on_tick(uint64_t seq) {
  if (seq != tick_seq_) return;  // superseded by an earlier deadline
  tick_pending_ = false;
  if (!vn_) return;
  auto before = vn_->current();
  vn_->tick(clock::now());
  if (vn_->current() != before && vn_->current() == vn2vn::state::up)
    log::info("fcoe {}: VN2VN holds port id {:06x} (VN_Port MAC {})", o_.interface, vn_->port_id(),
              mac_text(vn_->vn_mac()));
  after_vn2vn();
}

}  // namespace stmfd::fc::hba
