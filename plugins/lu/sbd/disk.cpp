#include "plugins/lu/sbd/disk.hpp"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>

#include "wire/scsi/cdb.hpp"

namespace stmfd::sbd {

using namespace scsi;

bool disk::valid(const geometry& g) {
  if (g.block_size < 512 || g.block_size > 65536 || !std::has_single_bit(g.block_size)) return false;
  if (g.block_count > (uint64_t(1) << 62) / g.block_size) return false;  // byte offsets fit int64
  return g.lbppbe <= 15;
}

disk::disk(identity id, geometry geo, bool write_cache_enabled) {
  if (geo.block_size < 512 || !std::has_single_bit(geo.block_size)) geo.block_size = 512;
  geo.lbppbe &= 0x0F;
  st_.id = std::move(id);
  st_.geo = geo;
  st_.mode.wce = write_cache_enabled;
  st_.defaults = st_.mode;
}

outcome disk::execute(const command& cmd, uint8_t* data_in, size_t data_in_cap) {
  const auto found = find_command(cmd.cdb, cmd.cdb ? cmd.cdb_len : 0);
  switch (found.result) {
    case lookup_result::unknown_opcode: return check(sense::invalid_opcode());
    case lookup_result::unknown_service_action:
      // SPC-4 4.2.5.1: unsupported service action -> INVALID FIELD IN CDB.
      return check(invalid_cdb_field(1, 4));
    case lookup_result::found: break;
  }
  const command_row& r = *found.row;
  if (cmd.cdb_len < r.info.cdb_len) return check(invalid_cdb_field(0));
  if (auto bad = check_usage(cmd.cdb, r.info.usage.data(), r.info.cdb_len))
    return check(sense_info{sense::invalid_field_in_cdb(), {}, bad});
  // A fully provisioned LU has no UNMAP, GET LBA STATUS, BLOCK or CRYPTO
  // ERASE (SBC-3 4.7.2); an unsupported service action is INVALID FIELD IN
  // CDB (SPC-4 4.2.5.1).
  if ((r.flags & flag::thin_only) && !st_.geo.thin)
    return check(r.info.has_sa ? invalid_cdb_field(1, 4) : plain(sense::invalid_opcode()));
  // SBC-4 4.11.2 (and 5.3.1 for a format): while a long operation runs,
  // only INQUIRY, REQUEST SENSE and REPORT LUNS are processed.
  if (st_.op.running != long_op_state::kind::none && !(r.flags & flag::ok_during_long_op))
    return check(st_.op.in_progress());
  // SBC-4 4.11.4: after a failed sanitize, medium access fails until a
  // sanitize succeeds or EXIT FAILURE MODE ends the failure mode.
  if (st_.op.sanitize_failed && (r.ser == ser_class::read || r.ser == ser_class::write))
    return check(sense::sanitize_command_failed());
  if (!st_.medium_present && needs_medium(r)) return check(sense::medium_not_present());
  // The handlers see the mode parameters of this command's I_T nexus.
  const control_params before = control_of(cmd.nexus);
  st_.mode.d_sense = before.d_sense;
  st_.mode.swp = before.swp;
  if ((r.flags & flag::writes_medium) && st_.write_protected())
    return check(st_.geo.read_only ? sense::write_protected() : sense::software_write_protected());
  // SANITIZE and FORMAT UNIT change every block, also those another I_T
  // nexus has write protected with its own Control page SWP: refused
  // while any nexus holds SWP.
  if ((r.flags & flag::writes_medium) && r.ser == ser_class::exclusive && any_swp())
    return check(sense::software_write_protected());
  exec_ctx ctx{st_, cmd, data_in, data_in_cap};
  outcome o = r.handler(ctx);
  const control_params after{st_.mode.d_sense, st_.mode.swp};
  if (after != before) {
    restore_control(cmd.nexus, after);
    o.state_changed = true;
  }
  return o;
}

void disk::forget(uint64_t nexus) {
  control_.erase(nexus);
  st_.prevent.erase(nexus);
}

void disk::reset() { st_.prevent.clear(); }

outcome disk::finish_long_op(int io_result) {
  auto& op = st_.op;
  const auto ran = op.running;
  op.running = long_op_state::kind::none;
  op.progress = 0;
  op.pass_block[0] = {};
  op.pass_block[1] = {};
  outcome o;
  if (io_result < 0) {
    // SBC-4 4.11.4 / 5.3.1: the medium is in an unknown state. A failed
    // sanitize enters the failure mode (durable); a failed format is
    // reported and leaves the LU as it is.
    sense_info info =
        plain(ran == long_op_state::kind::format ? sense::format_command_failed() : sense::sanitize_command_failed());
    if (io_result == -ECANCELED) info = plain(sense::command_aborted());
    if (ran == long_op_state::kind::sanitize) {
      op.sanitize_failed = true;
      op.failed_ause = op.ause;
    }
    o = check(info);
  } else if (ran == long_op_state::kind::sanitize) {
    op.sanitize_failed = false;  // a sanitize that completes ends any failure mode
  }
  if (ran == long_op_state::kind::sanitize) o.durable = op.record();
  return o;
}

void disk::long_op_progress(uint64_t done, uint64_t total) {
  st_.op.progress = total ? uint16_t(std::min<uint64_t>(done * 65536 / total, 0xFFFF)) : 0;
}

void disk::restore_durable(const std::vector<uint8_t>& record) {
  // [1, 1 running / 2 failed, AUSE] (long_op_state::record): a sanitize
  // that was running when the LU stopped did not complete (SBC-4 4.11.4).
  if (record.size() != 3 || record[0] != 1 || (record[1] != 1 && record[1] != 2)) return;
  st_.op.sanitize_failed = true;
  st_.op.failed_ause = record[2] & 1;
}

control_params disk::control_of(uint64_t nexus) const {
  auto it = control_.find(nexus);
  return it != control_.end() ? it->second : control_params{st_.defaults.d_sense, st_.defaults.swp};
}

void disk::restore_control(uint64_t nexus, control_params c) {
  if (c == control_params{st_.defaults.d_sense, st_.defaults.swp}) {
    control_.erase(nexus);
  } else {
    control_[nexus] = c;
  }
}

namespace {

sense_code errno_to_sense(int err, io_step::op kind) {
  switch (err) {
    case EIO: return kind == io_step::op::read ? sense::read_error() : sense::write_error();
    case ENOSPC:
    case EDQUOT: return sense::space_allocation_failed_write_protect();
    case EROFS: return sense::write_protected();
    case ECANCELED: return sense::command_aborted();
    default: return sense::internal_target_failure();
  }
}

bool verify_compares(const uint8_t* cdb, size_t len, uint8_t& bytchk) {
  const auto rw = decode_rw(cdb, len);
  if (!rw) return false;
  switch (cdb[0]) {
    case op::verify10:
    case op::verify12:
    case op::verify16:
    case op::write_verify10:
    case op::write_verify12:
    case op::write_verify16: bytchk = rw->bytchk; return bytchk != 0;
    default: return false;
  }
}

}  // namespace

outcome disk::finish(const command& cmd, const outcome& planned, int io_result, uint8_t failed_step,
                     const uint8_t* buffer) const {
  if (io_result == -io_miscompare && failed_step < planned.nsteps &&
      planned.steps[failed_step].kind == io_step::op::compare) {
    // SBC-3 5.2: COMPARE AND WRITE's verify data differ from the medium:
    // MISCOMPARE, INFORMATION = the offset of the first differing byte in
    // the Data-Out buffer (the verify data come first).
    const io_step& s = planned.steps[failed_step];
    if (!buffer || !cmd.data_out) return check(sense::internal_target_failure());
    const uint8_t* mine = buffer + s.buf_offset;
    const uint8_t* m = std::mismatch(mine, mine + s.length, cmd.data_out + s.buf_offset).first;
    sense_info info = plain(sense::miscompare_during_verify());
    info.information = uint64_t(s.buf_offset + (m - mine));
    outcome o = check(info);
    o.transfer_length = planned.transfer_length;
    return o;
  }
  if (io_result < 0) {
    const uint8_t i = failed_step < planned.nsteps ? failed_step : 0;
    const io_step& s = planned.steps[i];
    const sense_code code = errno_to_sense(-io_result, s.kind);
    sense_info info = plain(code);
    if (code.key == sense_key::medium_error) info.information = s.offset / st_.geo.block_size;
    outcome o = check(info);
    o.transfer_length = planned.transfer_length;
    return o;
  }
  uint8_t bytchk = 0;
  if (cmd.cdb && verify_compares(cmd.cdb, cmd.cdb_len, bytchk) && planned.buffer_len) {
    // SBC-3 5.33 / 5.35: BYTCHK 01b compares the range with Data-Out, 11b
    // every block with the single Data-Out block; only whole blocks of
    // Data-Out that arrived take part (see command::data_out).
    const uint32_t bs = st_.geo.block_size;
    const uint32_t have = cmd.data_out ? cmd.data_out_len - cmd.data_out_len % bs : 0;
    if (!buffer) return check(sense::internal_target_failure());
    const uint8_t* bad = nullptr;
    if (bytchk == 3) {
      if (have >= bs)
        for (const uint8_t* b = buffer; b + bs <= buffer + planned.buffer_len && !bad; b += bs) {
          const uint8_t* m = std::mismatch(b, b + bs, cmd.data_out).first;
          if (m != b + bs) bad = m;
        }
    } else {
      const uint32_t n = std::min(planned.buffer_len, have);
      const uint8_t* m = std::mismatch(buffer, buffer + n, cmd.data_out).first;
      if (m != buffer + n) bad = m;
    }
    if (bad) {
      sense_info info = plain(sense::miscompare_during_verify());
      info.information = uint64_t(bad - buffer);
      outcome o = check(info);
      o.transfer_length = planned.transfer_length;
      return o;
    }
  }
  outcome o = good(planned.data_in ? planned.buffer_len : 0);
  o.transfer_length = planned.transfer_length;
  return o;
}

outcome disk::finish_mapped(const command& cmd, const outcome& planned, int io_result, uint8_t failed_step,
                            uint8_t* buffer) const {
  if (io_result < 0 || !buffer || planned.nsteps == 0 || planned.steps[0].kind != io_step::op::map_extents)
    return finish(cmd, planned, io_result, failed_step, buffer);
  return finish_lba_status(st_, cmd, planned, buffer);
}

command_info disk::classify(const uint8_t* cdb, size_t len) {
  command_info f;
  const auto found = find_command(cdb, cdb ? len : 0);
  if (found.result != lookup_result::found) return f;
  const command_row& r = *found.row;
  f = lu_table::info_of(r);
  switch (r.dir) {
    case data_dir::out: f.data_out = true; break;
    case data_dir::out_if_bytchk: f.data_out = len > 1 && (cdb[1] & 0x06); break;
    default: break;
  }
  // The blocks a medium access command touches; SYNCHRONIZE CACHE with
  // NUMBER OF BLOCKS 0 (SBC-3 5.22) and START STOP UNIT cover the medium.
  if (r.ser == ser_class::read || r.ser == ser_class::write || r.ser == ser_class::flush) {
    auto rw = len >= r.info.cdb_len ? decode_rw(cdb, len) : std::nullopt;
    // WRITE SAME and PRE-FETCH with 0 blocks run to the end of the medium;
    // UNMAP and GET LBA STATUS name their blocks outside the CDB.
    const bool to_end = rw && rw->blocks == 0 &&
                        (cdb[0] == op::write_same10 || cdb[0] == op::write_same16 || cdb[0] == op::prefetch10 ||
                         cdb[0] == op::prefetch16);
    if (rw && rw->blocks > 0) {
      f.range.lba = rw->lba;
      f.range.blocks = rw->blocks;
    } else if (r.ser == ser_class::flush || !rw || to_end) {
      f.range.whole = true;
    }
  }
  return f;
}

}  // namespace stmfd::sbd
