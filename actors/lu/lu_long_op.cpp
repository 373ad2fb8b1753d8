// Long operations of the LU shell (LU provider contract, lu_outcome::
// long_op: SANITIZE, FORMAT UNIT): the task leaves the task set once the
// operation starts, the steps run in bounded pieces that no abort stops,
// the core hears the progress after each piece, and the provider's durable
// record is kept under dataDir so that an operation a crash or a restart
// interrupted is known at the next start (SBC-4 4.11.4 sanitize failure).
#include <algorithm>
#include <cstring>

#include <caf/all.hpp>

#include "actors/common/log.hpp"
#include "actors/lu/lu_actor.hpp"
#include "actors/lu/state_file.hpp"

namespace stmfd {

namespace {
bool is_piecewise(io_step::op k) { return k == io_step::op::deallocate || k == io_step::op::write_same; }
}  // namespace

void lu_actor::start_long_op(uint64_t handle, task_ptr t, pending p) {
  p.long_op = true;
  // The task (and its CDB and Data-Out) may go back to the port before the
  // operation ends: keep the CDB, drop the Data-Out (steps use io_step::mem).
  const size_t n = std::min(p.cmd.cdb_len, p.cdb_copy.size());
  std::memcpy(p.cdb_copy.data(), p.cmd.cdb, n);
  p.cmd.cdb = p.cdb_copy.data();
  p.cmd.cdb_len = n;
  p.cmd.data_out = nullptr;
  p.cmd.data_out_len = 0;
  uint64_t per_step = 0;
  for (const auto& r : p.plan.ranges) per_step += r.length;
  for (uint8_t i = 0; i < p.plan.nsteps; ++i)
    if (is_piecewise(p.plan.steps[i].kind)) p.long_total += per_step;
  if (p.plan.long_op == lu_outcome::long_op_kind::immediate) {
    complete(t, lu_outcome{}, nullptr);  // GOOD now (IMMED); the operation goes on
  } else {
    p.t = std::move(t);
  }
  log::info("lu {}: long operation started ({:#04x}, {} bytes)", def_.name, p.cdb_copy[0], p.long_total);
  auto [it, ok] = inflight_.emplace(handle, std::move(p));
  // Out of the task set: every newer command now reaches the core, which
  // answers it while the operation runs (it waited for every older one).
  set_.finish(handle, runnable_);
  start_step(handle, it->second);
  drain();
}

int lu_actor::run_ram_piece(pending& p, const io_step& s, bool& more) {
  if (!p.piece_started) {
    for (const auto& r : p.plan.ranges)
      if (r.offset > store_->size() || r.length > store_->size() - r.offset) return -EINVAL;
    p.piece_started = true;
    p.range_i = 0;
    p.range_done = 0;
  }
  const uint8_t* block = s.kind == io_step::op::write_same && s.length > 0 ? same_block(p, s) : nullptr;
  if (s.kind == io_step::op::write_same && s.length > 0 && !block) return -EINVAL;
  uint64_t budget = long_op_piece;
  const auto& rs = p.plan.ranges;
  while (budget > 0 && p.range_i < rs.size()) {
    const byte_range& r = rs[p.range_i];
    uint64_t n = std::min(budget, r.length - p.range_done);
    if (block) n -= n % s.length;                                      // whole repetitions per piece
    if (n == 0 && r.length - p.range_done < (block ? s.length : 1)) {  // the range is done
      ++p.range_i;
      p.range_done = 0;
      continue;
    }
    if (n == 0) break;
    uint8_t* at = store_->ram() + r.offset + p.range_done;
    if (s.kind == io_step::op::deallocate) {
      store_->ram_deallocate(r.offset + p.range_done, n);
    } else if (!block) {
      std::memset(at, 0, n);
    } else {
      for (uint64_t o = 0; o < n; o += s.length) std::memcpy(at + o, block, s.length);
    }
    p.range_done += n;
    budget -= n;
    long_op_progress(p, n);
  }
  more = p.range_i < rs.size();
  if (!more) p.piece_started = false;
  return 0;
}

void lu_actor::long_op_progress(pending& p, uint64_t bytes) {
  p.long_done += bytes;
  core_->long_op_progress(std::min(p.long_done, p.long_total), p.long_total);
}

std::string lu_actor::durable_path() const {
  if (def_.state_dir.empty()) return {};
  return def_.state_dir + "/" + def_.name + ".lu-state";
}

void lu_actor::store_durable(const std::vector<uint8_t>& record) {
  const auto path = durable_path();
  if (path.empty()) return;  // no dataDir: nothing survives the daemon
  if (!state_file::write(path, record))
    log::error("lu {}: cannot save its state to {}: {}", def_.name, path, std::strerror(errno));
}

void lu_actor::load_durable() {
  const auto path = durable_path();
  if (path.empty()) return;
  auto record = state_file::read(path);
  if (!record || record->empty()) return;
  log::info("lu {}: state restored from {}", def_.name, path);
  core_->restore_durable(*record);
}

}  // namespace stmfd
