#pragma once
// Appending big-endian fields to a growing payload (the FC codecs' builder).
#include <cstdint>
#include <vector>

#include "wire/scsi/cdb.hpp"

namespace stmfd::fc {

using scsi::get_be16;
using scsi::get_be24;
using scsi::get_be32;
using scsi::get_be64;

struct appender {
  std::vector<uint8_t>& out;
  // Grows by `n` bytes and returns where they start (resize, not
  // push_back: GCC 12 warns falsely about push_back of bytes, PR 107852).
  uint8_t* grow(size_t n) {
    size_t at = out.size();
    out.resize(at + n);
    return out.data() + at;
  }
  void u8(uint8_t v) { *grow(1) = v; }
  void be16(uint16_t v) { scsi::put_be16(grow(2), v); }
  void be24(uint32_t v) { scsi::put_be24(grow(3), v); }
  void be32(uint32_t v) { scsi::put_be32(grow(4), v); }
  void be64(uint64_t v) {
    uint8_t* p = grow(8);
    scsi::put_be32(p, uint32_t(v >> 32));
    scsi::put_be32(p + 4, uint32_t(v));
  }
  void zeros(size_t n) { grow(n); }
  // A command word: the ELS code then three reserved bytes.
  void command(uint8_t code) { u8(code), zeros(3); }
};

}  // namespace stmfd::fc
