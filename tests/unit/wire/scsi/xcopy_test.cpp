// EXTENDED COPY (LID1) parameter list parser and the RECEIVE COPY RESULTS /
// VPD 8Fh encoders (wire/scsi/xcopy.hpp, SPC-4 6.3, 6.18, 7.8.17).
#include <catch2/catch.hpp>

#include <vector>

#include "tests/unit/wire/scsi/xcopy_lists.hpp"
#include "wire/scsi/xcopy.hpp"

using namespace stmfd::scsi;
using namespace stmfd::scsi::xcopy;
using namespace stmfd::test::xcopy_lists;

namespace {

struct list_builder {
  uint8_t list_id = 1;
  uint8_t flags = 0;  // STR, LIST ID USAGE, PRIORITY
  std::vector<bytes> cscds, segments;
  uint32_t inline_len = 0;
  bytes build() const {
    bytes out(16, 0);
    out[0] = list_id;
    out[1] = flags;
    size_t c = 0, s = 0;
    for (auto& d : cscds) c += d.size();
    for (auto& d : segments) s += d.size();
    put(out, 2, c, 2);
    put(out, 8, s, 4);
    put(out, 12, inline_len, 4);
    for (auto& d : cscds) out.insert(out.end(), d.begin(), d.end());
    for (auto& d : segments) out.insert(out.end(), d.begin(), d.end());
    out.resize(out.size() + inline_len, 0);
    return out;
  }
};

parse_result parse(const bytes& b) { return parse_extended_copy(uint32_t(b.size()), b.data(), b.size()); }

sense_code code_of(const parse_result& r) {
  REQUIRE(r.error);
  return r.error->code;
}

list_builder one_segment() {
  list_builder l;
  l.cscds.push_back(cscd_e4());
  l.segments.push_back(segment_b2b(0, 0, 2048, 0, 4096));
  return l;
}

}  // namespace

TEST_CASE("xcopy_parses_one_cscd_one_segment", "[scsi][xcopy]") {
  auto l = one_segment();
  l.flags = 0x10;  // LIST ID USAGE 10b
  const auto r = parse(l.build());
  REQUIRE(r.list);
  CHECK_FALSE(r.error);
  CHECK(r.list->list_id == 1);
  CHECK(r.list->usage == list_id_usage::no_hold);
  REQUIRE(r.list->cscds.size() == 1);
  CHECK(r.list->cscds[0].designator_type == 3);
  CHECK(r.list->cscds[0].designator_len == 16);
  CHECK(r.list->cscds[0].block_length == 512);
  CHECK(r.list->cscds[0].offset == 16);
  REQUIRE(r.list->segments.size() == 1);
  CHECK(r.list->segments[0].blocks == 2048);
  CHECK(r.list->segments[0].destination_lba == 4096);
  CHECK(r.list->segments[0].offset == 48);
}

TEST_CASE("xcopy_zero_length_is_nothing_to_do", "[scsi][xcopy]") {
  const auto r = parse_extended_copy(0, nullptr, 0);
  CHECK_FALSE(r.list);
  CHECK_FALSE(r.error);
}

TEST_CASE("xcopy_truncated_lists_are_parameter_list_length_errors", "[scsi][xcopy]") {
  const bytes full = one_segment().build();
  // libiscsi ExtendedCopy.ParamHdr: cut inside the CSCD, then inside the segment.
  for (size_t cut : {size_t(16 + 31), size_t(16 + 32 + 27), size_t(10)}) {
    const bytes b(full.begin(), full.begin() + long(cut));
    CHECK(code_of(parse(b)) == sense::parameter_list_length_error());
  }
  // Fewer bytes arrived than PARAMETER LIST LENGTH says.
  CHECK(code_of(parse_extended_copy(uint32_t(full.size()), full.data(), full.size() - 1)) ==
        sense::parameter_list_length_error());
}

