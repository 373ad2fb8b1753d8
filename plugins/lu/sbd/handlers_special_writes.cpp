// COMPARE AND WRITE, ORWRITE(16), WRITE ATOMIC(16) and PRE-FETCH (10/16).

#include "plugins/lu/sbd/handler.hpp"
#include "plugins/lu/sbd/rw_common.hpp"

namespace stmfd::sbd::handlers {

using namespace scsi;

// SBC-3 5.2. Data-Out is NUMBER OF LOGICAL BLOCKS of verify data followed
// by as many of write data; any other Data-Out length is INVALID FIELD IN
// CDB (also for 0 blocks: an initiator that wrapped 256 into the 8-bit
// field sends 512 blocks of Data-Out). The plan reads the range, compares it with the verify data (a
// difference fails the compare step: finish() reports MISCOMPARE with the
// offset of the first differing byte) and only then writes. The row's
// serialization class (write, over the range) keeps every overlapping
// command out while the three steps run: the compare and the write are
// atomic for them. NUMBER OF LOGICAL BLOCKS 0 is not an error and moves
// nothing.
outcome compare_and_write(exec_ctx& x) {
  const auto rw = decode_rw(x.cmd.cdb, x.cmd.cdb_len);
  if (!rw) return check(sense::internal_target_failure());
  if (rw->blocks > limits::max_compare_and_write_blocks) return check(invalid_cdb_field(rw->len_byte));
  if (!lba_range_ok(rw->lba, rw->blocks, x.lu.geo.block_count)) return check(sense::lba_out_of_range());
  const uint32_t len = rw->blocks * x.lu.geo.block_size;
  if (x.cmd.expected_length != 2 * len) return check(sense::invalid_field_in_cdb());
  if (rw->blocks == 0) return good();
  if (!x.cmd.data_out || x.cmd.data_out_len < 2 * len) return check(sense::invalid_field_in_cdb());
  return read_modify_write(byte_offset(x.lu, rw->lba), len, io_step::op::compare, len, rw->fua || !x.lu.mode.wce,
                           2 * len);
}

// SBC-3 5.8 ORWRITE(16) (BMOP 000b: the only operation the 16-byte CDB
// has): the medium's blocks become medium OR Data-Out. The plan reads the
// range, ORs it into the Data-Out and writes that back; the row's write
// class keeps overlapping commands out in between. Only whole blocks of
// Data-Out received take part, as for WRITE.
outcome orwrite(exec_ctx& x) {
  const write_start w = begin_write(x);
  if (w.done) return *w.done;
  return read_modify_write(byte_offset(x.lu, w.rw.lba), w.got, io_step::op::merge_or, 0, w.rw.fua || !x.lu.mode.wce,
                           w.len);
}

// SBC-4 5.48 WRITE ATOMIC(16): a WRITE whose blocks no other command sees
// half written. The row's write class keeps every overlapping command out
// of the task set while the one write step runs (as for COMPARE AND
// WRITE), so the write is atomic against them; a crash may still leave it
// partly on the medium, as a power loss may on a disk without atomic
// writes. The Block Limits page's atomic fields bound it: the LBA a
// multiple of ATOMIC ALIGNMENT and the length of ATOMIC TRANSFER LENGTH
// GRANULARITY (both a physical block), at most MAXIMUM ATOMIC TRANSFER
// LENGTH blocks (INVALID FIELD IN CDB otherwise). 0 blocks: GOOD, nothing written.
outcome write_atomic(exec_ctx& x) {
  const auto rw = decode_rw(x.cmd.cdb, x.cmd.cdb_len);
  if (!rw) return check(sense::internal_target_failure());
  if (!lba_range_ok(rw->lba, rw->blocks, x.lu.geo.block_count)) return check(sense::lba_out_of_range());
  if (rw->blocks == 0) return good();
  if (rw->blocks > x.lu.max_atomic_blocks()) return check(invalid_cdb_field(rw->len_byte));
  if (rw->lba % x.lu.atomic_unit() != 0) return check(invalid_cdb_field(rw->lba_byte));
  if (rw->blocks % x.lu.atomic_unit() != 0) return check(invalid_cdb_field(rw->len_byte));
  return write(x);
}

// SBC-3 5.9/5.10. The backing store's page cache is the only cache and
// nothing is loaded ahead: after the range check the answer is GOOD, which
// SBC-3 gives when the blocks were not all placed in the cache (CONDITION
// MET would claim they were). NUMBER OF LOGICAL BLOCKS 0 means to the end
// of the medium.
outcome prefetch(exec_ctx& x) {
  const auto rw = decode_rw(x.cmd.cdb, x.cmd.cdb_len);
  if (!rw) return check(sense::internal_target_failure());
  if (!lba_range_ok(rw->lba, rw->blocks, x.lu.geo.block_count)) return check(sense::lba_out_of_range());
  return good();
}

}  // namespace stmfd::sbd::handlers
