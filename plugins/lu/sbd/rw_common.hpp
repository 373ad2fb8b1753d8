#pragma once
// Checks shared by the medium-access handlers (READ, WRITE, VERIFY, WRITE
// AND VERIFY, SYNCHRONIZE CACHE, COMPARE AND WRITE, ORWRITE).

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

// The start every command that writes its Data-Out shares (WRITE, WRITE
// AND VERIFY, ORWRITE): decode, range and MAXIMUM TRANSFER LENGTH checks,
// the bytes asked for (len) and the whole blocks of them received (got).
// `done` holds the answer when the command ends here: an error, 0 blocks,
// or nothing usable received.
struct write_start {
  scsi::rw_cdb rw;
  uint32_t len = 0, got = 0;
  std::optional<outcome> done;
};
inline write_start begin_write(const exec_ctx& x) {
  write_start w;
  const auto rw = scsi::decode_rw(x.cmd.cdb, x.cmd.cdb_len);
  if (!rw) {  // row/decoder mismatch
    w.done = check(scsi::sense::internal_target_failure());
    return w;
  }
  w.rw = *rw;
  if (auto e = check_transfer(x.lu, w.rw)) {
    w.done = check(*e);
    return w;
  }
  if (w.rw.blocks == 0) {
    w.done = good();
    return w;
  }
  w.len = w.rw.blocks * x.lu.geo.block_size;
  w.got = whole_blocks_received(x.cmd, w.len, x.lu.geo.block_size);
  if (w.got == 0) w.done = good_nothing_moved(w.len);
  return w;
}

// read -> `middle` (compare or merge_or) -> write over `len` bytes at `off`:
// COMPARE AND WRITE and ORWRITE. The write takes the Data-Out from
// write_from; the plan moves transfer_length bytes.
inline outcome read_modify_write(uint64_t off, uint32_t len, io_step::op middle, uint32_t write_from, bool fua,
                                 uint32_t transfer_length) {
  outcome o = io_plan(transfer_length);
  o.steps[0] = io_step{io_step::op::read, off, len, 0, false};
  o.steps[1] = io_step{middle, 0, len, 0, false};
  o.steps[2] = io_step{io_step::op::write, off, len, write_from, fua};
  o.nsteps = 3;
  o.buffer_len = len;
  return o;
}

}  // namespace stmfd::sbd