TEST_CASE("xcopy_descriptor_list_beyond_maximum_is_length_error", "[scsi][xcopy]") {
  list_builder l;
  for (int i = 0; i < max_cscd_descriptors + 1; ++i) l.cscds.push_back(cscd_e4());
  while (l.cscds.size() * 32 + l.segments.size() * 28 <= max_descriptor_list_length)
    l.segments.push_back(segment_b2b(0, 0, 1, 0, 1));
  // Checked before the counts (libiscsi ExtendedCopy.DescrLimits).
  CHECK(code_of(parse(l.build())) == sense::parameter_list_length_error());
}

TEST_CASE("xcopy_too_many_cscds_and_segments", "[scsi][xcopy]") {
  list_builder l;
  for (int i = 0; i < max_cscd_descriptors + 1; ++i) l.cscds.push_back(cscd_e4());
  l.segments.push_back(segment_b2b(0, 0, 1, 0, 1));
  CHECK(code_of(parse(l.build())) == sense::too_many_target_descriptors());

  list_builder m;
  m.cscds.push_back(cscd_e4());
  for (int i = 0; i < max_segment_descriptors + 1; ++i) m.segments.push_back(segment_b2b(0, 0, 1, 0, 1));
  CHECK(code_of(parse(m.build())) == sense::too_many_segment_descriptors());
  m.segments.pop_back();
  CHECK(parse(m.build()).list);  // exactly the maximum is fine
}

TEST_CASE("xcopy_unsupported_descriptor_types", "[scsi][xcopy]") {
  auto l = one_segment();
  l.cscds[0][0] = 0xE0;  // Fibre Channel N_Port_Name
  CHECK(code_of(parse(l.build())) == sense::unsupported_target_descriptor_type());
  auto m = one_segment();
  m.segments[0][0] = 0x03;  // stream to stream
  CHECK(code_of(parse(m.build())) == sense::unsupported_segment_descriptor_type());
}

TEST_CASE("xcopy_field_errors_point_into_the_list", "[scsi][xcopy]") {
  auto l = one_segment();
  l.flags = 0x08;  // LIST ID USAGE 01b: reserved
  auto r = parse(l.build());
  CHECK(code_of(r) == sense::invalid_field_in_parameter_list());
  REQUIRE(r.error->field);
  CHECK_FALSE(r.error->field->in_cdb);
  CHECK(r.error->field->byte == 1);
  CHECK(r.error->field->bit == 4);

  auto m = one_segment();
  m.flags = 0x18;  // 11b with a list identifier
  r = parse(m.build());
  CHECK(code_of(r) == sense::invalid_field_in_parameter_list());
  CHECK(r.error->field->byte == 0);
  m.list_id = 0;
  CHECK(parse(m.build()).list);

  auto n = one_segment();
  put(n.segments[0], 2, 0x1C, 2);  // a block to block segment is 18h bytes after its header
  n.segments[0].resize(32, 0);
  r = parse(n.build());
  CHECK(code_of(r) == sense::invalid_field_in_parameter_list());
  CHECK(r.error->field->byte == 16 + 32 + 2);

  auto o = one_segment();
  o.cscds[0][7] = 21;  // a designator longer than the descriptor holds
  r = parse(o.build());
  CHECK(code_of(r) == sense::invalid_field_in_parameter_list());
  CHECK(r.error->field->byte == 16 + 7);
}

TEST_CASE("xcopy_inline_data_is_refused", "[scsi][xcopy]") {
  auto l = one_segment();
  l.inline_len = 4;
  CHECK(code_of(parse(l.build())) == sense::inline_data_length_exceeded());
}

TEST_CASE("xcopy_receive_copy_results_cdb", "[scsi][xcopy]") {
  const uint8_t cdb[16] = {0x84, 0x03, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x04, 0x00, 0, 0};
  const auto d = decode_receive_copy_results(cdb);
  CHECK(d.service_action == sa_operating_parameters);
  CHECK(d.list_id == 7);
  CHECK(d.alloc_len == 1024);
}

