// The VN2VN address protocol (FC-BB-6 7.8.7) driven by frames and a clock
// the test owns: probing, claiming, beacons, collisions, peers and aging.
#include <catch2/catch.hpp>

#include "plugins/port/fc/hba/vn2vn.hpp"
#include "wire/fc/bytes.hpp"

using namespace stmfd::fc;
using std::chrono::milliseconds;
using stmfd::fc::hba::vn2vn;

namespace {

const fcoe::mac our_enode{0x02, 0x00, 0x00, 0x00, 0x00, 0x0A};
const fcoe::mac peer_enode{0x52, 0x54, 0x00, 0xFC, 0x00, 0x01};
constexpr uint64_t our_wwpn = 0x20000000C0A8FC01, peer_wwpn = 0x2000525400FC0001;

struct sent {
  fcoe::mac dst{}, src{};
  size_t size = 0;
  fip::vn2vn_msg msg;
};

std::vector<sent> drain(vn2vn& v) {
  std::vector<sent> out;
  for (auto& f : v.take_output()) {
    sent s;
    std::copy(f.begin(), f.begin() + 6, s.dst.begin());
    std::copy(f.begin() + 6, f.begin() + 12, s.src.begin());
    s.size = f.size();
    REQUIRE(get_be16(f.data() + 12) == fcoe::ethertype_fip);
    auto m = fip::decode(f.data() + 14, f.size() - 14);
    REQUIRE(m);
    auto msg = fip::decode_vn2vn(*m);
    REQUIRE(msg);
    s.msg = *msg;
    out.push_back(s);
  }
  return out;
}

hba::vn2vn_config config() {
  hba::vn2vn_config c;
  c.wwpn = our_wwpn;
  c.wwnn = 0x20010000C0A8FC01;
  c.enode = our_enode;
  c.fcoe_size = 2158;
  c.seed = 7;
  return c;
}

fip::message from_peer(uint8_t sub, uint32_t id, uint64_t wwpn = peer_wwpn, uint16_t size = 2158) {
  fip::vn2vn_msg v;
  v.subcode = sub;
  v.enode = peer_enode;
  v.node_name = wwpn - 0x1000000000000000;
  v.vn = {fcoe::vn_port_mac(id), id, wwpn};
  v.fcoe_size = size;
  return fip::encode(v);
}

// Runs the timers until the machine holds its ID and is up; returns the time.
vn2vn::time_point bring_up(vn2vn& v, vn2vn::time_point t) {
  v.start(t);
  for (int i = 0; i < 10 && v.current() != vn2vn::state::up; ++i) {
    t = std::max(t, v.next_deadline());
    v.tick(t);
  }
  REQUIRE(v.current() == vn2vn::state::up);
  return t;
}

}  // namespace

TEST_CASE("start probes twice, claims, then beacons every 8 s", "[fc][vn2vn]") {
  vn2vn v(config());
  vn2vn::time_point t{};
  v.start(t);
  CHECK(v.current() == vn2vn::state::start);
  CHECK(v.port_id() == (our_wwpn & 0xFFFF));  // the first proposal: the port name's low bits
  CHECK(v.next_deadline() - t < milliseconds(100));
  CHECK_FALSE(v.holds_id());
  t = v.next_deadline();
  v.tick(t);
  auto out = drain(v);
  REQUIRE(out.size() == 1);
  CHECK(out[0].msg.subcode == fip::vn2vn_sub::probe_request);
  CHECK(out[0].dst == fip::all_vn2vn_macs);
  CHECK(out[0].src == our_enode);
  CHECK(out[0].msg.vn.port_id == 0xFC01);
  CHECK(out[0].msg.vn.mac == fcoe::vn_port_mac(0xFC01));
  t += milliseconds(100);
  v.tick(t);
  CHECK(drain(v).at(0).msg.subcode == fip::vn2vn_sub::probe_request);
  CHECK(v.current() == vn2vn::state::probe2);
  t += milliseconds(399);
  v.tick(t);
  CHECK(drain(v).empty());  // announce_wait has not passed
  t += milliseconds(1);
  v.tick(t);
  out = drain(v);
  REQUIRE(out.size() == 1);
  CHECK(out[0].msg.subcode == fip::vn2vn_sub::claim_notify);
  CHECK(out[0].msg.fcp);
  CHECK(out[0].msg.fcp_features == fip::fcp_feature::target);
  CHECK(out[0].msg.fcoe_size == 2158);
  CHECK(v.holds_id());
  t += milliseconds(400);
  v.tick(t);
  out = drain(v);
  REQUIRE(out.size() == 1);
  CHECK(out[0].msg.subcode == fip::vn2vn_sub::beacon);
  CHECK(out[0].src == fcoe::vn_port_mac(0xFC01));  // beacons come from the VN_Port's MAC
  CHECK(v.current() == vn2vn::state::up);
  auto next = v.next_deadline();
  CHECK(next - t >= milliseconds(8000));
  CHECK(next - t < milliseconds(8100));
  v.tick(next);
  CHECK(drain(v).at(0).msg.subcode == fip::vn2vn_sub::beacon);
}

