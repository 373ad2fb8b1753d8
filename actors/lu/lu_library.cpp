// The LU shell's half of a tape library (issue 8; LU provider contract,
// the "media changer" blocks): a changer core's drive operations go
// through STMF to the drive LUs, one after another; a drive LU's shell
// loads the cartridge a library lends it or lets go of its medium; the
// changer's element map is kept in its state file, written before the
// status of the move that changed it goes out.
#include <cerrno>

#include <caf/all.hpp>

#include "actors/common/log.hpp"
#include "actors/common/messages.hpp"
#include "actors/lu/lu_actor.hpp"
#include "actors/lu/state_file.hpp"
#include "actors/stmf/stmf_admin.hpp"

namespace stmfd {

namespace {
// A drive operation is a load (a few small reads) or an unload: this long
// means STMF or the drive is stuck.
constexpr auto drive_op_timeout = std::chrono::seconds(30);
}  // namespace

std::string persistent_path(const lu_definition& def) {
  if (def.state_dir.empty()) return {};
  return def.state_dir + "/" + def.name + ".state";
}

void lu_actor::save_persistent() {
  const auto path = persistent_path(def_);
  if (path.empty()) return;
  if (auto err = state_file::write_atomically(path, core_->persistent_state()); !err.empty())
    log::error("lu {}: cannot save its state: {}", def_.name, err);
}

void lu_actor::next_drive_op(uint64_t cookie) {
  auto it = inflight_.find(cookie);
  if (it == inflight_.end()) return;
  pending& p = it->second;
  if (p.drive_op == p.plan.drive_ops.size()) {
    finish_drive_ops(cookie, p, 0);
    return;
  }
  const auto& op = p.plan.drive_ops[p.drive_op];
  auto stmf = stmf_.get();
  if (!def_.library || op.drive >= def_.library->drives.size() || !stmf) {
    finish_drive_ops(cookie, p, -ENODEV);
    return;
  }
  const uint8_t what = op.what == lu_outcome::drive_op::op::load ? drive_op_load : drive_op_unload;
  request(stmf, drive_op_timeout, drive_op_atom::value, def_.library->drives[op.drive].lu_name, what, op.path,
          op.barcode, op.capacity)
      .then(
          [this, cookie](int32_t r) {
            auto i = inflight_.find(cookie);
            if (i == inflight_.end()) return;
            if (r < 0) {
              finish_drive_ops(cookie, i->second, r);
              return;
            }
            ++i->second.drive_op;
            next_drive_op(cookie);
          },
          [this, cookie](caf::error& e) {
            log::warn("lu {}: a drive operation failed: {}", def_.name, to_string(e));
            auto i = inflight_.find(cookie);
            if (i != inflight_.end()) finish_drive_ops(cookie, i->second, -ENODEV);
          });
}

// The core learns what the drives did even when the task was aborted
// meanwhile (its map must follow the drives); an aborted task then
// reports nothing (end()).
void lu_actor::finish_drive_ops(uint64_t cookie, pending& p, int result) {
  const lu_outcome o = core_->finish(p.cmd, p.plan, result, 0, nullptr);
  if (o.persist) save_persistent();
  if (!p.t->aborted.load(std::memory_order_acquire)) complete(p.t, o, o.data_in_mem);
  end(cookie, p);
}

// A drive LU. Load: refused with -EEXIST while it holds another medium;
// the file is loaded (created blank with this barcode and capacity when
// missing) and every I_T nexus gets NOT READY TO READY CHANGE, MEDIUM MAY
// HAVE CHANGED (SPC-4 5.14, SSC-3 4.2.3). Unload: refused with -EBUSY
// while an initiator prevents medium removal (SPC-4 6.17), and with
// -EAGAIN while a command is using the medium. Issue 10: while the drive's
// load at start waits for an earlier shell's I/O (load_held_), the
// operation waits too, so a cartridge never leaves for another drive while
// a dead shell's write to it may still land (retry_held_load answers).
caf::result<int32_t> lu_actor::on_drive_op(uint8_t op, const std::string& path, const std::string& barcode,
                                           uint64_t capacity) {
  if (!load_held_) return run_drive_op(op, path, barcode, capacity);
  auto rp = make_response_promise<int32_t>();
  parked_ops_.push_back({rp, op, path, barcode, capacity});
  return rp;
}

int32_t lu_actor::run_drive_op(uint8_t op, const std::string& path, const std::string& barcode, uint64_t capacity) {
  if (!removable_media_) return -ENODEV;
  if (op == drive_op_load) {
    if (medium_fd_ >= 0 || (!medium_path_.empty() && medium_path_ != path)) return -EEXIST;
    medium_path_ = path;
    core_->medium_changing(barcode, capacity);
    if (int r = load_medium(0); r < 0) {
      medium_path_.clear();
      return r;
    }
    ua_.post_all(scsi::sense::medium_may_have_changed());
    return 0;
  }
  if (op != drive_op_unload) return -EINVAL;
  if (core_->medium_removal_prevented()) return -EBUSY;
  if (!inflight_.empty()) return -EAGAIN;
  unload_medium();
  medium_path_.clear();
  return 0;
}

// The core decides; the shell keeps the definition its drive operations
// use (def_.library), persists the map and tells every nexus.
library_change_result lu_actor::on_library_change(const library_change& c) {
  auto r = core_->change_library(c);
  if (r.what != library_change_result::code::ok) return r;
  def_.library = c.next;
  save_persistent();
  if (r.unit_attention) ua_.post_all(*r.unit_attention);
  return r;
}

medium_state lu_actor::on_medium_query() const {
  return {medium_fd_ >= 0, core_->medium_removal_prevented(), !inflight_.empty() || load_held_, medium_path_};
}

}  // namespace stmfd
