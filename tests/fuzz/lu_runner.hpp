#pragma once
// Drives an LU provider's core (actors/contracts/lu_provider.hpp) the way
// the LU shell does (actors/lu/lu_actor.cpp, lu_range_steps.cpp), against
// RAM: a backing store and a medium file in vectors. The input is a
// stream of commands (cmd_stream). The shell copies RAM steps without a
// bounds check, so every plan is checked here: a step outside the store,
// the plan buffer or the Data-Out is a bug of the core and aborts (the
// fuzzer reports it), as does a reply longer than the scratch it got.
#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "actors/contracts/lu_provider.hpp"
#include "wire/scsi/sense.hpp"

namespace stmfd::fuzz {

// One command of the input: [flags][CDB: 6, 10, 12 or 16 bytes by the
// opcode's group][Data-Out length, 2 bytes big-endian][Data-Out].
// flags: bits 0-1 the I_T nexus (0..3); bits 2-3 the fault the plan's first
// step gets (0, 3: none; 1: EIO; 2: ENOSPC); bit 4 the nexus ends after it
// (nexus_gone); bit 5 a LOGICAL UNIT RESET after it.
struct cmd_input {
  uint8_t cdb[16] = {};
  size_t cdb_len = 0;
  const uint8_t* data_out = nullptr;
  uint32_t data_out_len = 0;
  uint64_t nexus = 0;
  int fault = 0;
  bool gone = false, reset = false;
};

class cmd_stream {
 public:
  cmd_stream(const uint8_t* p, size_t n) : p_(p), n_(n) {}
  bool next(cmd_input& c) {
    if (n_ - pos_ < 2) return false;
    const uint8_t flags = p_[pos_++];
    c = cmd_input{};
    c.nexus = flags & 3;
    const int f = (flags >> 2) & 3;
    c.fault = f == 1 ? -EIO : f == 2 ? -ENOSPC : 0;
    c.gone = flags & 0x10;
    c.reset = flags & 0x20;
    static constexpr size_t by_group[8] = {6, 10, 10, 16, 16, 12, 16, 16};  // SPC-4 4.2.5.1
    c.cdb_len = std::min(by_group[p_[pos_] >> 5], n_ - pos_);
    std::memcpy(c.cdb, p_ + pos_, c.cdb_len);
    pos_ += c.cdb_len;
    if (n_ - pos_ >= 2) {
      const size_t want = size_t(p_[pos_]) << 8 | p_[pos_ + 1];
      pos_ += 2;
      c.data_out_len = uint32_t(std::min(want, n_ - pos_));
      c.data_out = c.data_out_len ? p_ + pos_ : nullptr;
      pos_ += c.data_out_len;
    }
    return true;
  }

 private:
  const uint8_t* p_;
  size_t n_, pos_ = 0;
};

[[noreturn]] inline void plan_bug() { std::abort(); }

inline void check_range(uint64_t off, uint64_t len, uint64_t size) {
  if (off > size || len > size - off) plan_bug();
}

// The shell's side of the medium conversation (lu_core::medium_*): the
// file grows on writes, reads are cut at its end.
inline bool load_medium(lu_core& core, std::vector<uint8_t>& file, bool writable) {
  auto r = core.medium_attached(file.size(), writable);
  for (int guard = 0; guard < 100000; ++guard) {
    switch (r.what) {
      case lu_core::medium_request::op::read: {
        const uint64_t off = std::min<uint64_t>(r.offset, file.size());
        const size_t n = size_t(std::min<uint64_t>(r.length, file.size() - off));
        r = core.medium_read_done(file.data() + off, n);
        break;
      }
      case lu_core::medium_request::op::write:
        if (r.offset + r.length > (64u << 20)) plan_bug();  // the harness's cartridges are 1 MiB
        if (file.size() < r.offset + r.length) file.resize(r.offset + r.length);
        std::memcpy(file.data() + r.offset, r.data, r.length);
        r = core.medium_write_done();
        break;
      case lu_core::medium_request::op::done: return true;
      case lu_core::medium_request::op::failed: core.medium_detached(); return false;
    }
  }
  plan_bug();  // the conversation never ends: a hang in the shell
}

struct ram_lu {
  lu_core& core;
  std::vector<uint8_t> store;   // the backing store (empty for tape and changer)
  std::vector<uint8_t> medium;  // the loaded cartridge file (tape)
  std::vector<uint8_t> scratch = std::vector<uint8_t>(lu_core::min_data_in_cap);