TEST_CASE("a claim from another port is answered and makes it a peer, aged out when silent", "[fc][vn2vn]") {
  vn2vn v(config());
  auto t = bring_up(v, {});
  drain(v);
  CHECK(v.on_fip(peer_enode, from_peer(fip::vn2vn_sub::claim_notify, 0x000001), t));
  auto out = drain(v);
  REQUIRE(out.size() == 1);
  CHECK(out[0].msg.subcode == fip::vn2vn_sub::claim_response);
  CHECK(out[0].dst == peer_enode);
  CHECK(out[0].size == 14 + 2158);  // padded to the FCoE size: the path must carry full frames
  REQUIRE(v.peers().count(1) == 1);
  CHECK(v.peers().at(1).wwpn == peer_wwpn);
  CHECK(v.peers().at(1).enode == peer_enode);
  // Beacons keep it; silence for 2.5 beacon intervals ends it.
  t += milliseconds(15000);
  v.on_fip(fcoe::vn_port_mac(1), from_peer(fip::vn2vn_sub::beacon, 1), t);
  t += milliseconds(19000);
  v.tick(t);
  CHECK(v.take_lost().empty());
  t += milliseconds(1000);
  v.tick(t);
  CHECK(v.take_lost() == std::vector<uint32_t>{1});
  CHECK(v.peers().empty());
}

TEST_CASE("a beacon from an unknown port makes us announce ourselves, at most every 400 ms", "[fc][vn2vn]") {
  vn2vn v(config());
  auto t = bring_up(v, {});
  drain(v);
  t += milliseconds(1000);
  v.on_fip(fcoe::vn_port_mac(5), from_peer(fip::vn2vn_sub::beacon, 5), t);
  auto out = drain(v);
  REQUIRE(out.size() == 1);
  CHECK(out[0].msg.subcode == fip::vn2vn_sub::claim_notify);
  v.on_fip(fcoe::vn_port_mac(5), from_peer(fip::vn2vn_sub::beacon, 5), t + milliseconds(100));
  CHECK(drain(v).empty());
  CHECK(v.peers().empty());  // known only once it claims or answers our claim
  v.on_fip(peer_enode, from_peer(fip::vn2vn_sub::claim_response, 5), t + milliseconds(150));
  CHECK(v.peers().count(5) == 1);
}

