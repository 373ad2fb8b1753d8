// Logical block provisioning (SBC-3 4.7): UNMAP, WRITE SAME (10/16) and
// GET LBA STATUS. Deallocation is a deallocate step over byte ranges
// (lu_outcome::ranges) whose blocks then read as zeros (LBPRZ=1); GET LBA
// STATUS is a map_extents step whose records finish_lba_status() turns into
// LBA status descriptors.

#include <algorithm>
#include <cstring>

#include "plugins/lu/sbd/handler.hpp"
#include "plugins/lu/sbd/rw_common.hpp"
#include "wire/scsi/byte_writer.hpp"
#include "wire/scsi/cdb.hpp"

namespace stmfd::sbd {

using namespace scsi;

namespace {

constexpr size_t unmap_header = 8, unmap_descriptor = 16;            // SBC-3 5.28.2
constexpr size_t lba_status_header = 8, lba_status_descriptor = 16;  // SBC-3 5.5.2

// A plan of one range step over [lba, lba + blocks).
outcome range_plan(const lu_state& lu, io_step::op kind, std::vector<byte_range> ranges) {
  outcome o;
  o.what = outcome::kind::io;
  o.steps[0] = io_step{kind, 0, 0, 0, !lu.mode.wce};
  o.nsteps = 1;
  o.ranges = std::move(ranges);
  return o;
}

}  // namespace

namespace handlers {

// SBC-3 5.28. PARAMETER LIST LENGTH 0: nothing to do. Each descriptor's
// range must lie on the medium (LBA OUT OF RANGE); more descriptors or more
// blocks than the Block Limits page reports -> INVALID FIELD IN PARAMETER
// LIST. Descriptors of 0 blocks are ignored.
outcome unmap(exec_ctx& x) {
  const uint8_t* c = x.cmd.cdb;
  const uint32_t plist = get_be16(c + 7);
  if (plist == 0) return good();
  if (plist < unmap_header) return check(sense::parameter_list_length_error());
  const uint32_t have = x.cmd.data_out ? std::min(plist, x.cmd.data_out_len) : 0;
  if (have < unmap_header) return check(sense::parameter_list_length_error());
  const uint8_t* d = x.cmd.data_out;
  const size_t bd_len = std::min<size_t>(get_be16(d + 2), have - unmap_header);
  const size_t count = bd_len / unmap_descriptor;
  if (count > limits::max_unmap_descriptors) return check(invalid_param_field(2));
  const uint32_t bs = x.lu.geo.block_size;
  std::vector<byte_range> ranges;
  uint64_t total = 0;
  for (size_t i = 0; i < count; ++i) {
    const uint8_t* e = d + unmap_header + i * unmap_descriptor;
    const uint64_t lba = get_be64(e);
    const uint32_t n = get_be32(e + 8);
    if (!lba_range_ok(lba, n, x.lu.geo.block_count)) return check(sense::lba_out_of_range());
    total += n;
    if (total > x.lu.max_unmap_blocks()) return check(invalid_param_field(uint16_t(unmap_header + i * 16 + 8)));
    if (n > 0) ranges.push_back(byte_range{lba * bs, uint64_t(n) * bs});
  }
  if (ranges.empty()) return good();
  return range_plan(x.lu, io_step::op::deallocate, std::move(ranges));
}

// SBC-3 5.41/5.42 (SBC-4 NDOB). NUMBER OF LOGICAL BLOCKS 0 means "to the end
// of the medium" (WSNZ=0), bounded by MAXIMUM WRITE SAME LENGTH like any
// other length (INVALID FIELD IN CDB). Data-Out is exactly one block unless
// NDOB (then the block is zeros). With UNMAP on a thin LU the range is
// deallocated, whatever the block holds: SBC-3 lets the device server unmap
// instead of writing, and the blocks then read as zeros (LBPRZ=1), which is
// what initiators (libiscsi, Linux LIO) expect. Without UNMAP the block is
// written over the range. UNMAP on a fully provisioned LU -> INVALID FIELD
// IN CDB (LBPWS=0).
outcome write_same(exec_ctx& x) {
  const uint8_t* c = x.cmd.cdb;
  const auto rw = decode_rw(c, x.cmd.cdb_len);
  if (!rw) return check(sense::internal_target_failure());
  const bool unmap_bit = c[1] & 0x08;
  const bool ndob = c[0] == op::write_same16 && (c[1] & 0x01);
  if (unmap_bit && !x.lu.geo.thin) return check(invalid_cdb_field(1, 3));
  if (rw->lba > x.lu.geo.block_count) return check(sense::lba_out_of_range());
  const uint64_t blocks = rw->blocks ? rw->blocks : x.lu.geo.block_count - rw->lba;
  if (!lba_range_ok(rw->lba, blocks, x.lu.geo.block_count)) return check(sense::lba_out_of_range());
  if (blocks > x.lu.max_write_same_blocks()) return check(invalid_cdb_field(rw->len_byte));
  const uint32_t bs = x.lu.geo.block_size;
  if (!ndob && x.cmd.expected_length != bs) return check(sense::invalid_field_in_cdb());
  if (!ndob && (!x.cmd.data_out || x.cmd.data_out_len < bs)) return check(sense::invalid_field_in_cdb());
  if (blocks == 0) return good();
  std::vector<byte_range> range{byte_range{rw->lba * bs, blocks * bs}};
  if (unmap_bit) return range_plan(x.lu, io_step::op::deallocate, std::move(range));
  outcome o = range_plan(x.lu, io_step::op::write_same, std::move(range));
  o.steps[0].length = ndob ? 0 : bs;  // 0: the framework writes zeros
  return o;
}

// SBC-3 5.5 (GET LBA STATUS, SERVICE ACTION IN(16)): the provisioning
// status from STARTING LOGICAL BLOCK ADDRESS on, as many descriptors as
// ALLOCATION LENGTH holds (at most limits::max_lba_status_descriptors).
// A start beyond the last LBA -> LBA OUT OF RANGE.
outcome get_lba_status(exec_ctx& x) {
  const uint8_t* c = x.cmd.cdb;
  const uint64_t lba = get_be64(c + 2);
  const uint32_t alloc = get_be32(c + 10);
  if (lba >= x.lu.geo.block_count) return check(sense::lba_out_of_range());
  if (alloc == 0) return good();
  const size_t fit = alloc > lba_status_header ? (alloc - lba_status_header) / lba_status_descriptor : 0;
  const size_t ndesc = std::clamp<size_t>(fit, 1, limits::max_lba_status_descriptors);
  const uint32_t bs = x.lu.geo.block_size;
  outcome o;
  o.what = outcome::kind::io;
  const uint32_t records = uint32_t(ndesc + 1) * uint32_t(sizeof(extent_record));
  o.steps[0] = io_step{io_step::op::map_extents, 0, records, 0, false};
  o.nsteps = 1;
  o.ranges.push_back(byte_range{lba * bs, (x.lu.geo.block_count - lba) * bs});
  o.buffer_len = std::max<uint32_t>(records, uint32_t(lba_status_header + ndesc * lba_status_descriptor));
  o.data_in = true;
  return o;
}

}  // namespace handlers

// The records of a map_extents step -> GET LBA STATUS parameter data at the
// start of `buffer` (SBC-3 5.5.2), cut to ALLOCATION LENGTH.
outcome finish_lba_status(const lu_state& lu, const command& cmd, const outcome& planned, uint8_t* buffer) {
  const io_step& s = planned.steps[0];
  const size_t nrec = s.length / sizeof(extent_record);
  std::vector<extent_record> recs(nrec);
  std::memcpy(recs.data(), buffer + s.buf_offset, nrec * sizeof(extent_record));
  const uint32_t bs = lu.geo.block_size;
  const size_t max_desc = nrec > 0 ? nrec - 1 : 0;
  byte_writer w(buffer, planned.buffer_len);
  w.be32(0);  // PARAMETER DATA LENGTH, set below
  w.be32(0);
  size_t ndesc = 0;
  uint64_t next = planned.ranges.empty() ? 0 : planned.ranges[0].offset / bs;
  for (const auto& r : recs) {
    if (r.length == 0 || ndesc == max_desc) break;
    const uint64_t first = std::max(next, r.offset / bs);
    const uint64_t end = (r.offset + r.length + bs - 1) / bs;
    if (end <= first) continue;
    const uint64_t n = std::min<uint64_t>(end - first, 0xFFFFFFFFu);
    w.be64(first);
    w.be32(uint32_t(n));
    w.u8(r.mapped ? 0 : 1);  // PROVISIONING STATUS: 0 mapped, 1 deallocated
    w.zeros(3);
    next = first + n;
    ++ndesc;
  }
  if (ndesc == 0) {  // the store told nothing: report the starting block mapped
    w.be64(next);
    w.be32(1);
    w.u8(0);
    w.zeros(3);
    ndesc = 1;
  }
  w.set_be32(0, uint32_t(4 + ndesc * lba_status_descriptor));
  const uint32_t alloc = get_be32(cmd.cdb + 10);
  outcome o = good(std::min<uint32_t>(alloc, uint32_t(w.written())));
  return o;
}

}  // namespace stmfd::sbd
