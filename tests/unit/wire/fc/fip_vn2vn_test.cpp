// The VN2VN FIP messages and the FIP link service encapsulation (FC-BB-6
// 7.8.5, 7.8.7), at their byte offsets, and what the decoders refuse.
#include <catch2/catch.hpp>

#include "wire/fc/fip_vn2vn.hpp"

using namespace stmfd::fc;

namespace {

const fcoe::mac enode{0x52, 0x54, 0x00, 0xFC, 0x00, 0x01};

fip::vn2vn_msg claim() {
  fip::vn2vn_msg v;
  v.subcode = fip::vn2vn_sub::claim_notify;
  v.enode = enode;
  v.node_name = 0x1000525400FC0001;
  v.vn = {fcoe::vn_port_mac(0x000001), 0x000001, 0x2000525400FC0001};
  v.fcoe_size = 2158;
  v.fcp = true;
  v.fcp_features = fip::fcp_feature::initiator;
  return v;
}

std::vector<uint8_t> bytes_of(const fip::message& m) { return fip::encode(m); }

}  // namespace

TEST_CASE("a claim notification carries MAC, name, VN_Port, FC-4 features and size in order", "[fc][fip][vn2vn]") {
  auto pdu = bytes_of(fip::encode(claim()));
  // Header 10, MAC 8, name 12, VN_Port 20, FC-4 features 164, size 4.
  REQUIRE(pdu.size() == 10 + 8 + 12 + 20 + 164 + 4);
  CHECK((pdu[2] << 8 | pdu[3]) == fip::op::vn2vn);
  CHECK(pdu[5] == fip::vn2vn_sub::claim_notify);
  CHECK((pdu[6] << 8 | pdu[7]) == (8 + 12 + 20 + 164 + 4) / 4);
  size_t ff = 10 + 8 + 12 + 20;
  CHECK(pdu[ff] == fip::desc::fc4_features);
  CHECK(pdu[ff + 1] == 41);
  CHECK(pdu[ff + 4 + 2] == 0x01);           // type 08h: bit 8 of the type map's first word
  CHECK(pdu[ff + 4 + 32 + 4 + 3] == 0x02);  // its features: the low nibble of the second feature word
  CHECK(pdu[ff + 164] == fip::desc::max_size);
  CHECK((pdu[ff + 166] << 8 | pdu[ff + 167]) == 2158);
  auto back = fip::decode(pdu.data(), pdu.size());
  REQUIRE(back);
  auto v = fip::decode_vn2vn(*back);
  REQUIRE(v);
  CHECK(*v == claim());
}

TEST_CASE("probes and beacons carry only MAC, name and VN_Port", "[fc][fip][vn2vn]") {
  for (uint8_t sub : {fip::vn2vn_sub::probe_request, fip::vn2vn_sub::probe_reply, fip::vn2vn_sub::beacon}) {
    auto c = claim();
    c.subcode = sub;
    auto m = fip::encode(c);
    CHECK(m.descriptors.size() == 3);
    auto v = fip::decode_vn2vn(m);
    REQUIRE(v);
    CHECK(v->vn == c.vn);
    CHECK(v->fcoe_size == 0);
    CHECK_FALSE(v->fcp);
  }
}

TEST_CASE("malformed VN2VN messages are refused", "[fc][fip][vn2vn]") {
  auto good = fip::encode(claim());
  REQUIRE(fip::decode_vn2vn(good));
  auto bad = good;
  bad.descriptors.erase(bad.descriptors.begin() + 2);  // no VN_Port descriptor
  CHECK_FALSE(fip::decode_vn2vn(bad));
  bad = good;
  bad.descriptors.push_back(fip::mac_desc(enode));  // a critical descriptor twice
  CHECK_FALSE(fip::decode_vn2vn(bad));
  bad = good;
  bad.descriptors[1].value.pop_back();  // a name of the wrong length
  CHECK_FALSE(fip::decode_vn2vn(bad));
  bad = good;
  bad.descriptors[0] = fip::mac_desc({0x01, 0x10, 0x18, 0x01, 0x00, 0x04});  // a multicast ENode MAC
  CHECK_FALSE(fip::decode_vn2vn(bad));
  bad = good;
  bad.hdr.subcode = 9;
  CHECK_FALSE(fip::decode_vn2vn(bad));
  bad = good;
  bad.descriptors.push_back({fip::desc::fabric, std::vector<uint8_t>(14, 0)});  // unknown here and critical
  CHECK_FALSE(fip::decode_vn2vn(bad));
  auto probe = claim();
  probe.subcode = fip::vn2vn_sub::probe_request;
  bad = fip::encode(probe);
  bad.descriptors.push_back(fip::max_size_desc(2158));  // size belongs to claims only
  CHECK_FALSE(fip::decode_vn2vn(bad));
  auto skipped = good;
  skipped.descriptors.push_back({200, std::vector<uint8_t>(6, 0)});  // non-critical: skipped
  CHECK(fip::decode_vn2vn(skipped));
}

TEST_CASE("an encapsulated FLOGI and its accept round trip", "[fc][fip][ls]") {
  std::vector<uint8_t> inner(header_len + 116, 0);
  inner[0] = r_ctl::els_request;
  inner[header_len] = 0x04;  // FLOGI
  fip::link_service_msg l{fip::ls_sub::request, fip::desc::flogi, inner, fcoe::vn_port_mac(1)};
  auto m = fip::encode(l);
  auto pdu = fip::encode(m);
  CHECK((pdu[2] << 8 | pdu[3]) == fip::op::link_service);
  CHECK(pdu[10] == fip::desc::flogi);
  CHECK(pdu[11] == (4 + inner.size()) / 4);
  CHECK(pdu[14] == r_ctl::els_request);  // after the descriptor header and two reserved bytes
  auto back = fip::decode_link_service(*fip::decode(pdu.data(), pdu.size()));
  REQUIRE(back);
  CHECK(back->els_type == fip::desc::flogi);
  CHECK(back->fc == inner);
  CHECK(back->mac == fcoe::vn_port_mac(1));
}

TEST_CASE("malformed link service PDUs are refused; an LS_RJT needs no MAC", "[fc][fip][ls]") {
  std::vector<uint8_t> inner(header_len + 4, 0);
  inner[header_len] = 0x02;  // LS_ACC
  fip::link_service_msg l{fip::ls_sub::reply, fip::desc::flogi, inner, std::nullopt};
  CHECK_FALSE(fip::decode_link_service(fip::encode(l)));  // an accept without the MAC descriptor
  inner[header_len] = 0x01;                               // LS_RJT
  l.fc = inner;
  CHECK(fip::decode_link_service(fip::encode(l)));
  l.mac = enode;
  auto m = fip::encode(l);
  std::swap(m.descriptors[0], m.descriptors[1]);  // the frame must come first
  CHECK_FALSE(fip::decode_link_service(m));
  m = fip::encode(l);
  m.descriptors[0].value.resize(2 + header_len);  // a header and no payload
  CHECK_FALSE(fip::decode_link_service(m));
  m = fip::encode(l);
  m.hdr.op = fip::op::vn2vn;
  CHECK_FALSE(fip::decode_link_service(m));
  m = fip::encode(l);
  m.descriptors.push_back(fip::name_desc(1));  // a critical descriptor that does not belong
  CHECK_FALSE(fip::decode_link_service(m));
}
