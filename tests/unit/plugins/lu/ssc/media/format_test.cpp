#include <catch2/catch.hpp>

#include "plugins/lu/ssc/media/format.hpp"

using namespace stmfd::ssc::media;

TEST_CASE("cartridge header round-trips and rejects damage", "[ssc][media]") {
  header h;
  h.capacity = 123456789;
  h.load_count = 7;
  h.write_protect = true;
  h.barcode = "ABC123L6";
  uint8_t b[header_copy_len];
  encode_header(h, b);
  auto d = decode_header(b);
  REQUIRE(d);
  CHECK(d->capacity == 123456789);
  CHECK(d->load_count == 7);
  CHECK(d->write_protect);
  CHECK(d->barcode == "ABC123L6");
  CHECK(d->version == format_version);

  SECTION("a flipped bit fails the CRC") {
    b[20] ^= 0x01;
    CHECK_FALSE(decode_header(b));
  }
  SECTION("another magic is not a cartridge") {
    b[0] = 'X';
    CHECK_FALSE(decode_header(b));
  }
}

TEST_CASE("record tags: lead and trail are told apart and must agree", "[ssc][media]") {
  record_tag t;
  t.type = record_type::data;
  t.length = 10;
  t.payload_crc = 0xDEADBEEF;
  t.epoch = (uint64_t(3) << 32) | 2;
  t.object = 42;
  uint8_t lead[tag_len], trail[tag_len];
  encode_tag(t, tag_kind::lead, lead);
  encode_tag(t, tag_kind::trail, trail);
  auto l = decode_tag(lead, tag_kind::lead);
  auto r = decode_tag(trail, tag_kind::trail);
  REQUIRE(l);
  REQUIRE(r);
  CHECK(same_record(*l, *r));
  CHECK(l->object == 42);
  CHECK(l->epoch == t.epoch);
  CHECK_FALSE(decode_tag(lead, tag_kind::trail));
  CHECK_FALSE(decode_tag(trail, tag_kind::lead));
  lead[9] ^= 0x80;
  CHECK_FALSE(decode_tag(lead, tag_kind::lead));

  record_tag fm = t;
  fm.type = record_type::filemark;  // a filemark never has a payload
  encode_tag(fm, tag_kind::lead, lead);
  CHECK_FALSE(decode_tag(lead, tag_kind::lead));
  fm.length = 0;
  fm.payload_crc = 0;
  encode_tag(fm, tag_kind::lead, lead);
  REQUIRE(decode_tag(lead, tag_kind::lead));
  CHECK_FALSE(same_record(*decode_tag(lead, tag_kind::lead), *r));
}
