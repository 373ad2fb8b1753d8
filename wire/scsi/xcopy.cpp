#include "wire/scsi/xcopy.hpp"

#include <algorithm>

#include "wire/scsi/cdb.hpp"
#include "wire/scsi/vpd.hpp"

namespace stmfd::scsi::xcopy {

namespace {

constexpr auto be16 = get_be16;
constexpr auto be32 = get_be32;
constexpr auto be64 = get_be64;
uint32_t be24(const uint8_t* p) { return uint32_t(p[0]) << 16 | uint32_t(p[1]) << 8 | p[2]; }

parse_result fail(sense_code c) { return {std::nullopt, plain(c)}; }
parse_result fail(sense_info s) { return {std::nullopt, s}; }

// SPC-4 6.3.6.2: identification descriptor (E4h) at data[at].
std::optional<sense_info> parse_cscd(const uint8_t* d, uint32_t at, cscd& out) {
  out.offset = at;
  out.peripheral_type = d[1] & 0x1F;  // LU ID TYPE and NUL are obsolete in SPC-4: ignored
  out.code_set = d[4] & 0x0F;
  out.association = (d[5] >> 4) & 0x03;
  out.designator_type = d[5] & 0x0F;
  out.designator_len = d[7];
  if (out.designator_len > sizeof out.designator) return invalid_param_field(uint16_t(at + 7));
  std::copy_n(d + 8, out.designator_len, out.designator);
  out.block_length = be24(d + 29);  // device type specific parameters, block devices
  return std::nullopt;
}

}  // namespace

parse_result parse_extended_copy(uint32_t param_len, const uint8_t* data, size_t len) {
  if (param_len == 0) return {};  // SPC-4 6.3.1: not an error, nothing copied
  if (len < param_len || param_len < header_len) return fail(sense::parameter_list_length_error());
  const uint32_t cscd_bytes = be16(data + 2), seg_bytes = be32(data + 8), inline_bytes = be32(data + 12);
  if (uint64_t(cscd_bytes) + seg_bytes > max_descriptor_list_length) return fail(sense::parameter_list_length_error());
  if (inline_bytes > max_inline_data_length) return fail(sense::inline_data_length_exceeded());
  if (header_len + uint64_t(cscd_bytes) + seg_bytes + inline_bytes > param_len)
    return fail(sense::parameter_list_length_error());

  parameter_list list;
  list.list_id = data[0];
  list.usage = list_id_usage((data[1] >> 3) & 0x03);
  list.priority = data[1] & 0x07;
  if (list.usage == list_id_usage::reserved) return fail(invalid_param_field(1, 4));
  // 11b: no list identifier; the field must then be zero (SPC-4 6.3.1).
  if (list.usage == list_id_usage::none && list.list_id != 0) return fail(invalid_param_field(0));

  if (cscd_bytes > uint32_t(max_cscd_descriptors) * cscd_len) return fail(sense::too_many_target_descriptors());
  if (cscd_bytes % cscd_len != 0) return fail(invalid_param_field(2));
  for (uint32_t at = header_len; at < header_len + cscd_bytes; at += cscd_len) {
    if (data[at] != cscd_identification) return fail(sense::unsupported_target_descriptor_type());
    cscd c;
    if (auto e = parse_cscd(data + at, at, c)) return fail(*e);
    list.cscds.push_back(c);
  }

  const uint32_t seg_start = header_len + cscd_bytes, seg_end = seg_start + seg_bytes;
  for (uint32_t at = seg_start; at < seg_end;) {
    if (list.segments.size() == max_segment_descriptors) return fail(sense::too_many_segment_descriptors());
    if (seg_end - at < 4) return fail(invalid_param_field(8));  // the list ends inside a descriptor header
    const uint8_t* d = data + at;
    const uint32_t total = 4u + be16(d + 2);
    if (d[0] != segment_block_to_block) return fail(sense::unsupported_segment_descriptor_type());
    if (total != b2b_segment_len) return fail(invalid_param_field(uint16_t(at + 2)));
    if (seg_end - at < total) return fail(invalid_param_field(8));
    segment s;
    s.offset = at;
    s.dc = (d[1] & 0x02) != 0;
    s.cat = (d[1] & 0x01) != 0;
    s.source = be16(d + 4);
    s.destination = be16(d + 6);
    s.blocks = be16(d + 10);
    s.source_lba = be64(d + 12);
    s.destination_lba = be64(d + 20);
    list.segments.push_back(s);
    at += total;
  }
  return {std::move(list), std::nullopt};
}

receive_copy_results_cdb decode_receive_copy_results(const uint8_t* cdb) {
  return {uint8_t(cdb[1] & 0x1F), cdb[2], be32(cdb + 10)};
}

size_t build_copy_status(const copy_status& s, uint8_t* out, size_t cap) {
  byte_writer w(out, cap);
  w.be32(8);  // AVAILABLE DATA
  w.u8(uint8_t(s.status));
  w.be16(s.segments_processed);
  // TRANSFER COUNT UNITS: bytes, else the smallest power of 1024 that fits.
  uint8_t units = 0;
  uint64_t count = s.bytes;
  while (count > 0xFFFFFFFFu) {
    count >>= 10;
    ++units;
  }
  w.u8(units);
  w.be32(uint32_t(count));
  return w.written();
}

size_t build_operating_parameters(uint8_t* out, size_t cap) {
  static constexpr uint8_t implemented[] = {segment_block_to_block, cscd_identification};
  byte_writer w(out, cap);
  w.be32(uint32_t(44 + sizeof implemented - 4));  // AVAILABLE DATA
  w.u8(0x01);                                     // SNLID: LIST ID USAGE 11b supported
  w.zeros(3);
  w.be16(max_cscd_descriptors);
  w.be16(max_segment_descriptors);
  w.be32(max_descriptor_list_length);
  w.be32(max_segment_length);
  w.be32(max_inline_data_length);
  w.be32(0);  // HELD DATA LIMIT: none held
  w.be32(0);  // MAXIMUM STREAM DEVICE TRANSFER SIZE: no stream devices
  w.zeros(2);
  w.be16(total_concurrent_copies);
  w.u8(max_concurrent_copies);
  w.u8(0);  // DATA SEGMENT GRANULARITY (log2): any
  w.u8(0);  // INLINE DATA GRANULARITY
  w.u8(0);  // HELD DATA GRANULARITY
  w.zeros(3);
  w.u8(sizeof implemented);
  w.bytes(implemented, sizeof implemented);
  return w.written();
}

size_t build_failed_segment_details(bool failed, const uint8_t* sense, size_t sense_len, uint8_t* out, size_t cap) {
  byte_writer w(out, cap);
  if (!failed) sense_len = 0;
  w.be32(failed ? uint32_t(56 + sense_len) : 0);  // AVAILABLE DATA
  w.zeros(52);
  w.u8(failed ? uint8_t(copy_status::state::failed) : 0);  // COPY COMMAND STATUS
  w.u8(0);
  w.be16(uint16_t(sense_len));
  w.bytes(sense, sense_len);
  return w.written();
}

void put_third_party_copy_page(byte_writer& w, uint8_t peripheral) {
  const size_t start = w.size();
  vpd::begin_page(w, peripheral, 0x8F);
  // Supported Commands (0001h): EXTENDED COPY (LID1), RECEIVE COPY RESULTS.
  static constexpr uint8_t commands[] = {op_extended_copy,
                                         1,
                                         sa_extended_copy_lid1,
                                         op_receive_copy_results,
                                         3,
                                         sa_copy_status,
                                         sa_operating_parameters,
                                         sa_failed_segment_details};
  const uint16_t sc_len = uint16_t((1 + sizeof commands + 3) & ~3u);
  w.be16(0x0001);
  w.be16(sc_len);
  w.u8(sizeof commands);
  w.bytes(commands, sizeof commands);
  w.zeros(sc_len - 1 - sizeof commands);
  // Parameter Data (0004h).
  w.be16(0x0004);
  w.be16(0x001C);
  w.zeros(4);
  w.be16(max_cscd_descriptors);
  w.be16(max_segment_descriptors);
  w.be32(max_descriptor_list_length);
  w.be32(max_inline_data_length);
  w.zeros(12);
  // Supported Descriptors (0008h).
  w.be16(0x0008);
  w.be16(4);
  w.u8(2);
  w.u8(segment_block_to_block);
  w.u8(cscd_identification);
  w.u8(0);
  // Supported CSCD Descriptor IDs (000Ch): FFFFh, the LU itself.
  w.be16(0x000C);
  w.be16(4);
  w.be16(2);
  w.be16(cscd_id_local);
  // General Copy Operations (8001h).
  w.be16(0x8001);
  w.be16(0x0020);
  w.be32(total_concurrent_copies);
  w.be32(max_concurrent_copies);
  w.be32(max_segment_length);
  w.u8(0);  // DATA SEGMENT GRANULARITY
  w.u8(0);  // INLINE DATA GRANULARITY
  w.zeros(18);
  vpd::end_page(w, start);
}

}  // namespace stmfd::scsi::xcopy
