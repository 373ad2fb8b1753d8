#include "wire/scsi/mode.hpp"

#include <bit>

#include "wire/scsi/cdb.hpp"

namespace stmfd::scsi::mode {

sense_request decode_sense(const uint8_t* c) {
  sense_request r;
  r.ten = c[0] == op::mode_sense10;
  r.dbd = c[1] & 0x08;
  r.llbaa = r.ten && (c[1] & 0x10);
  r.pc = c[2] >> 6;
  r.page = c[2] & 0x3F;
  r.subpage = c[3];
  r.alloc_len = r.ten ? get_be16(c + 7) : c[4];
  return r;
}

select_request decode_select(const uint8_t* c) {
  select_request r;
  r.ten = c[0] == op::mode_select10;
  r.pf = c[1] & 0x10;
  r.sp = c[1] & 0x01;
  r.param_len = r.ten ? get_be16(c + 7) : c[4];
  return r;
}

void put_header(byte_writer& w, bool ten, uint8_t device_specific, bool long_lba, uint16_t bd_len) {
  if (ten) {
    w.be16(0);  // MODE DATA LENGTH
    w.u8(0);    // MEDIUM TYPE
    w.u8(device_specific);
    w.u8(long_lba ? 0x01 : 0x00);
    w.u8(0);
    w.be16(bd_len);
  } else {
    w.u8(0);
    w.u8(0);
    w.u8(device_specific);
    w.u8(uint8_t(bd_len));
  }
}

void finish_header(byte_writer& w, bool ten) {
  // MODE DATA LENGTH excludes itself (SPC-4 7.5.5).
  if (ten) {
    w.set_be16(0, uint16_t(w.size() - 2));
  } else {
    const size_t n = w.size() - 1;
    w.set_u8(0, uint8_t(n > 0xFF ? 0xFF : n));
  }
}

void put_block_descriptor(byte_writer& w, bool long_lba, uint64_t blocks, uint32_t block_len) {
  if (long_lba) {
    w.be64(blocks);
    w.be32(0);
    w.be32(block_len);
  } else {
    w.be32(blocks > 0xFFFFFFFFu ? 0xFFFFFFFFu : uint32_t(blocks));
    w.u8(0);
    w.be24(block_len);
  }
}

select_header parse_header(const uint8_t* d, bool ten) {
  select_header h;
  if (ten) {
    h.medium_type = d[2];
    h.device_specific = d[3];
    h.long_lba = d[4] & 0x01;
    h.bd_len = get_be16(d + 6);
  } else {
    h.medium_type = d[1];
    h.device_specific = d[2];
    h.bd_len = d[3];
  }
  return h;
}

std::optional<sense_info> check_page_header(const uint8_t* d, size_t pos, size_t n) {
  if (n - pos < 2) return plain(sense::parameter_list_length_error());
  if (d[pos] & 0x80) return invalid_param_field(uint16_t(pos), 7);
  if (d[pos] & 0x40) return invalid_param_field(uint16_t(pos), 6);
  return std::nullopt;
}

std::optional<sense_info> check_page_length(const uint8_t* d, size_t pos, size_t n, uint8_t length) {
  if (d[pos + 1] != length) return invalid_param_field(uint16_t(pos + 1));
  if (n - pos < size_t(length) + 2) return plain(sense::parameter_list_length_error());
  return std::nullopt;
}

std::optional<sense_info> check_changeable(const uint8_t* given, const uint8_t* cur, const uint8_t* mask, size_t len,
                                           size_t pos) {
  for (size_t i = 2; i < len; ++i) {
    const uint8_t bad = uint8_t((given[i] ^ cur[i]) & ~mask[i]);
    if (bad) return invalid_param_field(uint16_t(pos + i), int8_t(std::bit_width(bad) - 1));
  }
  return std::nullopt;
}

}  // namespace stmfd::scsi::mode
