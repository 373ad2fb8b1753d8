// The FCoE driver end to end on a real interface: a tap device whose file
// descriptor the test holds plays the wire (what the driver sends, the test
// reads; what the test writes, the driver receives). Needs root and
// /dev/net/tun; without them the test says so and checks nothing else.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstring>
#include <functional>
#include <thread>

#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <caf/all.hpp>

#include "io/packet_socket.hpp"
#include "plugins/port/fc/hba/fcoe_hba.hpp"
#include "wire/fc/bytes.hpp"
#include "wire/fc/fip_vn2vn.hpp"

using namespace stmfd::fc;
using namespace std::chrono_literals;

namespace {

const fcoe::mac peer_enode{0x52, 0x54, 0x00, 0xFC, 0x00, 0x01};
constexpr uint64_t our_wwpn = 0x20000000C0A8FC01;
constexpr uint32_t our_id = 0xFC01, peer_id = 0x000001;

struct tap_device {
  int fd = -1;
  std::string name;
  ~tap_device() {
    if (fd >= 0) ::close(fd);  // a tap nobody holds (not persistent) goes away with its fd
  }
  bool set_flags(bool up) {
    int s = ::socket(AF_INET, SOCK_DGRAM, 0);
    ifreq r{};
    std::strncpy(r.ifr_name, name.c_str(), IFNAMSIZ - 1);
    bool ok = ::ioctl(s, SIOCGIFFLAGS, &r) == 0;
    r.ifr_flags = short(up ? (r.ifr_flags | IFF_UP) : (r.ifr_flags & ~IFF_UP));
    ok = ok && ::ioctl(s, SIOCSIFFLAGS, &r) == 0;
    r.ifr_mtu = 9000;
    ok = ok && ::ioctl(s, SIOCSIFMTU, &r) == 0;
    ::close(s);
    return ok;
  }
  // The next frame of `ethertype` the driver sent, within `wait`.
  std::vector<uint8_t> next(uint16_t ethertype, std::chrono::milliseconds wait = 3s) {
    auto until = std::chrono::steady_clock::now() + wait;
    std::vector<uint8_t> buf(16384);
    while (std::chrono::steady_clock::now() < until) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      ssize_t n = ::read(fd, buf.data(), buf.size());
      if (n >= 14 && get_be16(buf.data() + 12) == ethertype) return {buf.begin(), buf.begin() + n};
    }
    return {};
  }
  void write_frame(const std::vector<uint8_t>& f) { REQUIRE(::write(fd, f.data(), f.size()) == ssize_t(f.size())); }
};

bool open_tap(tap_device& t) {
  t.fd = ::open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK);
  if (t.fd < 0) return false;
  ifreq r{};
  r.ifr_flags = IFF_TAP | IFF_NO_PI;
  std::snprintf(r.ifr_name, IFNAMSIZ, "stmfd-ut%d", int(::getpid() % 100000));
  if (::ioctl(t.fd, TUNSETIFF, &r) < 0) return false;
  t.name = r.ifr_name;
  return t.set_flags(true);
}