TEST_CASE("xcopy_copy_status_units", "[scsi][xcopy]") {
  copy_status s;
  s.status = copy_status::state::completed;
  s.segments_processed = 3;
  s.bytes = 1u << 20;
  uint8_t out[12];
  REQUIRE(build_copy_status(s, out, sizeof out) == 12);
  CHECK(out[3] == 8);     // AVAILABLE DATA
  CHECK(out[4] == 0x01);  // completed
  CHECK(out[6] == 3);
  CHECK(out[7] == 0);  // bytes
  CHECK(out[9] == 0x10);
  s.bytes = uint64_t(5) << 32;
  build_copy_status(s, out, sizeof out);
  CHECK(out[7] == 1);  // kibibytes
  CHECK((uint32_t(out[8]) << 24 | uint32_t(out[9]) << 16 | uint32_t(out[10]) << 8 | out[11]) == (5u << 22));
}

TEST_CASE("xcopy_operating_parameters_report_the_limits", "[scsi][xcopy]") {
  uint8_t out[64] = {};
  const size_t n = build_operating_parameters(out, sizeof out);
  REQUIRE(n == 46);
  CHECK(out[3] == 42);  // AVAILABLE DATA
  CHECK((out[8] << 8 | out[9]) == max_cscd_descriptors);
  CHECK((out[10] << 8 | out[11]) == max_segment_descriptors);
  CHECK((uint32_t(out[14]) << 8 | out[15]) == max_descriptor_list_length);
  CHECK(out[43] == 2);
  CHECK(out[44] == 0x02);
  CHECK(out[45] == 0xE4);
  uint8_t small[8];
  CHECK(build_operating_parameters(small, sizeof small) == 8);  // cut to the allocation length
}

TEST_CASE("xcopy_failed_segment_details_carries_the_sense", "[scsi][xcopy]") {
  const uint8_t sense[18] = {0x70, 0, 0x0A};
  uint8_t out[96] = {};
  REQUIRE(build_failed_segment_details(true, sense, sizeof sense, out, sizeof out) == 60 + 18);
  CHECK(out[3] == 56 + 18);
  CHECK(out[56] == 0x02);
  CHECK(out[59] == 18);
  CHECK(out[62] == 0x0A);
  CHECK(build_failed_segment_details(false, sense, sizeof sense, out, sizeof out) == 60);
  CHECK(out[3] == 0);
}

TEST_CASE("xcopy_third_party_copy_vpd_page_walks", "[scsi][xcopy]") {
  uint8_t out[256] = {};
  byte_writer w(out, sizeof out);
  put_third_party_copy_page(w, 0x00);
  const size_t len = w.written();
  REQUIRE(out[1] == 0x8F);
  REQUIRE(size_t(out[2] << 8 | out[3]) + 4 == len);
  // Walk the descriptors as an initiator does; find RECEIVE COPY RESULTS'
  // COPY STATUS in Supported Commands.
  std::vector<uint16_t> types;
  bool copy_status_listed = false;
  for (size_t at = 4; at < len;) {
    const uint16_t type = uint16_t(out[at] << 8 | out[at + 1]), dlen = uint16_t(out[at + 2] << 8 | out[at + 3]);
    CHECK(dlen % 4 == 0);
    types.push_back(type);
    if (type == 0x0001)
      for (size_t c = at + 5; c < at + 5 + out[at + 4];) {
        if (out[c] == 0x84)
          for (size_t k = 0; k < out[c + 1]; ++k) copy_status_listed |= out[c + 2 + k] == sa_copy_status;
        c += 2 + out[c + 1];
      }
    at += 4 + dlen;
  }
  CHECK(types == std::vector<uint16_t>{0x0001, 0x0004, 0x0008, 0x000C, 0x8001});
  CHECK(copy_status_listed);
}

TEST_CASE("xcopy_sense_carries_command_specific_information", "[scsi][xcopy][sense]") {
  sense_info s = plain(sense::copy_aborted());
  s.command_specific = 3;
  uint8_t fixed[32] = {};
  REQUIRE(build_sense(s, false, fixed, sizeof fixed) == fixed_sense_len);
  CHECK(fixed[2] == 0x0A);
  CHECK(fixed[11] == 3);
  uint8_t desc[32] = {};
  const size_t n = build_sense(s, true, desc, sizeof desc);
  REQUIRE(n == 8 + 12);
  CHECK(desc[8] == 0x01);  // command-specific information descriptor
  CHECK(desc[19] == 3);
}
