// The LU shell's issue 7 step kinds (LU provider contract, io_step):
// deallocate and write_same over lu_outcome::ranges, map_extents, compare
// and merge_or. Files and block devices deallocate by punching holes through the
// io ring (fallocate PUNCH_HOLE|KEEP_SIZE); where the file system or device
// cannot, the range is written with zeros instead, so "reads back as
// zeros" always holds. write_same writes a buffer of the block repeated,
// piece by piece; an aborted task stops between pieces.
#include <algorithm>
#include <cstring>

#include <caf/all.hpp>

#include "actors/common/log.hpp"
#include "actors/lu/lu_actor.hpp"

namespace stmfd {

namespace {
// The largest piece of a write_same (or zero fill) in the ring at once.
constexpr uint64_t pattern_cap = 1u << 20;
}  // namespace

// The buffer write_same and the zero fill write from: the step's block (or
// zeros) repeated, at most pattern_cap bytes and no more than the largest
// range needs.
bool lu_actor::fill_pattern(pending& p, const io_step& s) {
  if (p.pattern) return true;
  const bool zeros = p.zero_fill || s.length == 0;  // deallocate's fallback, or write_same of zeros
  const uint32_t block = zeros ? 4096u : s.length;
  const uint8_t* src = zeros ? nullptr : same_block(p, s);
  if (!zeros && !src) return false;
  uint64_t widest = 0;
  for (const auto& r : p.plan.ranges) widest = std::max(widest, r.length);
  uint64_t len = std::min(widest, pattern_cap / block * block);
  if (len < block) len = block;
  p.pattern = io::buffer_pool::global().acquire(uint32_t(len));
  if (!p.pattern) return false;
  p.pattern.size = uint32_t(len);
  if (zeros) {
    std::memset(p.pattern.data, 0, len);
  } else {
    for (uint64_t o = 0; o < len; o += block) std::memcpy(p.pattern.data + o, src, block);
  }
  return true;
}

const uint8_t* lu_actor::same_block(const pending& p, const io_step& s) {
  if (s.mem) return s.mem;
  if (!p.cmd.data_out || p.cmd.data_out_len < s.buf_offset + s.length) return nullptr;
  return p.cmd.data_out + s.buf_offset;
}

int lu_actor::run_inline_step(pending& p, const io_step& s) {
  switch (s.kind) {
    case io_step::op::compare: {
      const uint8_t* mine = step_buffer(p, s);
      const uint8_t* theirs = p.cmd.data_out + s.buf_offset;
      if (!p.cmd.data_out || p.cmd.data_out_len < s.buf_offset + s.length) return -EINVAL;
      return std::memcmp(mine, theirs, s.length) == 0 ? 0 : -io_miscompare;
    }
    case io_step::op::merge_or: {
      if (!p.cmd.data_out || p.cmd.data_out_len < s.buf_offset + s.length) return -EINVAL;
      const uint8_t* mine = step_buffer(p, s);
      // The Data-Out is the task's own buffer (the write steps send it from there).
      auto* out = const_cast<uint8_t*>(p.cmd.data_out) + s.buf_offset;
      for (uint32_t i = 0; i < s.length; ++i) out[i] |= mine[i];
      return 0;
    }
    case io_step::op::map_extents: {
      if (p.plan.ranges.empty()) return -EINVAL;
      uint8_t* out = step_buffer(p, s);
      const size_t max = s.length / sizeof(extent_record);
      std::vector<extent_record> recs(max);
      const auto& r = p.plan.ranges[0];
      if (r.offset > store_->size() || r.length > store_->size() - r.offset) return -EINVAL;
      long n = store_->map_extents(r.offset, r.length, recs.data(), max);
      if (n < 0) return int(n);
      if (size_t(n) < max) recs[size_t(n)] = extent_record{};  // ends the list early
      std::memcpy(out, recs.data(), std::min<size_t>(max, size_t(n) + 1) * sizeof(extent_record));
      return 0;
    }
    case io_step::op::deallocate:  // RAM
      for (const auto& r : p.plan.ranges)
        if (r.offset > store_->size() || r.length > store_->size() - r.offset) return -EINVAL;
      for (const auto& r : p.plan.ranges) store_->ram_deallocate(r.offset, r.length);
      return 0;
    case io_step::op::write_same: {  // RAM; length 0: zeros
      const uint8_t* block = s.length > 0 ? same_block(p, s) : nullptr;
      if (s.length > 0 && !block) return -EINVAL;
      for (const auto& r : p.plan.ranges)
        if (r.offset > store_->size() || r.length > store_->size() - r.offset) return -EINVAL;
      for (const auto& r : p.plan.ranges) {
        if (s.length == 0) {
          std::memset(store_->ram() + r.offset, 0, r.length);
          continue;
        }
        for (uint64_t o = 0; o + s.length <= r.length; o += s.length)
          std::memcpy(store_->ram() + r.offset + o, block, s.length);
      }
      return 0;
    }
    default: return -EINVAL;
  }
}

bool lu_actor::start_range_io(uint64_t cookie, pending& p, const io_step& s) {
  const auto& rs = p.plan.ranges;
  while (p.range_i < rs.size() && p.range_done >= rs[p.range_i].length) {
    ++p.range_i;
    p.range_done = 0;
  }
  if (p.range_i >= rs.size()) return false;
  const byte_range& r = rs[p.range_i];
  auto self = caf::actor_cast<caf::actor>(this);
  if (s.kind == io_step::op::deallocate && !p.zero_fill) {
    p.range_piece = r.length - p.range_done;
    ring_->punch_hole(store_->fd(), r.offset + p.range_done, p.range_piece, self, cookie);
    return true;
  }
  if (!fill_pattern(p, s)) {  // out of buffer memory: fail the step as the ring would
    caf::anon_send(self, io::completion{cookie, -ENOMEM});
    return true;
  }
  p.range_piece = std::min<uint64_t>(r.length - p.range_done, p.pattern.size);
  ring_->write(store_->fd(), p.pattern.data, uint32_t(p.range_piece), r.offset + p.range_done, self, cookie);
  return true;
}

void lu_actor::on_range_io(uint64_t cookie, pending& p, int res) {
  const io_step& s = p.plan.steps[p.step];
  if (res == -EOPNOTSUPP && s.kind == io_step::op::deallocate && !p.zero_fill) {
    p.zero_fill = true;  // no hole punching here: zeros give the same reads
    log::debug("lu {}: cannot punch holes, writing zeros instead", def_.name);
    res = 0;
    p.range_piece = 0;
  } else if (res >= 0 && s.kind != io_step::op::deallocate && uint64_t(res) < p.range_piece) {
    res = -EIO;  // a short write: beyond the end of the store
  }
  if (res < 0) {
    if (res != -ECANCELED) log::warn("lu {}: I/O error {} in a range step", def_.name, res);
    if (!stopped(p)) finish(p, res);
    end(cookie, p);
    return;
  }
  p.range_done += p.range_piece;
  if (p.long_op) long_op_progress(p, p.range_piece);
  p.range_piece = 0;
  if (stopped(p)) {  // stop between pieces (a long operation never stops)
    end(cookie, p);
    return;
  }
  if (start_range_io(cookie, p, s)) return;
  if (p.pattern) io::buffer_pool::global().release(p.pattern);
  p.zero_fill = false;
  if ((s.kind == io_step::op::write_same || s.kind == io_step::op::deallocate) && s.fua) {
    p.fua_done = true;  // on stable storage before the step completes (on_io_done syncs and moves on)
    sync_step(cookie, s);
    return;
  }
  ++p.step;
  start_step(cookie, p);
}

}  // namespace stmfd
