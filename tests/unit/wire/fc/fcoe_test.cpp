// FC-BB-6 FCoE framing and FIP PDUs, with corrupted and truncated frames.
#include <catch2/catch.hpp>

#include <cstring>

#include "wire/fc/fcoe.hpp"
#include "wire/fc/fip.hpp"

using namespace stmfd::fc;

TEST_CASE("the FC CRC is CRC-32/IEEE with the standard check value and residue", "[fc][fcoe]") {
  const char* check = "123456789";
  CHECK(fcoe::fc_crc(reinterpret_cast<const uint8_t*>(check), 9) == 0xCBF43926u);
  // Data followed by its CRC, least significant byte first, leaves the
  // CRC-32 residue: the bit order FCoE puts on the wire.
  std::vector<uint8_t> d = {1, 2, 3, 4, 5, 6, 7, 8};
  uint32_t c = fcoe::fc_crc(d.data(), d.size());
  for (int i = 0; i < 4; ++i) d.push_back(uint8_t(c >> (8 * i)));
  CHECK(fcoe::fc_crc(d.data(), d.size()) == 0x2144DF1Cu);
}

namespace {
std::vector<uint8_t> sample_frame() {
  frame f;
  f.hdr.r_ctl = r_ctl::fcp_data;
  f.hdr.type = type::fcp;
  f.hdr.d_id = 0x0000EF;
  f.payload = {9, 8, 7, 6, 5};
  return serialize(f);
}
const fcoe::mac dst = {0x0E, 0xFD, 0x00, 0x00, 0x00, 0xEF};
const fcoe::mac src = {0x0E, 0xFD, 0x00, 0x00, 0x00, 0xE8};
}  // namespace

TEST_CASE("encapsulate builds header, SOF, CRC and EOF at FC-BB-6 offsets", "[fc][fcoe]") {
  auto fc = sample_frame();
  auto e = fcoe::encapsulate(dst, src, fcoe::sof::i3, fcoe::eof::t, fc.data(), fc.size());
  REQUIRE(e.size() == 14 + 14 + fc.size() + 8);
  CHECK(e[12] == 0x89);
  CHECK(e[13] == 0x06);
  CHECK(e[14] == 0x00);  // version 0
  CHECK(e[27] == fcoe::sof::i3);
  CHECK(std::memcmp(e.data() + 28, fc.data(), fc.size()) == 0);
  CHECK(e[28 + fc.size() + 4] == fcoe::eof::t);
  fcoe::decapsulated d;
  REQUIRE(fcoe::decapsulate(e.data(), e.size(), d) == fcoe::error::none);
  CHECK(d.dst == dst);
  CHECK(d.src == src);
  CHECK(d.sof == fcoe::sof::i3);
  CHECK(d.eof == fcoe::eof::t);
  REQUIRE(d.fc_len == fc.size());
  auto back = parse(d.fc, d.fc_len);
  REQUIRE(back);
  CHECK(back->payload == std::vector<uint8_t>{9, 8, 7, 6, 5});
}

TEST_CASE("decapsulate refuses corrupted FCoE frames", "[fc][fcoe]") {
  auto fc = sample_frame();
  auto good = fcoe::encapsulate(dst, src, fcoe::sof::i3, fcoe::eof::t, fc.data(), fc.size());
  fcoe::decapsulated d;
  auto bad = good;
  bad[30] ^= 0x01;  // a bit flipped in the FC header
  CHECK(fcoe::decapsulate(bad.data(), bad.size(), d) == fcoe::error::bad_crc);
  bad = good;
  bad[27] = 0x11;
  CHECK(fcoe::decapsulate(bad.data(), bad.size(), d) == fcoe::error::bad_sof);
  bad = good;
  bad[bad.size() - 4] = 0x00;
  CHECK(fcoe::decapsulate(bad.data(), bad.size(), d) == fcoe::error::bad_eof);
  bad = good;
  bad[14] = 0x10;
  CHECK(fcoe::decapsulate(bad.data(), bad.size(), d) == fcoe::error::bad_version);
  bad = good;
  bad[13] = 0x14;
  CHECK(fcoe::decapsulate(bad.data(), bad.size(), d) == fcoe::error::not_fcoe);
  CHECK(fcoe::decapsulate(good.data(), 59, d) == fcoe::error::truncated);
  bad = good;
  bad.push_back(0);  // FC frame no longer a whole number of words
  CHECK(fcoe::decapsulate(bad.data(), bad.size(), d) == fcoe::error::not_word_aligned);
  std::vector<uint8_t> big(fcoe::max_frame_len + 4, 0);
  std::copy(good.begin(), good.begin() + 28, big.begin());
  CHECK(fcoe::decapsulate(big.data(), big.size(), d) == fcoe::error::too_long);
}

