#include "plugins/lu/ssc/drive.hpp"

#include "plugins/lu/ssc/command_table.hpp"
#include "wire/scsi/cdb.hpp"

namespace stmfd::ssc {

using namespace scsi;

drive::drive(lu_identity id, media::header blank) {
  st_.id = std::move(id);
  st_.blank = std::move(blank);
  st_.defaults = st_.mode;
}

command_info drive::classify(const uint8_t* cdb, size_t len) const {
  return lu_table::classify_found(find_command(cdb, cdb ? len : 0), data_dir::out);
}

// The shared CDB checks (plugins/lu/common/command_table.hpp), then the
// tape's own: no cartridge (NOT READY, MEDIUM NOT PRESENT), a write to a
// write-protected one (DATA PROTECT, WRITE PROTECTED).
lu_outcome drive::execute(const lu_command& cmd, uint8_t* data_in, size_t data_in_cap) {
  const auto found = find_command(cmd.cdb, cmd.cdb ? cmd.cdb_len : 0);
  if (auto refused = lu_table::check_cdb(found, cmd)) return *refused;
  const command_row& r = *found.row;
  if ((r.flags & flag::needs_medium) && !st_.tape) return check(sense::medium_not_present());
  if ((r.flags & flag::writes_medium) && !st_.tape->writable()) return check(sense::write_protected());
  st_.pending = {};
  exec_ctx x{st_, cmd, data_in, data_in_cap};
  return r.handler(x);
}

lu_outcome drive::finish(const lu_command& cmd, const lu_outcome&, int io_result, uint8_t failed_step,
                         const uint8_t*) {
  exec_ctx x{st_, cmd, nullptr, 0};
  const auto what = st_.pending.what;
  lu_outcome o;
  switch (what) {
    case pending_op::kind::read: o = handlers::finish_read(x, io_result); break;
    case pending_op::kind::write:
    case pending_op::kind::sync: o = handlers::finish_write(x, io_result, failed_step); break;
    case pending_op::kind::load:
    case pending_op::kind::unload: o = handlers::finish_load_unload(x, io_result); break;
    case pending_op::kind::none: o = check(sense::internal_target_failure()); break;
  }
  st_.pending.what = pending_op::kind::none;
  st_.pending.items.clear();
  st_.pending.plan.image.clear();
  return o;
}

// saved_state() layout, version 1: [1, d_sense, block length (3 bytes, big-endian)].
std::vector<uint8_t> drive::saved_state() const {
  const uint32_t bl = st_.mode.block_length;
  return {1, uint8_t(st_.mode.d_sense), uint8_t(bl >> 16), uint8_t(bl >> 8), uint8_t(bl)};
}

void drive::restore(const std::vector<uint8_t>& saved) {
  if (saved.size() != 5 || saved[0] != 1) return;
  st_.mode.d_sense = saved[1] != 0;
  const uint32_t bl = get_be24(saved.data() + 2);
  if (bl <= max_block_length) st_.mode.block_length = bl;
}

lu_core::medium_request drive::next(const media::file_request& r) {
  medium_request m;
  switch (r.what) {
    case media::file_request::op::read:
      m.what = medium_request::op::read;
      m.offset = r.offset;
      m.length = r.length;
      return m;
    case media::file_request::op::write:
      m.what = medium_request::op::write;
      m.offset = r.offset;
      m.length = r.length;
      m.data = r.data;
      return m;
    case media::file_request::op::done:
      st_.tape = st_.loading->take();
      st_.loading.reset();
      m.what = medium_request::op::done;
      return m;
    case media::file_request::op::failed:
      st_.loading.reset();
      m.what = medium_request::op::failed;
      m.error = r.error;
      return m;
  }
  return m;
}

lu_core::medium_request drive::medium_attached(uint64_t file_size, bool writable) {
  st_.tape.reset();
  st_.loading.emplace(st_.blank);
  return next(st_.loading->start(file_size, writable));
}

lu_core::medium_request drive::medium_read_done(const uint8_t* data, size_t n) {
  if (!st_.loading) return {medium_request::op::failed, 0, 0, nullptr, "no load in progress"};
  return next(st_.loading->read_done(data, n));
}

lu_core::medium_request drive::medium_write_done() {
  if (!st_.loading) return {medium_request::op::failed, 0, 0, nullptr, "no load in progress"};
  return next(st_.loading->write_done());
}

void drive::medium_detached() {
  st_.tape.reset();
  st_.loading.reset();
}

}  // namespace stmfd::ssc