bool eventually(const std::function<bool()>& f, std::chrono::milliseconds wait = 3s) {
  auto until = std::chrono::steady_clock::now() + wait;
  while (!f()) {
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

fip::vn2vn_msg decode_fip(const std::vector<uint8_t>& f) {
  auto m = fip::decode(f.data() + 14, f.size() - 14);
  REQUIRE(m);
  auto v = fip::decode_vn2vn(*m);
  REQUIRE(v);
  return *v;
}

std::vector<uint8_t> from_peer(uint8_t sub) {
  fip::vn2vn_msg v;
  v.subcode = sub;
  v.enode = peer_enode;
  v.node_name = 0x1000525400FC0001;
  v.vn = {fcoe::vn_port_mac(peer_id), peer_id, 0x2000525400FC0001};
  v.fcoe_size = 2158;
  v.fcp = true;
  v.fcp_features = fip::fcp_feature::initiator;
  return fip::frame(fip::all_vn2vn_macs, sub == fip::vn2vn_sub::beacon ? v.vn.mac : peer_enode, fip::encode(v));
}

frame els_frame(uint8_t r_ctl, uint8_t code, uint16_t ox_id, uint32_t d_id, uint32_t s_id) {
  frame f;
  f.hdr.r_ctl = r_ctl;
  f.hdr.d_id = d_id;
  f.hdr.s_id = s_id;
  f.hdr.type = type::els;
  f.hdr.f_ctl = f_ctl::first_sequence | f_ctl::end_sequence | f_ctl::sequence_initiative;
  f.hdr.ox_id = ox_id;
  f.payload.assign(116, 0);
  f.payload[0] = code;
  return f;
}

}  // namespace

TEST_CASE("the FCoE driver claims an ID on a tap, answers a peer, carries FCoE and FIP ELS both ways",
          "[fc][fcoe][driver]") {
  tap_device tap;
  if (!open_tap(tap)) {
    WARN("no tap device here (not root, or no /dev/net/tun): the FCoE driver test did not run");
    return;
  }
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  auto ring = std::make_shared<stmfd::io::ring>(stmfd::io::ring::options{});
  REQUIRE(ring->ok());
  std::shared_ptr<hba::fcoe_hba> q;
  caf::actor driver;
  {
    caf::scoped_actor self{sys};
    hba::fcoe_options o;
    o.interface = tap.name;
    o.wwpn = our_wwpn;
    o.wwnn = our_wwpn + 0x1000000000000;
    o.ring = ring;
    o.check_ms = 100;
    q = hba::start_fcoe(*self.ptr(), o, &driver);

    // VN2VN: two probes, then a claim, and the link is up with our ID.
    auto probe = tap.next(fcoe::ethertype_fip);
    REQUIRE_FALSE(probe.empty());
    CHECK(decode_fip(probe).subcode == fip::vn2vn_sub::probe_request);
    std::vector<uint8_t> claim;
    for (int i = 0; i < 4 && claim.empty(); ++i) {
      auto f = tap.next(fcoe::ethertype_fip);
      REQUIRE_FALSE(f.empty());
      if (decode_fip(f).subcode == fip::vn2vn_sub::claim_notify) claim = f;
    }
    REQUIRE_FALSE(claim.empty());
    CHECK(decode_fip(claim).vn.port_id == our_id);
    REQUIRE(eventually([&] { return q->link_up(); }));
    CHECK(q->port_id() == our_id);
    CHECK(q->max_payload() == 2112);  // MTU 9000

    // A peer's claim is answered (unicast, padded to the FCoE size).
    tap.write_frame(from_peer(fip::vn2vn_sub::claim_notify));
    std::vector<uint8_t> resp;
    for (int i = 0; i < 4 && resp.empty(); ++i) {
      auto f = tap.next(fcoe::ethertype_fip);
      REQUIRE_FALSE(f.empty());
      if (decode_fip(f).subcode == fip::vn2vn_sub::claim_response) resp = f;
    }
    REQUIRE_FALSE(resp.empty());
    CHECK(std::equal(peer_enode.begin(), peer_enode.end(), resp.begin()));
    CHECK(resp.size() == 14 + 2158);

    // An FCoE frame for our VN_Port MAC reaches the receive queue.
    auto plogi = serialize(els_frame(r_ctl::els_request, 0x03, 0x10, our_id, peer_id));
    tap.write_frame(fcoe::encapsulate(fcoe::vn_port_mac(our_id), fcoe::vn_port_mac(peer_id), fcoe::sof::i3,
                                      fcoe::eof::t, plogi.data(), plogi.size()));
    std::vector<frame> rx;
    REQUIRE(eventually([&] { return q->receive(rx, 8) > 0; }));
    CHECK(rx[0].hdr.ox_id == 0x10);
    CHECK(rx[0].payload[0] == 0x03);
    // One with a bad CRC does not.
    auto bad = fcoe::encapsulate(fcoe::vn_port_mac(our_id), fcoe::vn_port_mac(peer_id), fcoe::sof::i3, fcoe::eof::t,
                                 plogi.data(), plogi.size());
    bad[bad.size() - 8] ^= 1;
    tap.write_frame(bad);

    // A FIP-encapsulated FLOGI arrives unwrapped; its reply goes back wrapped.
    fip::link_service_msg ls{fip::ls_sub::request, fip::desc::flogi,
                             serialize(els_frame(r_ctl::els_request, 0x04, 0x11, our_id, peer_id)),
                             fcoe::vn_port_mac(peer_id)};
    auto our_enode = stmfd::io::query_link(tap.name).mac;
    tap.write_frame(fip::frame(our_enode, peer_enode, fip::encode(ls)));
    rx.clear();
    REQUIRE(eventually([&] { return q->receive(rx, 8) > 0; }));
    REQUIRE(rx.size() == 1);  // the corrupted frame was dropped
    CHECK(rx[0].payload[0] == 0x04);
    auto acc = els_frame(r_ctl::els_reply, 0x02, 0x11, peer_id, our_id);
    REQUIRE(q->transmit(std::move(acc), 77));
    std::vector<uint8_t> reply;
    for (int i = 0; i < 6 && reply.empty(); ++i) {
      auto f = tap.next(fcoe::ethertype_fip);
      REQUIRE_FALSE(f.empty());
      auto m = fip::decode(f.data() + 14, f.size() - 14);
      if (m && m->hdr.op == fip::op::link_service) reply = f;
    }
    REQUIRE_FALSE(reply.empty());
    CHECK(std::equal(peer_enode.begin(), peer_enode.end(), reply.begin()));
    auto l = fip::decode_link_service(*fip::decode(reply.data() + 14, reply.size() - 14));
    REQUIRE(l);
    CHECK(l->subcode == fip::ls_sub::reply);
    CHECK(l->els_type == fip::desc::flogi);
    CHECK(l->mac == fcoe::vn_port_mac(our_id));
    std::vector<hba::tx_completion> done;
    REQUIRE(eventually([&] { return q->completions(done, 8) > 0; }));
    CHECK(done[0].cookie == 77);
    CHECK(done[0].ok);

    // Everything else goes out as FCoE between the VN_Port MACs, SOF/EOF
    // from the sequence position.
    frame data;
    data.hdr.r_ctl = r_ctl::fcp_data;
    data.hdr.d_id = peer_id;
    data.hdr.s_id = our_id;
    data.hdr.type = type::fcp;
    data.hdr.f_ctl = f_ctl::exchange_responder | f_ctl::relative_offset;
    data.hdr.seq_cnt = 3;
    data.payload.assign(2112, 0x5A);
    REQUIRE(q->transmit(std::move(data)));
    auto out = tap.next(fcoe::ethertype_fcoe);
    REQUIRE_FALSE(out.empty());
    fcoe::decapsulated d;
    REQUIRE(fcoe::decapsulate(out.data(), out.size(), d) == fcoe::error::none);
    CHECK(d.dst == fcoe::vn_port_mac(peer_id));
    CHECK(d.src == fcoe::vn_port_mac(our_id));
    CHECK(d.sof == fcoe::sof::n3);
    CHECK(d.eof == fcoe::eof::n);
    CHECK(d.fc_len == header_len + 2112);

    // The interface goes down: the link with it, and the peer is lost.
    REQUIRE(tap.set_flags(false));
    REQUIRE(eventually([&] { return !q->link_up(); }));
    std::vector<uint32_t> lost;
    REQUIRE(eventually([&] { return q->lost_peers(lost) > 0; }));
    CHECK(lost == std::vector<uint32_t>{peer_id});
    // And up again: VN2VN claims anew.
    REQUIRE(tap.set_flags(true));
    REQUIRE(eventually([&] { return q->link_up(); }));
    CHECK(q->port_id() == our_id);
    self->send_exit(driver, caf::exit_reason::user_shutdown);
  }
  ring->stop();
}
