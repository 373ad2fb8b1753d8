// SYNCHRONIZE CACHE (10/16), VERIFY (10/12/16), WRITE AND VERIFY (10/12/16).

#include "plugins/lu/sbd/handler.hpp"
#include "plugins/lu/sbd/rw_common.hpp"

namespace stmfd::sbd::handlers {

using namespace scsi;

// SBC-3 5.22/5.23. NUMBER OF LOGICAL BLOCKS 0 means "to the end of the
// medium". The flush always completes before status, with or without
// IMMED (IMMED only permits an earlier GOOD).
outcome sync_cache(exec_ctx& x) {
  const auto rw = decode_rw(x.cmd.cdb, x.cmd.cdb_len);
  if (!rw) return check(sense::internal_target_failure());
  if (!lba_range_ok(rw->lba, rw->blocks, x.lu.geo.block_count)) return check(sense::lba_out_of_range());
  const uint64_t bytes = uint64_t(rw->blocks) * x.lu.geo.block_size;
  outcome o;
  o.what = outcome::kind::io;
  o.steps[0] =
      io_step{io_step::op::flush, byte_offset(x.lu, rw->lba), bytes <= 0xFFFFFFFFu ? uint32_t(bytes) : 0u, 0, false};
  o.nsteps = 1;
  return o;
}

// SBC-3 5.26-5.28. BYTCHK 00b: read the range (the medium check); 01b:
// read and compare with the Data-Out range; 11b: compare every block with
// the one Data-Out block; 10b is reserved. The compare runs in finish() over
// the whole blocks of Data-Out received.
outcome verify(exec_ctx& x) {
  const auto rw = decode_rw(x.cmd.cdb, x.cmd.cdb_len);
  if (!rw) return check(sense::internal_target_failure());
  if (rw->bytchk == 2) return check(invalid_cdb_field(1, 2));
  if (auto e = check_transfer(x.lu, *rw)) return check(*e);
  if (rw->blocks == 0) return good();
  const uint32_t len = rw->blocks * x.lu.geo.block_size;
  outcome o = io_plan(rw->bytchk == 1 ? len : rw->bytchk == 3 ? x.lu.geo.block_size : 0);
  o.steps[0] = io_step{io_step::op::read, byte_offset(x.lu, rw->lba), len, 0, false};
  o.nsteps = 1;
  o.buffer_len = len;
  return o;
}

// SBC-3 5.33-5.35: write the whole blocks received to stable storage, then
// read them back (the verify); with BYTCHK 01b finish() compares the
// read-back with the Data-Out.
outcome write_verify(exec_ctx& x) {
  const write_start w = begin_write(x);
  if (w.done) return *w.done;
  const uint64_t off = byte_offset(x.lu, w.rw.lba);
  outcome o = io_plan(w.len);
  o.steps[0] = io_step{io_step::op::write, off, w.got, 0, true};
  o.steps[1] = io_step{io_step::op::read, off, w.got, 0, false};
  o.nsteps = 2;
  o.buffer_len = w.got;
  return o;
}

}  // namespace stmfd::sbd::handlers
