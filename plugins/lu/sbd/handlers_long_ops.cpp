// SANITIZE and FORMAT UNIT: operations on the whole medium that run as the
// LU shell's long operations (LU provider contract, lu_outcome::long_op).
// While one runs, disk::execute answers every command but INQUIRY, REQUEST
// SENSE and REPORT LUNS with NOT READY and a progress indication.

#include <algorithm>

#include "plugins/lu/sbd/handler.hpp"
#include "wire/scsi/cdb.hpp"

namespace stmfd::sbd::handlers {

using namespace scsi;

namespace {

// A plan over the whole medium: `steps` range steps (and a flush when the
// last one is not durable by itself) as a long operation.
outcome whole_medium_plan(const lu_state& lu, bool immed) {
  outcome o;
  o.what = outcome::kind::io;
  o.long_op = immed ? outcome::long_op_kind::immediate : outcome::long_op_kind::wait;
  o.ranges.push_back(byte_range{0, lu.geo.block_count * lu.geo.block_size});
  return o;
}

// The pattern repeated over one block (SBC-4 5.30.2.2: the initialization
// pattern is written repeatedly; a block not a multiple of it ends with a
// part of it); `invert` XORs every bit.
std::vector<uint8_t> fill_block(const uint8_t* pattern, uint32_t len, uint32_t block, bool invert) {
  std::vector<uint8_t> b(block);
  for (uint32_t i = 0; i < block; ++i) b[i] = uint8_t(pattern[i % len] ^ (invert ? 0xFF : 0x00));
  return b;
}

// SBC-4 5.30.2.2 OVERWRITE parameter list: INVERT, TEST, OVERWRITE COUNT,
// reserved, INITIALIZATION PATTERN LENGTH, the pattern. The CDB's
// PARAMETER LIST LENGTH must hold the 4-byte header and a pattern of at
// most one logical block (5 .. block length + 4).
outcome overwrite(exec_ctx& x, bool immed, uint16_t plen) {
  const uint32_t bs = x.lu.geo.block_size;
  if (plen < 5 || plen > bs + 4) return check(invalid_cdb_field(7));
  if (!x.cmd.data_out || x.cmd.data_out_len < plen) return check(sense::parameter_list_length_error());
  const uint8_t* p = x.cmd.data_out;
  const bool invert = p[0] & 0x80;
  const uint8_t test = (p[0] >> 5) & 0x03;
  const uint8_t count = p[0] & 0x1F;
  const uint16_t ip_len = get_be16(p + 2);
  if (test != 0) return check(invalid_param_field(0, 6));  // no vendor test patterns
  if (count == 0) return check(invalid_param_field(0, 4));
  if (p[1] != 0) return check(invalid_param_field(1));
  if (ip_len == 0 || ip_len > bs || ip_len + 4u > plen) return check(invalid_param_field(2));
  // Pass k (1-based) writes the pattern, inverted on even passes when
  // INVERT is set. Passes that repeat the bytes of an earlier one change
  // nothing a reader of this LU (or of its backing file, whose file system
  // places each write where it likes) can observe, so the plan writes the
  // distinct passes only, the last one last: with INVERT and a count of 2
  // or more the other pattern, then the final one; otherwise the pattern.
  const bool final_inverted = invert && count % 2 == 0;
  auto& op = x.lu.op;
  op.pass_block[0] = fill_block(p + 4, ip_len, bs, !final_inverted);
  op.pass_block[1] = fill_block(p + 4, ip_len, bs, final_inverted);
  outcome o = whole_medium_plan(x.lu, immed);
  uint8_t n = 0;
  if (invert && count >= 2) o.steps[n++] = io_step{io_step::op::write_same, 0, bs, 0, false};
  if (n) o.steps[0].mem = op.pass_block[0].data();
  o.steps[n] = io_step{io_step::op::write_same, 0, bs, 0, true};  // durable before the sanitize ends
  o.steps[n].mem = op.pass_block[1].data();
  o.nsteps = uint8_t(n + 1);
  return o;
}

}  // namespace

// SBC-4 5.30 SANITIZE. OVERWRITE writes the pattern over every block;
// BLOCK ERASE and CRYPTO ERASE (thin LUs only: their rows are thin_only,
// so elsewhere INVALID FIELD IN CDB) deallocate every block, which then
// reads as zeros (LBPRZ): the data are gone from the backing store, which
// is what erasing the key of an encrypted medium achieves. EXIT FAILURE
// MODE ends the failure mode a failed sanitize left (SBC-4 4.11.4) when
// that sanitize had AUSE set; without a failure mode it has nothing to do
// and is GOOD. IMMED: GOOD as soon as the sanitize starts. A sanitize
// runs to its end across aborts and resets; one a crash interrupted leaves
// the failure mode (the durable record).
outcome sanitize(exec_ctx& x) {
  const uint8_t* c = x.cmd.cdb;
  const bool immed = c[1] & 0x80;
  const bool ause = c[1] & 0x20;
  const uint8_t sa = c[1] & 0x1F;
  const uint16_t plen = get_be16(c + 7);
  auto& op = x.lu.op;
  if (sa == scsi::sa::sanitize_exit_failure_mode) {
    if (plen != 0) return check(invalid_cdb_field(7));
    if (!op.sanitize_failed) return good();
    if (!op.failed_ause) return check(invalid_cdb_field(1, 4));  // only a new sanitize ends it
    op.sanitize_failed = false;
    outcome o = good();
    o.durable = op.record();
    return o;
  }
  outcome o;
  if (sa == scsi::sa::sanitize_overwrite) {
    o = overwrite(x, immed, plen);
    if (o.what != outcome::kind::io) return o;
  } else {  // block erase, crypto erase
    if (plen != 0) return check(invalid_cdb_field(7));
    o = whole_medium_plan(x.lu, immed);
    o.steps[0] = io_step{io_step::op::deallocate, 0, 0, 0, true};
    o.nsteps = 1;
  }
  op.running = long_op_state::kind::sanitize;
  op.progress = 0;
  op.ause = ause;
  o.durable = op.record();  // running: a restart before the end finds the failure mode
  return o;
}

// SBC-4 5.3 FORMAT UNIT with FMTDATA 0 (the row refuses FMTDATA, FMTPINFO
// and LONGLIST: no parameter list, no protection information): the medium
// keeps its format and every block is initialized, reading as zeros after
// it: deallocated on a thin LU, written with zeros otherwise.
outcome format_unit(exec_ctx& x) {
  outcome o = whole_medium_plan(x.lu, false);
  o.steps[0] =
      x.lu.geo.thin ? io_step{io_step::op::deallocate, 0, 0, 0, true} : io_step{io_step::op::write_same, 0, 0, 0, true};
  o.nsteps = 1;
  x.lu.op.running = long_op_state::kind::format;
  x.lu.op.progress = 0;
  return o;
}

// SBC-4 5.20 / 5.21 READ DEFECT DATA (10) and (12): the backing store has
// no defect lists the device server knows of; the answer is the header of
// an empty list in the requested format, PLISTV and GLISTV saying which
// (empty) lists it holds.
outcome read_defect_data(exec_ctx& x) {
  const uint8_t* c = x.cmd.cdb;
  const bool ten = c[0] == op::read_defect_data10;
  const uint8_t req = ten ? c[2] : c[1];  // REQ_PLIST, REQ_GLIST, DEFECT LIST FORMAT
  const uint32_t alloc = ten ? get_be16(c + 7) : get_be32(c + 6);
  uint8_t hdr[8] = {};
  hdr[1] = uint8_t(req & 0x1F);  // PLISTV, GLISTV, the format asked for
  const uint32_t n = std::min<uint32_t>({ten ? 4u : 8u, alloc, uint32_t(x.data_in_cap)});
  std::copy(hdr, hdr + n, x.data_in);
  return good(n);
}

}  // namespace stmfd::sbd::handlers