TEST_CASE("a VN_Port MAC is the FC-MAP and the port ID", "[fc][fcoe]") {
  CHECK(fcoe::vn_port_mac(0x1234EF) == fcoe::mac{0x0E, 0xFD, 0x00, 0x12, 0x34, 0xEF});
}

TEST_CASE("a VN2VN claim notification round trips through FIP", "[fc][fip]") {
  fip::message m;
  m.hdr = {fip::op::vn2vn, fip::vn2vn_sub::claim_notify, fip::flag::fpma};
  m.descriptors.push_back(fip::mac_desc(src));
  m.descriptors.push_back(fip::name_desc(0x1000001122334455));
  m.descriptors.push_back(fip::vn_id_desc({fcoe::vn_port_mac(0x0000E8), 0x0000E8, 0x2000001122334455}));
  m.descriptors.push_back(fip::max_size_desc(2158));
  auto pdu = fip::encode(m);
  REQUIRE(pdu.size() == 10 + 8 + 12 + 20 + 4);
  CHECK(pdu[0] == 0x10);
  CHECK(pdu[3] == 5);
  CHECK(pdu[5] == 3);
  CHECK((pdu[6] << 8 | pdu[7]) == 11);  // descriptor list in words
  CHECK(pdu[10] == fip::desc::mac);
  CHECK(pdu[11] == 2);
  auto back = fip::decode(pdu.data(), pdu.size());
  REQUIRE(back);
  CHECK(*back == m);
  CHECK(*fip::as_mac(*back->find(fip::desc::mac)) == src);
  CHECK(*fip::as_name(*back->find(fip::desc::name)) == 0x1000001122334455);
  auto vn = fip::as_vn_id(*back->find(fip::desc::vn_id));
  REQUIRE(vn);
  CHECK(vn->port_id == 0x0000E8);
  CHECK(vn->port_name == 0x2000001122334455);
  CHECK(*fip::as_max_size(*back->find(fip::desc::max_size)) == 2158);
  auto eth = fip::frame(dst, src, m);
  CHECK(eth[12] == 0x89);
  CHECK(eth[13] == 0x14);
  CHECK(fip::decode(eth.data() + 14, eth.size() - 14));
}

TEST_CASE("a FLOGI travels encapsulated in a FIP descriptor", "[fc][fip]") {
  auto fc = sample_frame();
  fip::message m;
  m.hdr = {fip::op::link_service, fip::ls_sub::request, fip::flag::fpma};
  m.descriptors.push_back(fip::els_desc(fip::desc::flogi, fc));
  auto pdu = fip::encode(m);
  auto back = fip::decode(pdu.data(), pdu.size());
  REQUIRE(back);
  auto inner = fip::as_els(*back->find(fip::desc::flogi));
  REQUIRE(inner);
  CHECK(*inner == fc);
  CHECK_FALSE(fip::as_els(fip::mac_desc(src)));
}

TEST_CASE("malformed FIP PDUs are refused", "[fc][fip]") {
  fip::message m;
  m.descriptors.push_back(fip::mac_desc(src));
  auto good = fip::encode(m);
  CHECK(fip::decode(good.data(), good.size()));
  CHECK_FALSE(fip::decode(good.data(), 9));
  auto bad = good;
  bad[0] = 0x20;  // version 2
  CHECK_FALSE(fip::decode(bad.data(), bad.size()));
  bad = good;
  bad[7] = 9;  // list longer than the frame
  CHECK_FALSE(fip::decode(bad.data(), bad.size()));
  bad = good;
  bad[11] = 0;  // a zero-length descriptor would never advance
  CHECK_FALSE(fip::decode(bad.data(), bad.size()));
  bad = good;
  bad[11] = 3;  // a descriptor running past the list
  CHECK_FALSE(fip::decode(bad.data(), bad.size()));
  bad = good;
  bad[7] = 1;  // a list shorter than its descriptor
  CHECK_FALSE(fip::decode(bad.data(), bad.size()));
}
