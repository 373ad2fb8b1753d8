#pragma once
// Checks shared by the medium-access handlers (READ, WRITE, VERIFY, WRITE
// AND VERIFY, SYNCHRONIZE CACHE).

#include <optional>

#include "plugins/lu/sbd/handler.hpp"
#include "wire/scsi/cdb.hpp"

namespace stmfd::sbd {

// SBC-3 4.5: LBA + length beyond the capacity -> LBA OUT OF RANGE (also for
// a zero length at an LBA past the end). SBC-3 6.5.3: a length above the
// Block Limits MAXIMUM TRANSFER LENGTH -> INVALID FIELD IN CDB at the length.
inline std::optional<scsi::sense_info> check_transfer(const lu_state& lu, const scsi::rw_cdb& rw) {
  if (!scsi::lba_range_ok(rw.lba, rw.blocks, lu.geo.block_count)) return scsi::plain(scsi::sense::lba_out_of_range());
  if (rw.blocks > lu.max_transfer_blocks()) return scsi::invalid_cdb_field(rw.len_byte);
  return std::nullopt;
}

inline uint64_t byte_offset(const lu_state& lu, uint64_t lba) { return lba * lu.geo.block_size; }

// Bytes of Data-Out usable for a transfer of `len` bytes: the whole blocks
// received, at most len (command::data_out).
inline uint32_t whole_blocks_received(const command& cmd, uint32_t len, uint32_t block_size) {
  const uint32_t have = cmd.data_out ? cmd.data_out_len - cmd.data_out_len % block_size : 0;
  return have < len ? have : len;
}

// An I/O plan (kind::io) for a transfer of `len` bytes.
inline outcome io_plan(uint32_t len) {
  outcome o;
  o.what = outcome::kind::io;
  o.transfer_length = len;
  return o;
}
// GOOD without I/O for a transfer of `len` bytes of which nothing usable arrived.
inline outcome good_nothing_moved(uint32_t len) {
  outcome o;
  o.transfer_length = len;
  return o;
}

}  // namespace stmfd::sbd
