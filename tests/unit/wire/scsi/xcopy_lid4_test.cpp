// EXTENDED COPY(LID4) parameter lists and RECEIVE COPY STATUS(LID4)
// (wire/scsi/xcopy.hpp; SPC-4 6.4, RECEIVE COPY STATUS(LID4)): the 48-byte
// header's fixed fields each refused at their byte, the four-byte list
// identifier, the descriptors parsed as for LID1, and the status reply.
#include <catch2/catch.hpp>

#include <vector>

#include "tests/unit/wire/scsi/xcopy_lists.hpp"
#include "wire/scsi/cdb.hpp"
#include "wire/scsi/xcopy.hpp"

using namespace stmfd::scsi;
using namespace stmfd::scsi::xcopy;
using namespace stmfd::test::xcopy_lists;

namespace {

// A LID4 list: header, one CSCD, `segments` block to block segments.
bytes lid4_list(uint32_t list_id, uint8_t flags = 0, size_t segments = 1, uint16_t inline_len = 0) {
  bytes out(48, 0);
  out[0] = 0x01;  // PARAMETER LIST FORMAT
  out[1] = flags;
  put(out, 2, 0x20, 2);  // HEADER CSCD DESCRIPTOR LIST LENGTH
  out[16] = 0xFF;        // HEADER CSCD DESCRIPTOR TYPE CODE
  put(out, 20, list_id, 4);
  put(out, 42, 32, 2);
  put(out, 44, 28 * segments, 2);
  put(out, 46, inline_len, 2);
  const bytes c = cscd_e4();
  out.insert(out.end(), c.begin(), c.end());
  for (size_t i = 0; i < segments; ++i) {
    const bytes s = segment_b2b(0, 0, uint16_t(8 + i), i * 8, 1000 + i * 8);
    out.insert(out.end(), s.begin(), s.end());
  }
  out.resize(out.size() + inline_len, 0);
  return out;
}

parse_result parse(const bytes& b) { return parse_extended_copy_lid4(uint32_t(b.size()), b.data(), b.size()); }

// The field pointer of an INVALID FIELD IN PARAMETER LIST, as byte*8+bit (bit 7 when the whole byte).
int field_of(const parse_result& r) {
  REQUIRE(r.error);
  REQUIRE(r.error->code == sense::invalid_field_in_parameter_list());
  REQUIRE(r.error->field);
  CHECK_FALSE(r.error->field->in_cdb);
  return r.error->field->byte * 8 + (r.error->field->bit < 0 ? 7 : r.error->field->bit);
}

}  // namespace

TEST_CASE("xcopy_lid4_parses_header_and_descriptors", "[scsi][xcopy][lid4]") {
  const auto r = parse(lid4_list(0x01020304, 0x10 | 0x03, 2));  // LIST ID USAGE 10b, PRIORITY 3
  REQUIRE(r.list);
  CHECK_FALSE(r.error);
  CHECK(r.list->lid4);
  CHECK(r.list->list_id == 0x01020304);
  CHECK(r.list->usage == list_id_usage::no_hold);
  CHECK(r.list->priority == 3);
  REQUIRE(r.list->cscds.size() == 1);
  CHECK(r.list->cscds[0].offset == 48);
  CHECK(r.list->cscds[0].block_length == 512);
  REQUIRE(r.list->segments.size() == 2);
  CHECK(r.list->segments[0].offset == 80);
  CHECK(r.list->segments[1].offset == 108);
  CHECK(r.list->segments[1].blocks == 9);
  CHECK(r.list->segments[1].destination_lba == 1008);
}

TEST_CASE("xcopy_lid4_cdb_selects_the_parser", "[scsi][xcopy][lid4]") {
  const bytes l4 = lid4_list(7);
  uint8_t cdb[16] = {0x83, 0x01};
  put_be32(cdb + 10, uint32_t(l4.size()));
  auto r = parse_extended_copy_cdb(cdb, l4.data(), l4.size());
  REQUIRE(r.list);
  CHECK(r.list->lid4);
  CHECK(r.list->list_id == 7);
  // The same bytes as a LID1 list (service action 00h) are not a valid list.
  cdb[1] = 0x00;
  r = parse_extended_copy_cdb(cdb, l4.data(), l4.size());
  CHECK_FALSE(r.list);
  CHECK(r.error);
  // PARAMETER LIST LENGTH 0: nothing to copy, no error.
  cdb[1] = 0x01;
  put_be32(cdb + 10, 0);
  r = parse_extended_copy_cdb(cdb, nullptr, 0);
  CHECK_FALSE(r.list);
  CHECK_FALSE(r.error);
}

TEST_CASE("xcopy_lid4_header_fields_are_checked_at_their_byte", "[scsi][xcopy][lid4]") {
  bytes b = lid4_list(1);
  b[0] = 0x00;  // PARAMETER LIST FORMAT other than 01h
  CHECK(field_of(parse(b)) == 0 * 8 + 7);
  b = lid4_list(1);
  put(b, 2, 0x1C, 2);  // HEADER CSCD DESCRIPTOR LIST LENGTH other than 0020h
  CHECK(field_of(parse(b)) == 2 * 8 + 7);
  b = lid4_list(1);
  b[16] = 0xE4;  // HEADER CSCD DESCRIPTOR TYPE CODE other than FFh
  CHECK(field_of(parse(b)) == 16 * 8 + 7);
  b = lid4_list(1);
  b[15] = 0x01;  // IMMED
  CHECK(field_of(parse(b)) == 15 * 8 + 0);
  b = lid4_list(1);
  b[15] = 0x02;  // G_SENSE
  CHECK(field_of(parse(b)) == 15 * 8 + 1);
  CHECK(field_of(parse(lid4_list(1, 0x08))) == 1 * 8 + 4);   // LIST ID USAGE 01b: reserved
  CHECK(field_of(parse(lid4_list(1, 0x18))) == 20 * 8 + 7);  // 11b with a list identifier
  CHECK(parse(lid4_list(0, 0x18)).list);
}

