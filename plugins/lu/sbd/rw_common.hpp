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
  if (!scsi::lba_range_ok(rw.lba, rw.blocks, lu.geo.block_count))
    return scsi::plain(scsi::sense::lba_out_of_range());
  if (rw.blocks > lu.max_transfer_blocks()) return scsi::invalid_cdb_field(rw.len_byte);
  return std::nullopt;
}

inline uint64_t byte_offset(const lu_state& lu, uint64_t lba) { return lba * lu.geo.block_size; }

// Data-Out shorter than the transfer the CDB describes (the transport's
// Expected Data Transfer Length was too small): the CDB's length is the
// field in error.
inline bool data_out_short(const command& cmd, uint64_t need) { return cmd.data_out_len < need; }

}  // namespace stmfd::sbd
