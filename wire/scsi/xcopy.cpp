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

// The CSCD and segment descriptor lists shared by LID1 and LID4 (SPC-4
// 6.3.6/6.4.5, 6.3.7/6.4.6): cscd_bytes of CSCD descriptors at data[start],
// then seg_bytes of segment descriptors. The caller checked that both fit.
// seg_len_field: the header byte of SEGMENT DESCRIPTOR LIST LENGTH (the
// field an inexact segment list points at).
std::optional<sense_info> parse_descriptors(const uint8_t* data, uint32_t start, uint32_t cscd_bytes,
                                            uint32_t seg_bytes, uint16_t cscd_len_field, uint16_t seg_len_field,
                                            parameter_list& list) {
  if (cscd_bytes > uint32_t(max_cscd_descriptors) * cscd_len) return plain(sense::too_many_target_descriptors());
  if (cscd_bytes % cscd_len != 0) return invalid_param_field(cscd_len_field);
  for (uint32_t at = start; at < start + cscd_bytes; at += cscd_len) {
    if (data[at] != cscd_identification) return plain(sense::unsupported_target_descriptor_type());
    cscd c;
    if (auto e = parse_cscd(data + at, at, c)) return e;
    list.cscds.push_back(c);
  }

  const uint32_t seg_start = start + cscd_bytes, seg_end = seg_start + seg_bytes;
  for (uint32_t at = seg_start; at < seg_end;) {
    if (list.segments.size() == max_segment_descriptors) return plain(sense::too_many_segment_descriptors());
    if (seg_end - at < 4) return invalid_param_field(seg_len_field);  // the list ends inside a descriptor header
    const uint8_t* d = data + at;
    const uint32_t total = 4u + be16(d + 2);
    if (d[0] != segment_block_to_block) return plain(sense::unsupported_segment_descriptor_type());
    if (total != b2b_segment_len) return invalid_param_field(uint16_t(at + 2));
    if (seg_end - at < total) return invalid_param_field(seg_len_field);
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
  return std::nullopt;
}

// LIST ID USAGE and PRIORITY (byte 1 of both headers; SPC-4 6.3.1 Table
// 106): 01b is reserved; 11b (no list identifier) needs the field zero.
std::optional<sense_info> parse_usage(const uint8_t* data, uint16_t list_id_field, parameter_list& list) {
  list.usage = list_id_usage((data[1] >> 3) & 0x03);
  list.priority = data[1] & 0x07;
  if (list.usage == list_id_usage::reserved) return invalid_param_field(1, 4);
  if (list.usage == list_id_usage::none && list.list_id != 0) return invalid_param_field(list_id_field);
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
  if (auto e = parse_usage(data, 0, list)) return fail(*e);
  if (auto e = parse_descriptors(data, header_len, cscd_bytes, seg_bytes, 2, 8, list)) return fail(*e);
  return {std::move(list), std::nullopt};
}

parse_result parse_extended_copy_lid4(uint32_t param_len, const uint8_t* data, size_t len) {
  if (param_len == 0) return {};  // SPC-4 6.4.1: not an error, nothing copied
  if (len < param_len || param_len < lid4_header_len) return fail(sense::parameter_list_length_error());
  if (data[0] != 0x01) return fail(invalid_param_field(0));           // PARAMETER LIST FORMAT
  if (be16(data + 2) != 0x0020) return fail(invalid_param_field(2));  // HEADER CSCD DESCRIPTOR LIST LENGTH
  if (data[15] & 0x01) return fail(invalid_param_field(15, 0));       // IMMED: not supported
  if (data[15] & 0x02) return fail(invalid_param_field(15, 1));       // G_SENSE: not supported
  if (data[16] != 0xFF) return fail(invalid_param_field(16));         // HEADER CSCD DESCRIPTOR TYPE CODE
  const uint32_t cscd_bytes = be16(data + 42), seg_bytes = be16(data + 44), inline_bytes = be16(data + 46);
  if (cscd_bytes + seg_bytes > max_descriptor_list_length) return fail(sense::parameter_list_length_error());
  if (inline_bytes > max_inline_data_length) return fail(sense::inline_data_length_exceeded());
  if (lid4_header_len + cscd_bytes + seg_bytes + inline_bytes > param_len)
    return fail(sense::parameter_list_length_error());

  parameter_list list;
  list.lid4 = true;
  list.list_id = be32(data + 20);
  if (auto e = parse_usage(data, 20, list)) return fail(*e);
  if (auto e = parse_descriptors(data, lid4_header_len, cscd_bytes, seg_bytes, 42, 44, list)) return fail(*e);
  return {std::move(list), std::nullopt};
}

parse_result parse_extended_copy_cdb(const uint8_t* cdb, const uint8_t* data, size_t len) {
  const uint32_t param_len = be32(cdb + 10);  // PARAMETER LIST LENGTH, both service actions
  if ((cdb[1] & 0x1F) == sa_extended_copy_lid4) return parse_extended_copy_lid4(param_len, data, len);
  return parse_extended_copy(param_len, data, len);
}

parse_result parse_accepted_list(const uint8_t* data, size_t len) {
  const bool lid4 = len >= lid4_header_len && data[0] == 0x01 && be16(data + 2) == 0x0020 && data[16] == 0xFF;
  return lid4 ? parse_extended_copy_lid4(uint32_t(len), data, len) : parse_extended_copy(uint32_t(len), data, len);
}

receive_copy_results_cdb decode_receive_copy_results(const uint8_t* cdb) {
  const uint8_t sa = cdb[1] & 0x1F;
  return {sa, sa == sa_copy_status_lid4 ? be32(cdb + 2) : cdb[2], be32(cdb + 10)};
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

size_t build_copy_status_lid4(const copy_status& s, uint8_t completion_status, const uint8_t* sense, size_t sense_len,
                              uint8_t* out, size_t cap) {
  // COPY OPERATION STATUS: 01h completed without errors, 02h completed
  // with errors, 10h in progress (the EXTENDED COPY had IMMED 0).
  uint8_t op_status = 0x10;
  if (s.status == copy_status::state::completed) op_status = 0x01;
  if (s.status == copy_status::state::failed) op_status = 0x02;
  sense_len = std::min<size_t>(sense_len, 0xFF);
  byte_writer w(out, cap);
  w.be32(uint32_t(28 + sense_len));  // AVAILABLE DATA
  w.u8(sa_copy_status_lid4);         // RESPONSE TO SERVICE ACTION
  w.u8(op_status);
  w.be16(0);  // OPERATION COUNTER: no retried operations to count
  w.be32(0);  // ESTIMATED STATUS UPDATE DELAY: ask again at will
  w.u8(s.status == copy_status::state::in_progress ? 0 : completion_status);
  w.u8(uint8_t(sense_len));  // LENGTH OF THE SENSE DATA FIELD
  w.u8(uint8_t(sense_len));  // SENSE DATA LENGTH
  w.u8(0);                   // TRANSFER COUNT UNITS: bytes (eight bytes hold any count)
  w.be64(s.bytes);
  w.be16(s.segments_processed);
  w.zeros(6);
  w.bytes(sense, sense_len);
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
  // Supported Commands (0001h): EXTENDED COPY (LID1, LID4), RECEIVE COPY
  // RESULTS (LID1 status, operating parameters, failed segment details;
  // LID4 status).
  static constexpr uint8_t commands[] = {op_extended_copy,
                                         2,
                                         sa_extended_copy_lid1,
                                         sa_extended_copy_lid4,
                                         op_receive_copy_results,
                                         4,
                                         sa_copy_status,
                                         sa_operating_parameters,
                                         sa_failed_segment_details,
                                         sa_copy_status_lid4};
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