TEST_CASE("ID collisions: while probing the lesser port name moves, once claimed the ID is defended", "[fc][vn2vn]") {
  SECTION("a probe reply for our proposal makes us propose another ID") {
    vn2vn v(config());
    v.start({});
    v.tick(v.next_deadline());
    drain(v);
    v.on_fip(peer_enode, from_peer(fip::vn2vn_sub::probe_reply, 0xFC01), v.next_deadline());
    CHECK(v.current() == vn2vn::state::start);
    CHECK(v.port_id() != 0xFC01);
    CHECK(v.proposals() == 2);
  }
  SECTION("a probe request for our proposal from a lesser port name is answered") {
    vn2vn v(config());
    v.start({});
    v.tick(v.next_deadline());
    drain(v);
    v.on_fip(peer_enode, from_peer(fip::vn2vn_sub::probe_request, 0xFC01, our_wwpn - 1), v.next_deadline());
    auto out = drain(v);
    REQUIRE(out.size() == 1);
    CHECK(out[0].msg.subcode == fip::vn2vn_sub::probe_reply);
    CHECK(out[0].dst == peer_enode);
    CHECK(v.port_id() == 0xFC01);
  }
  SECTION("a probe request for our proposal from a greater port name makes us move") {
    vn2vn v(config());
    v.start({});
    v.tick(v.next_deadline());
    drain(v);
    v.on_fip(peer_enode, from_peer(fip::vn2vn_sub::probe_request, 0xFC01, our_wwpn + 1), v.next_deadline());
    CHECK(drain(v).empty());
    CHECK(v.port_id() != 0xFC01);
  }
  SECTION("once up, a probe for our ID is answered and a claim by a lesser name is contested") {
    vn2vn v(config());
    auto t = bring_up(v, {});
    drain(v);
    v.on_fip(peer_enode, from_peer(fip::vn2vn_sub::probe_request, 0xFC01, our_wwpn + 1), t);
    CHECK(drain(v).at(0).msg.subcode == fip::vn2vn_sub::probe_reply);
    v.on_fip(peer_enode, from_peer(fip::vn2vn_sub::claim_notify, 0xFC01, our_wwpn - 1), t);
    CHECK(drain(v).at(0).msg.subcode == fip::vn2vn_sub::claim_notify);
    CHECK(v.holds_id());
  }
  SECTION("once up, a claim for our ID by a greater name takes it: peers are lost, we probe again") {
    vn2vn v(config());
    auto t = bring_up(v, {});
    v.on_fip(peer_enode, from_peer(fip::vn2vn_sub::claim_notify, 1), t);
    drain(v);
    v.on_fip(peer_enode, from_peer(fip::vn2vn_sub::claim_notify, 0xFC01, our_wwpn + 1), t);
    CHECK_FALSE(v.holds_id());
    CHECK(v.port_id() != 0xFC01);
    CHECK(v.take_lost() == std::vector<uint32_t>{1});
  }
}

TEST_CASE("a port that claims a peer's ID with another name replaces it; stop loses every peer", "[fc][vn2vn]") {
  vn2vn v(config());
  auto t = bring_up(v, {});
  v.on_fip(peer_enode, from_peer(fip::vn2vn_sub::claim_notify, 7), t);
  v.on_fip(peer_enode, from_peer(fip::vn2vn_sub::claim_notify, 8), t);
  CHECK(v.take_lost().empty());
  v.on_fip(peer_enode, from_peer(fip::vn2vn_sub::claim_notify, 7, peer_wwpn + 5), t);
  CHECK(v.take_lost() == std::vector<uint32_t>{7});
  CHECK(v.peers().at(7).wwpn == peer_wwpn + 5);
  v.stop();
  CHECK(v.current() == vn2vn::state::idle);
  auto lost = v.take_lost();
  std::sort(lost.begin(), lost.end());
  CHECK(lost == std::vector<uint32_t>{7, 8});
  CHECK_FALSE(v.on_fip(peer_enode, from_peer(fip::vn2vn_sub::claim_notify, 9), t));  // idle: ignored
}

TEST_CASE("our own frames and malformed ones are ignored", "[fc][vn2vn]") {
  vn2vn v(config());
  auto t = bring_up(v, {});
  drain(v);
  CHECK_FALSE(v.on_fip(our_enode, from_peer(fip::vn2vn_sub::claim_notify, 3), t));
  CHECK_FALSE(v.on_fip(peer_enode, from_peer(fip::vn2vn_sub::claim_notify, 3, our_wwpn), t));
  auto m = from_peer(fip::vn2vn_sub::claim_notify, 3);
  m.descriptors.pop_back();
  m.descriptors.pop_back();
  m.descriptors.pop_back();  // no VN_Port descriptor
  CHECK_FALSE(v.on_fip(peer_enode, m, t));
  CHECK(drain(v).empty());
  CHECK(v.peers().empty());
}

TEST_CASE("after ten proposals the next waits the rate-limit interval", "[fc][vn2vn]") {
  vn2vn v(config());
  vn2vn::time_point t{};
  v.start(t);
  for (int i = 0; i < 10; ++i) {
    v.tick(v.next_deadline());
    t = v.next_deadline();
    v.on_fip(peer_enode, from_peer(fip::vn2vn_sub::probe_reply, v.port_id()), t);
  }
  CHECK(v.proposals() == 11);
  CHECK(v.next_deadline() - t == milliseconds(10000));
}
