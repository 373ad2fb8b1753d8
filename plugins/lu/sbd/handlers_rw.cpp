// READ and WRITE (6/10/12/16): plans of one step.

#include "plugins/lu/sbd/handler.hpp"
#include "plugins/lu/sbd/rw_common.hpp"

namespace stmfd::sbd::handlers {

using namespace scsi;

// SBC-3 5.11-5.14. A transfer length of 0 (other than READ(6)) transfers
// nothing and ends GOOD once the LBA passed the range check.
outcome read(exec_ctx& x) {
  const auto rw = decode_rw(x.cmd.cdb, x.cmd.cdb_len);
  if (!rw) return check(sense::internal_target_failure());  // row/decoder mismatch
  if (auto e = check_transfer(x.lu, *rw)) return check(*e);
  if (rw->blocks == 0) return good();
  const uint32_t len = rw->blocks * x.lu.geo.block_size;
  outcome o = io_plan(len);
  o.steps[0] = io_step{io_step::op::read, byte_offset(x.lu, rw->lba), len, 0, rw->fua};
  o.nsteps = 1;
  o.buffer_len = len;
  o.data_in = true;
  return o;
}

// SBC-3 5.29-5.32. Only the whole blocks of Data-Out received are written
// (none: GOOD, the transport reports the overflow). With the write cache
// disabled every write is forced to stable storage (architecture: GOOD
// means durable when WCE=0).
outcome write(exec_ctx& x) {
  const write_start w = begin_write(x);
  if (w.done) return *w.done;
  outcome o = io_plan(w.len);
  o.steps[0] = io_step{io_step::op::write, byte_offset(x.lu, w.rw.lba), w.got, 0, w.rw.fua || !x.lu.mode.wce};
  o.nsteps = 1;
  return o;
}

}  // namespace stmfd::sbd::handlers
