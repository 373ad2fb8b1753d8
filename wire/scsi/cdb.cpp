#include "wire/scsi/cdb.hpp"

#include <bit>

namespace stmfd::scsi {

std::optional<field_pointer> check_usage(const uint8_t* cdb, const uint8_t* usage, size_t len) {
  for (size_t i = 1; i < len; ++i) {
    const uint8_t bad = uint8_t(cdb[i] & ~usage[i]);
    if (bad) return field_pointer{true, uint16_t(i), int8_t(std::bit_width(bad) - 1)};
  }
  return std::nullopt;
}

std::optional<rw_cdb> decode_rw(const uint8_t* c, size_t len) {
  if (len == 0) return std::nullopt;
  const uint8_t opcode = c[0];
  const size_t need = cdb_length_for(opcode);
  if (need == 0 || len < need) return std::nullopt;
  rw_cdb r;
  switch (opcode) {
    case op::read6:
    case op::write6:
      // SBC-3 5.15 / 5.32: 21-bit LBA, 8-bit length where 0 means 256.
      r.lba = get_be24(c + 1) & 0x1FFFFF;
      r.blocks = c[4] ? c[4] : 256;
      r.lba_byte = 1;
      r.len_byte = 4;
      return r;
    case op::read10:
    case op::write10:
    case op::write_verify10:
    case op::verify10:
    case op::sync_cache10:
    case op::prefetch10:
    case op::write_same10:
      r.lba = get_be32(c + 2);
      r.blocks = get_be16(c + 7);
      r.group = c[6] & 0x1F;
      r.lba_byte = 2;
      r.len_byte = 7;
      break;
    case op::read12:
    case op::write12:
    case op::write_verify12:
    case op::verify12:
      r.lba = get_be32(c + 2);
      r.blocks = get_be32(c + 6);
      r.group = c[10] & 0x1F;
      r.lba_byte = 2;
      r.len_byte = 6;
      break;
    case op::read16:
    case op::write16:
    case op::write_verify16:
    case op::verify16:
    case op::sync_cache16:
    case op::prefetch16:
    case op::write_same16:
    case op::orwrite16:
      r.lba = get_be64(c + 2);
      r.blocks = get_be32(c + 10);
      r.group = c[14] & 0x1F;
      r.lba_byte = 2;
      r.len_byte = 10;
      break;
    case op::write_atomic16:  // SBC-4 5.48: ATOMIC BOUNDARY in bytes 10-11
      r.lba = get_be64(c + 2);
      r.blocks = get_be16(c + 12);
      r.group = c[14] & 0x1F;
      r.lba_byte = 2;
      r.len_byte = 12;
      break;
    case op::compare_and_write:
      r.lba = get_be64(c + 2);
      r.blocks = c[13];
      r.group = c[14] & 0x1F;
      r.lba_byte = 2;
      r.len_byte = 13;
      break;
    default: return std::nullopt;
  }
  const uint8_t b1 = c[1];
  switch (opcode) {
    case op::sync_cache10:
    case op::sync_cache16:
    case op::prefetch10:
    case op::prefetch16: r.immed = b1 & 0x02; break;
    case op::verify10:
    case op::verify12:
    case op::verify16:
    case op::write_verify10:
    case op::write_verify12:
    case op::write_verify16:
      r.protect = b1 >> 5;
      r.dpo = b1 & 0x10;
      r.bytchk = (b1 >> 1) & 0x03;
      break;
    default:  // READ/WRITE 10/12/16
      r.protect = b1 >> 5;
      r.dpo = b1 & 0x10;
      r.fua = b1 & 0x08;
      break;
  }
  return r;
}

}  // namespace stmfd::scsi