TEST_CASE("xcopy_lid4_lengths", "[scsi][xcopy][lid4]") {
  const bytes full = lid4_list(1, 0, 2);
  for (size_t cut : {size_t(20), size_t(47), size_t(48 + 31), full.size() - 1}) {
    const bytes b(full.begin(), full.begin() + long(cut));
    const auto r = parse(b);
    REQUIRE(r.error);
    CHECK(r.error->code == sense::parameter_list_length_error());
  }
  // Fewer bytes received than PARAMETER LIST LENGTH.
  auto r = parse_extended_copy_lid4(uint32_t(full.size()), full.data(), full.size() - 1);
  REQUIRE(r.error);
  CHECK(r.error->code == sense::parameter_list_length_error());
  // Inline data is not supported.
  r = parse(lid4_list(1, 0, 1, 4));
  REQUIRE(r.error);
  CHECK(r.error->code == sense::inline_data_length_exceeded());
  // A segment list ending inside a descriptor points at its length field.
  bytes b = lid4_list(1);
  put(b, 44, 30, 2);
  b.resize(b.size() + 2, 0);
  CHECK(field_of(parse(b)) == 44 * 8 + 7);
  // Too many segments, as for LID1.
  r = parse(lid4_list(1, 0, max_segment_descriptors + 1));
  REQUIRE(r.error);
  CHECK(r.error->code == sense::too_many_segment_descriptors());
}

TEST_CASE("xcopy_lid4_receive_copy_status_cdb_and_reply", "[scsi][xcopy][lid4]") {
  const uint8_t cdb[16] = {0x84, 0x05, 0x11, 0x22, 0x33, 0x44, 0, 0, 0, 0, 0, 0, 0x01, 0x00, 0, 0};
  const auto d = decode_receive_copy_results(cdb);
  CHECK(d.service_action == sa_copy_status_lid4);
  CHECK(d.list_id == 0x11223344u);
  CHECK(d.alloc_len == 256);

  copy_status s;
  s.status = copy_status::state::completed;
  s.segments_processed = 2;
  s.bytes = uint64_t(6) << 32;  // eight bytes: no units needed
  uint8_t out[64] = {};
  REQUIRE(build_copy_status_lid4(s, status::good, nullptr, 0, out, sizeof out) == 32);
  CHECK(get_be32(out) == 28);  // AVAILABLE DATA
  CHECK(out[4] == sa_copy_status_lid4);
  CHECK(out[5] == 0x01);  // completed without errors
  CHECK(out[12] == status::good);
  CHECK(out[13] == 0);
  CHECK(out[15] == 0);  // bytes
  CHECK(get_be64(out + 16) == uint64_t(6) << 32);
  CHECK(get_be16(out + 24) == 2);

  const uint8_t sense[18] = {0x70, 0, 0x0A, 0, 0, 0, 0, 10};
  s.status = copy_status::state::failed;
  REQUIRE(build_copy_status_lid4(s, status::check_condition, sense, sizeof sense, out, sizeof out) == 32 + 18);
  CHECK(get_be32(out) == 28 + 18);
  CHECK(out[5] == 0x02);  // completed with errors
  CHECK(out[12] == status::check_condition);
  CHECK(out[13] == 18);
  CHECK(out[14] == 18);
  CHECK(out[32] == 0x70);
  CHECK(out[34] == 0x0A);

  s.status = copy_status::state::in_progress;
  build_copy_status_lid4(s, status::check_condition, nullptr, 0, out, sizeof out);
  CHECK(out[5] == 0x10);  // in progress, foreground
  CHECK(out[12] == 0);    // no completion status yet
  uint8_t small[8] = {};
  CHECK(build_copy_status_lid4(s, 0, nullptr, 0, small, sizeof small) == 8);  // cut to the allocation length
}

TEST_CASE("xcopy_accepted_lists_are_told_apart_by_their_header", "[scsi][xcopy][lid4]") {
  const bytes l4 = lid4_list(0x01000002, 0, 1);
  auto r = parse_accepted_list(l4.data(), l4.size());
  REQUIRE(r.list);
  CHECK(r.list->lid4);
  CHECK(r.list->list_id == 0x01000002);
  // A LID1 list with list identifier 1 and one CSCD (bytes 0-3 as a LID4
  // header's): byte 16 is its CSCD's type, E4h, so it stays LID1.
  bytes l1(16, 0);
  l1[0] = 0x01;
  put(l1, 2, 32, 2);
  put(l1, 8, 28, 4);
  const bytes c = cscd_e4(), s = segment_b2b(0, 0, 8, 0, 8);
  l1.insert(l1.end(), c.begin(), c.end());
  l1.insert(l1.end(), s.begin(), s.end());
  r = parse_accepted_list(l1.data(), l1.size());
  REQUIRE(r.list);
  CHECK_FALSE(r.list->lid4);
  CHECK(r.list->list_id == 1);
  REQUIRE(r.list->segments.size() == 1);
  CHECK(r.list->segments[0].offset == 48);
}
