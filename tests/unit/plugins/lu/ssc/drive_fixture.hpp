#pragma once
// A tape drive core with an in-memory cartridge file, run the way the LU
// shell runs it: execute, the plan's steps on the file, the medium action,
// finish. Results carry the status, the fixed-format sense bytes and the
// Data-In bytes.
#include <algorithm>
#include <cerrno>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "plugins/lu/ssc/command_table.hpp"
#include "plugins/lu/ssc/drive.hpp"
#include "tests/unit/plugins/lu/ssc/media/tape_file.hpp"
#include "wire/scsi/cdb.hpp"
#include "wire/scsi/sense.hpp"

namespace stmfd::ssc::test {

using bytes = std::vector<uint8_t>;

struct result {
  uint8_t status = 0xFF;
  bytes sense;  // fixed format
  bytes data;
  uint32_t transfer_length = 0;
  bool mode_changed = false;

  bool good() const { return status == scsi::status::good; }
  uint8_t key() const { return sense.size() > 2 ? sense[2] & 0x0F : 0xFF; }
  uint8_t asc() const { return sense.size() > 12 ? sense[12] : 0xFF; }
  uint8_t ascq() const { return sense.size() > 13 ? sense[13] : 0xFF; }
  bool filemark() const { return sense.size() > 2 && (sense[2] & 0x80); }
  bool eom() const { return sense.size() > 2 && (sense[2] & 0x40); }
  bool ili() const { return sense.size() > 2 && (sense[2] & 0x20); }
  bool valid() const { return !sense.empty() && (sense[0] & 0x80); }
  int32_t information() const {
    return sense.size() > 6 ? int32_t(uint32_t(sense[3]) << 24 | sense[4] << 16 | sense[5] << 8 | sense[6]) : 0;
  }
  std::string text() const { return std::string(data.begin(), data.end()); }
};

// A failure of one step of the next command's plan, the way the shell
// reports one: the step's first `landed` bytes reach the file (a short
// write; 0: none), then the command finishes with -error and that step's
// index. The steps after it are not run.
struct step_fault {
  uint8_t step = 0;
  int error = EIO;
  size_t landed = 0;
};

struct drive_fixture {
  media::test::tape_file file;
  drive d;
  bool file_writable = true;
  std::optional<step_fault> fault;  // for the next command with I/O only

  explicit drive_fixture(uint64_t capacity = 1 << 20, bool load_now = true)
      : d(make_id(), media::test::blank_header(capacity, "TAPE01L6")) {
    if (load_now) REQUIRE(load());
  }
  static lu_identity make_id() {
    lu_identity id;
    id.vendor = "STMFD";
    id.product = "VTAPE";
    id.serial = "SERIAL1";
    id.naa[0] = 0x60;
    return id;
  }

  // The shell's load conversation; false when the core reports failed.
  bool load() {
    auto r = d.medium_attached(file.bytes.size(), file_writable);
    for (int guard = 0; guard < 1000000; ++guard) {
      switch (r.what) {
        case lu_core::medium_request::op::read: {
          auto b = file.read(r.offset, r.length);
          r = d.medium_read_done(b.data(), b.size());
          break;
        }
        case lu_core::medium_request::op::write:
          file.write(r.offset, r.data, r.length);
          r = d.medium_write_done();
          break;
        case lu_core::medium_request::op::done: return true;
        case lu_core::medium_request::op::failed: d.medium_detached(); return false;
      }
    }
    return false;
  }

  result run(bytes cdb, const bytes& data_out = {}) {
    lu_command cmd;
    cmd.cdb = cdb.data();
    cmd.cdb_len = cdb.size();
    cmd.data_out = data_out.empty() ? nullptr : data_out.data();
    cmd.data_out_len = uint32_t(data_out.size());
    cmd.expected_length = 1 << 24;
    std::vector<uint8_t> scratch(lu_core::min_data_in_cap);
    lu_outcome o = d.execute(cmd, scratch.data(), scratch.size());
    result r;
    r.mode_changed = o.mode_changed;
    if (o.what == lu_outcome::kind::io || o.medium != lu_outcome::medium_action::none) {
      int io = 0;
      uint8_t failed = 0;
      const std::optional<step_fault> fail = std::exchange(fault, std::nullopt);
      for (uint8_t i = 0; i < o.nsteps && io == 0; ++i) {
        const io_step& s = o.steps[i];
        REQUIRE(s.store == io_step::store_kind::medium);
        if (fail && fail->step == i) {
          if (s.kind == io_step::op::write) file.write(s.offset, s.mem, std::min<size_t>(fail->landed, s.length));
          io = -fail->error;
          failed = i;
        } else if (s.kind == io_step::op::read) {
          auto b = file.read(s.offset, s.length);
          if (b.size() < s.length) {
            io = -EIO;
            failed = i;
          }
          std::copy(b.begin(), b.end(), s.mem);
        } else if (s.kind == io_step::op::write) {
          file.write(s.offset, s.mem, s.length);
        }
      }
      if (io == 0 && o.medium == lu_outcome::medium_action::load) io = load() ? 0 : -EINVAL;
      if (io == 0 && o.medium == lu_outcome::medium_action::unload) d.medium_detached();
      lu_outcome f = d.finish(cmd, o, io, failed, nullptr);
      if (f.data_in_mem) r.data.assign(f.data_in_mem, f.data_in_mem + f.data_in_len);
      o = f;
    } else {
      r.data.assign(scratch.begin(), scratch.begin() + o.data_in_len);
    }
    r.status = o.status;
    r.transfer_length = o.transfer_length;
    if (o.sense) {
      r.sense.resize(64);
      r.sense.resize(scsi::build_sense(*o.sense, false, r.sense.data(), r.sense.size()));
    }
    return r;
  }

  // CDB builders.
  result write6(const std::string& s, bool fixed = false, uint32_t count = 0) {
    const uint32_t n = fixed ? count : uint32_t(s.size());
    return run({0x0A, uint8_t(fixed), uint8_t(n >> 16), uint8_t(n >> 8), uint8_t(n), 0}, bytes(s.begin(), s.end()));
  }
  result read6(uint32_t n, bool fixed = false, bool sili = false) {
    return run({0x08, uint8_t((fixed ? 1 : 0) | (sili ? 2 : 0)), uint8_t(n >> 16), uint8_t(n >> 8), uint8_t(n), 0});
  }
  result filemarks(uint32_t n, bool immed = false) {
    return run({0x10, uint8_t(immed), uint8_t(n >> 16), uint8_t(n >> 8), uint8_t(n), 0});
  }
  result rewind() { return run({0x01, 0, 0, 0, 0, 0}); }
  result space6(uint8_t code, int32_t n) {
    const uint32_t u = uint32_t(n) & 0xFFFFFF;
    return run({0x11, code, uint8_t(u >> 16), uint8_t(u >> 8), uint8_t(u), 0});
  }
  result set_block_length(uint32_t bl) {
    return run({0x15, 0x10, 0, 0, 12, 0},
               {0, 0, 0x10, 8, 0, 0, 0, 0, 0, uint8_t(bl >> 16), uint8_t(bl >> 8), uint8_t(bl)});
  }
  uint64_t position() {
    auto r = run({0x34, 0x06, 0, 0, 0, 0, 0, 0, 0, 0});
    REQUIRE(r.good());
    return scsi::get_be64(r.data.data() + 8);
  }
};

}  // namespace stmfd::ssc::test