  // Runs one step; 0 or -errno as the shell's step would end.
  int run_step(const lu_outcome& plan, const io_step& s, std::vector<uint8_t>& buffer, std::vector<uint8_t>& out) {
    auto& st = s.store == io_step::store_kind::medium ? medium : store;
    auto plan_mem = [&](uint32_t off, uint32_t len) -> uint8_t* {
      if (s.mem) return s.mem;
      check_range(off, len, buffer.size());
      return buffer.data() + off;
    };
    auto data_out = [&](uint32_t off, uint32_t len) -> uint8_t* {
      if (s.mem) return s.mem;
      check_range(off, len, out.size());
      return out.data() + off;
    };
    switch (s.kind) {
      case io_step::op::read:
        if (s.store == io_step::store_kind::medium) {  // a file: short at its end
          if (s.offset + s.length > st.size()) return -EIO;
        } else {
          check_range(s.offset, s.length, st.size());
        }
        std::memcpy(plan_mem(s.buf_offset, s.length), st.data() + s.offset, s.length);
        return 0;
      case io_step::op::write:
        if (s.store == io_step::store_kind::medium) {
          if (s.offset + s.length > (64u << 20)) plan_bug();
          if (st.size() < s.offset + s.length) st.resize(s.offset + s.length);
        } else {
          check_range(s.offset, s.length, st.size());
        }
        if (s.length) std::memcpy(st.data() + s.offset, data_out(s.buf_offset, s.length), s.length);
        return 0;
      case io_step::op::flush: return 0;
      case io_step::op::compare:
      case io_step::op::merge_or: {
        if (out.size() < uint64_t(s.buf_offset) + s.length) return -EINVAL;  // as the shell checks
        uint8_t* mine = plan_mem(s.buf_offset, s.length);
        uint8_t* theirs = out.data() + s.buf_offset;
        if (s.kind == io_step::op::compare) return std::memcmp(mine, theirs, s.length) ? -io_miscompare : 0;
        for (uint32_t i = 0; i < s.length; ++i) theirs[i] |= mine[i];
        return 0;
      }
      case io_step::op::map_extents: {
        if (plan.ranges.empty()) return -EINVAL;
        const auto& r = plan.ranges[0];
        if (r.offset > st.size() || r.length > st.size() - r.offset) return -EINVAL;
        uint8_t* b = plan_mem(s.buf_offset, s.length);
        extent_record rec;  // RAM: one mapped extent, then the end of the list
        rec.offset = r.offset;
        rec.length = r.length;
        rec.mapped = 1;
        const size_t max = s.length / sizeof(extent_record);
        if (max > 0) std::memcpy(b, &rec, sizeof rec);
        if (max > 1) std::memset(b + sizeof rec, 0, sizeof rec);
        return 0;
      }
      case io_step::op::deallocate:
      case io_step::op::write_same: {
        for (const auto& r : plan.ranges)
          if (r.offset > st.size() || r.length > st.size() - r.offset) return -EINVAL;
        const uint8_t* block = nullptr;
        if (s.kind == io_step::op::write_same && s.length > 0) {
          if (s.mem) {
            block = s.mem;
          } else if (out.size() < uint64_t(s.buf_offset) + s.length) {
            return -EINVAL;
          } else {
            block = out.data() + s.buf_offset;
          }
        }
        for (const auto& r : plan.ranges) {
          if (!block) {
            std::memset(st.data() + r.offset, 0, r.length);
            continue;
          }
          for (uint64_t o = 0; o + s.length <= r.length; o += s.length)
            std::memcpy(st.data() + r.offset + o, block, s.length);
        }
        return 0;
      }
    }
    return -EINVAL;
  }

  // One command through execute, the plan and finish, as lu_actor does.
  void run(const cmd_input& in) {
    lu_command cmd;
    cmd.nexus = in.nexus;
    cmd.cdb = in.cdb;
    cmd.cdb_len = in.cdb_len;
    std::vector<uint8_t> out(in.data_out, in.data_out + in.data_out_len);  // the task's own Data-Out copy
    cmd.data_out = out.empty() ? nullptr : out.data();
    cmd.data_out_len = uint32_t(out.size());
    cmd.expected_length = std::max<uint32_t>(cmd.data_out_len, 1u << 16);
    (void)core.classify(in.cdb, in.cdb_len);
    lu_outcome o = core.execute(cmd, scratch.data(), scratch.size());
    if (o.what == lu_outcome::kind::done && o.data_in_len > scratch.size()) plan_bug();
    const bool actions = o.medium != lu_outcome::medium_action::none || !o.drive_ops.empty();
    if (o.what == lu_outcome::kind::io || actions || o.long_op != lu_outcome::long_op_kind::none) {
      if (o.buffer_len > (64u << 20)) plan_bug();  // the shell would take it from the pool
      std::vector<uint8_t> buffer(o.buffer_len);
      int res = 0;
      uint8_t failed = 0;
      bool mapped = false;
      for (uint8_t i = 0; i < o.nsteps; ++i) {
        if (i >= o.steps.size()) plan_bug();
        mapped |= o.steps[i].kind == io_step::op::map_extents;
        res = i == 0 && in.fault ? in.fault : run_step(o, o.steps[i], buffer, out);
        if (res < 0) {
          failed = i;
          break;
        }
      }
      if (o.nsteps > o.steps.size()) plan_bug();
      if (res == 0 && !o.drive_ops.empty()) res = in.fault;  // the changer's drive operations
      if (res == 0 && o.medium == lu_outcome::medium_action::load) res = load_medium(core, medium, true) ? 0 : -EIO;
      if (res == 0 && o.medium == lu_outcome::medium_action::unload) core.medium_detached();
      lu_outcome f = mapped ? core.finish_mapped(cmd, o, res, failed, buffer.data())
                            : core.finish(cmd, o, res, failed, buffer.data());
      o = f;
    }
    if (o.sense) {  // as the shell builds it for the port
      uint8_t sense[252];
      if (scsi::build_sense(*o.sense, core.descriptor_sense_for(in.nexus), sense, sizeof sense) > sizeof sense)
        plan_bug();
    }
    (void)core.saved_state();
    (void)core.persistent_state();
    if (in.gone) core.nexus_gone(in.nexus);
    if (in.reset) core.reset();
  }
};

}  // namespace stmfd::fuzz
