// FC-FS-4 9 frame header layout, and frame (de)serialisation with fill bytes.
#include <catch2/catch.hpp>

#include "wire/fc/frame.hpp"

using namespace stmfd::fc;

TEST_CASE("frame header fields sit at their FC-FS-4 offsets", "[fc][frame]") {
  frame_header h;
  h.r_ctl = r_ctl::fcp_cmnd;
  h.d_id = 0x010203;
  h.cs_ctl = 0x04;
  h.s_id = 0x050607;
  h.type = type::fcp;
  h.f_ctl = f_ctl::first_sequence | f_ctl::end_sequence | f_ctl::sequence_initiative;
  h.seq_id = 0x11;
  h.df_ctl = 0;
  h.seq_cnt = 0x1234;
  h.ox_id = 0xABCD;
  h.rx_id = 0xFFFF;
  h.parameter = 0xDEADBEEF;
  uint8_t b[header_len];
  encode(h, b);
  const uint8_t want[header_len] = {0x06, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x29, 0x00, 0x00,
                                    0x11, 0x00, 0x12, 0x34, 0xAB, 0xCD, 0xFF, 0xFF, 0xDE, 0xAD, 0xBE, 0xEF};
  CHECK(std::equal(b, b + header_len, want));
  auto back = decode_header(b, header_len);
  REQUIRE(back);
  CHECK(*back == h);
}

TEST_CASE("a header shorter than 24 bytes is refused", "[fc][frame]") {
  uint8_t b[header_len] = {};
  CHECK_FALSE(decode_header(b, header_len - 1));
  CHECK_FALSE(parse(b, 0));
}

TEST_CASE("serialize pads the payload to a word and records the fill in F_CTL", "[fc][frame]") {
  frame f;
  f.hdr.r_ctl = r_ctl::els_request;
  f.hdr.f_ctl = f_ctl::end_sequence | 0x3;  // stale fill bits are replaced
  f.payload = {1, 2, 3, 4, 5};
  auto bytes = serialize(f);
  REQUIRE(bytes.size() == header_len + 8);
  auto h = decode_header(bytes.data(), bytes.size());
  REQUIRE(h);
  CHECK((h->f_ctl & f_ctl::fill_mask) == 3);
  CHECK((h->f_ctl & f_ctl::end_sequence) != 0);
  auto back = parse(bytes.data(), bytes.size());
  REQUIRE(back);
  CHECK(back->payload == f.payload);
}

TEST_CASE("parse refuses fill beyond the payload and oversized payloads", "[fc][frame]") {
  frame f;
  f.payload = {};
  auto bytes = serialize(f);
  bytes[11] |= 0x2;  // claims two fill bytes, carries no payload
  CHECK_FALSE(parse(bytes.data(), bytes.size()));

  std::vector<uint8_t> big(header_len + max_payload + 4, 0);
  CHECK_FALSE(parse(big.data(), big.size()));
  big.resize(header_len + max_payload);
  CHECK(parse(big.data(), big.size()));

  frame huge;
  huge.payload.assign(max_payload + 1, 0);
  CHECK(serialize(huge).empty());
}
