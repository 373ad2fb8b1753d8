#include "actors/lu/lu_actor.hpp"
#include "actors/lu/sync_span.hpp"
#include "actors/model/aca.hpp"
#include "actors/stmf/stmf_admin.hpp"

#include <caf/all.hpp>

#include "actors/common/faults.hpp"
#include "actors/common/log.hpp"
#include "actors/common/messages.hpp"
#include "wire/scsi/sense.hpp"

namespace stmfd {

namespace {
constexpr size_t small_reply_cap = 64 * 1024;
// A step held by the lu_io_stall fault point is due (cookie).
using resume_atom = caf::atom_constant<caf::atom("resume")>;
// A command the lu_execute fault point delayed is due.
using delayed_atom = caf::atom_constant<caf::atom("delayed")>;

task_attr attr_of(wire::TaskAttribute a) {
  switch (a) {
    case wire::TaskAttribute::ORDERED: return task_attr::ordered;
    case wire::TaskAttribute::HEAD_OF_QUEUE: return task_attr::head_of_queue;
    case wire::TaskAttribute::ACA: return task_attr::aca;
    default: return task_attr::simple;  // untagged tasks are simple (SAM-5 8.6.1)
  }
}
}  // namespace

lu_actor::lu_actor(caf::actor_config& cfg, std::shared_ptr<lu_shell_start> s)
    : caf::event_based_actor(cfg),
      def_(std::move(s->def)),
      store_(std::move(s->store)),
      ring_(std::move(s->ring)),
      core_(std::move(s->core)),
      ports_(std::move(s->ports)),
      saved_(std::move(s->saved)),
      scratch_(std::max(small_reply_cap, lu_core::min_data_in_cap)),
      removable_media_(s->removable_media),
      medium_path_(def_.path),
      alua_(std::move(s->alua)),
      stmf_(s->stmf),
      stats_(std::move(s->stats)),
      io_guard_(std::move(s->io_guard)),
      predecessors_(std::move(s->predecessors)),
      predecessors_deadline_(std::chrono::steady_clock::now() + predecessor_limit) {
  load_reservations();
  load_durable();  // issue 7: e.g. a sanitize a restart interrupted
  for (auto& n : s->nexuses) attach(n);
  // SAM-5 6.3.1: after a (re)start every I_T nexus learns of it through a
  // POWER ON, RESET, OR BUS DEVICE RESET OCCURRED unit attention.
  if (s->power_on_ua) ua_.power_on();
  for (auto c : s->start_uas) ua_.post_all(c);
  // v3: a tape drive starts with its cartridge loaded (a missing file is
  // created blank; one that cannot be loaded leaves the drive empty: NOT READY).
  // Issue 10: not before the I/O of its earlier shells left the kernel
  // (retry_held_load, lu_medium.cpp).
  if (removable_media_ && !medium_path_.empty()) {
    if (predecessors_pending())
      load_held_ = true;
    else
      load_medium(0);
  }
  // Issue 8: a changer's map as it starts (the state file's, settled against
  // what its drives hold, for this config's library) is the one on disk.
  if (def_.library) save_persistent();
}

caf::behavior lu_actor::make_behavior() {
  if (load_held_) delayed_send(this, predecessor_poll, held_load_atom::value);
  return {
      [this](execute_atom, task_ptr& t) { on_execute(std::move(t)); },
      [this](delayed_atom, execute_atom, task_ptr& t) { execute(std::move(t)); },
      [this](const io::completion& c) { on_io_done(c); },
      [this](tmf_atom, const tmf_request& r) { return on_tmf(r); },
      [this](login_atom, const nexus_attach_msg& m) {
        if (auto a = from_wire(m.get())) attach(*a);  // an unknown transport: not a nexus this LU can serve
      },
      [this](logout_atom, const nexus_detach& m) { detach(m.get().getNexus()); },
      [this](logout_atom, const nexus_detach& m, done_atom) {
        detach(m.get().getNexus());
        return done_atom::value;
      },
      [this](power_on_atom) { ua_.power_on(); },
      // STMF (admin remap): the nexus's LUN inventory changed (SPC-4 5.14).
      [this](luns_atom, uint64_t nexus) { ua_.post(nexus, scsi::sense::reported_luns_changed()); },
      [this](luns_seen_atom, uint64_t nexus) { ua_.clear(nexus, scsi::sense::reported_luns_changed()); },
      [this](alua_atom, const lu_access& a) { set_alua(a); },
      [this](lu_ports_atom, const port_list& p) { set_ports(p); },
      [this](copy_atom, const copy_result& r) { on_copy_result(r); },  // progress
      [this](drive_op_atom, uint8_t op, const std::string& path, const std::string& barcode, uint64_t capacity) {
        return on_drive_op(op, path, barcode, capacity);
      },
      [this](library_atom, const library_change& c) { return on_library_change(c); },
      [this](get_atom, library_atom) { return core_->library_elements(); },
      [this](get_atom, medium_atom) { return on_medium_query(); },
      [this](held_load_atom) { retry_held_load(); },
      [this](resume_atom, uint64_t cookie) {
        auto it = inflight_.find(cookie);
        if (it != inflight_.end()) start_step(cookie, it->second);
      },
  };
}

const local_port* lu_actor::port_of(uint16_t relative_port_id) const {
  if (ports_)
    for (auto& p : *ports_)
      if (p.relative_port_id == relative_port_id) return &p;
  return nullptr;
}

void lu_actor::on_execute(task_ptr t) {
  if (auto f = faults::fire(faults::point::lu_execute, def_.name)) {
    if (f.act == faults::action::delay) {  // a slow mailbox: the command is taken later, past the point
      delayed_send(this, std::chrono::milliseconds(f.ms), delayed_atom::value, execute_atom::value, std::move(t));
      return;
    }
    quit(caf::make_error(caf::sec::runtime_error, "fault injected: lu.execute"));
    return;
  }
  execute(std::move(t));
}

void lu_actor::execute(task_ptr t) {
  if (t->aborted.load(std::memory_order_acquire)) {  // aborted on its way here: never touches the medium
    complete_aborted(t);
    return;
  }
  auto task = t->task;
  auto cdb = task.getCdb();
  uint64_t nexus = task.getNexus();
  // Generic precheck (SAM-5 5.14, SPC-4 5.14): a pending unit attention
  // fails every command but those the provider's row allows.
  command_info info = core_->classify(cdb.begin(), cdb.size());
  // SAM-5 5.9: no LU here supports ACA (NormACA 0); a command that asks for
  // it is refused before any other check (actors/model/aca.hpp).
  if (auto s =
          unsupported_aca(task.getAttribute() == wire::TaskAttribute::ACA, cdb.begin(), info.known ? cdb.size() : 0)) {
    lu_outcome o;
    o.status = scsi::status::check_condition;
    o.sense = *s;
    complete(t, o, nullptr);
    return;
  }
  if (info.known && !info.allowed_with_ua) {
    if (auto ua = ua_.take(nexus)) {
      lu_outcome o;
      o.status = scsi::status::check_condition;
      o.sense = scsi::plain(*ua);
      complete(t, o, nullptr);
      return;
    }
  }
  // SPC-4 5.15.2.4: the access state of the target port group the command
  // came through (after unit attentions, before reservations).
  if (auto s = alua_check(task.getRelativePortId(), info)) {
    lu_outcome o;
    o.status = scsi::status::check_condition;
    o.sense = scsi::plain(*s);
    complete(t, o, nullptr);
    return;
  }
  // SPC-4 5.13: reservations decide for every LU kind (the commands that
  // manage them excepted: the framework answers those itself).
  if (info.known && !info.framework && reservation_conflict(nexus, info)) {
    lu_outcome o;
    o.status = scsi::status::reservation_conflict;
    complete(t, o, nullptr);
    return;
  }
  uint64_t handle = next_cookie_++;
  switch (set_.add(handle, nexus, task.getTaskTag(), attr_of(task.getAttribute()), info.serialization, info.range)) {
    case task_set::admit::run: run_task(handle, std::move(t), info); return;
    case task_set::admit::wait: held_.emplace(handle, held_task{std::move(t), info}); return;
    case task_set::admit::full: {  // SAM-5 5.3.1
      lu_outcome o;
      o.status = scsi::status::task_set_full;
      complete(t, o, nullptr);
      return;
    }
    case task_set::admit::overlapped: {  // SAM-5 5.10: a live task of this nexus has the tag
      lu_outcome o;
      o.status = scsi::status::check_condition;
      o.sense = scsi::plain(scsi::sense::command_aborted_overlapped_commands());
      complete(t, o, nullptr);
      return;
    }
  }
}

void lu_actor::release(uint64_t handle) {
  set_.finish(handle, runnable_);
  drain();
}

void lu_actor::drain() {
  if (draining_) return;  // an outer drain() is starting them
  draining_ = true;
  for (size_t i = 0; i < runnable_.size(); ++i) {  // run_task may release (and append) in turn
    auto it = held_.find(runnable_[i]);
    if (it == held_.end()) continue;
    held_task h = std::move(it->second);
    held_.erase(it);
    if (h.t->aborted.load(std::memory_order_acquire)) {
      complete_aborted(h.t);
      set_.finish(runnable_[i], runnable_);
      continue;
    }
    run_task(runnable_[i], std::move(h.t), h.info);
  }
  runnable_.clear();
  draining_ = false;
}

void lu_actor::fetch_data_out(uint64_t handle, task_ptr t, const command_info& info) {
  auto task = t->task;
  uint32_t have = task.getDataOutLength(), want = task.getExpectedLength();
  auto port = t->port.get();
  if (!port) {  // the nexus is gone: nobody to send the data
    complete_aborted(t);
    release(handle);
    return;
  }
  // The buffer for the rest is the port's to take as it solicits the data
  // (xfer_atom): it knows the session's limits and slows the initiator
  // down while memory is short; the LU never takes it up front.
  fetching_.emplace(handle, held_task{t, info});
  request_data_out(*t, have, want - have, true);
  request(port, data_out_timeout, xfer_atom::value, t)
      .then(
          [this, handle, n = want - have](xfer_atom, task_ptr& x) {
            auto c = transfer_completion(*x);
            on_data_out(handle, c.getStatus() == wire::TransferStatus::OK && c.getBytesMoved() == n);
          },
          [this, handle](caf::error&) { on_data_out(handle, false); });
}

void lu_actor::on_data_out(uint64_t handle, bool ok) {
  auto it = fetching_.find(handle);
  if (it == fetching_.end()) return;
  held_task h = std::move(it->second);
  fetching_.erase(it);
  auto w = fetch_waiters_.find(handle);
  std::vector<std::shared_ptr<tmf_wait>> waiters;
  if (w != fetch_waiters_.end()) {
    waiters = std::move(w->second);
    fetch_waiters_.erase(w);
  }
  bool aborted = h.t->aborted.load(std::memory_order_acquire);
  uint32_t want = h.t->task.getExpectedLength();
  if (ok && (!h.t->data || h.t->data.capacity < want)) {  // a port that said yes without the buffer
    log::warn("lu {}: port answered Data-Out for task {:#x} without a buffer for it", def_.name,
              h.t->task.getTaskTag());
    ok = false;
  }
  if (ok && !aborted) {
    h.t->task.setDataOutLength(h.t->task.getExpectedLength());
    run_task(handle, std::move(h.t), h.info);
  } else {
    // The data will not come (or the task was aborted meanwhile): the task
    // ends without touching the medium, reported aborted; the port sends
    // nothing for it, or the status it chose when it gave up waiting.
    if (!aborted) log::warn("lu {}: Data-Out for task {:#x} did not arrive", def_.name, h.t->task.getTaskTag());
    h.t->aborted.store(true, std::memory_order_release);
    complete_aborted(h.t);
    release(handle);
  }
  for (auto& x : waiters)
    if (--x->remaining == 0) x->rp.deliver(x->answer);
}

void lu_actor::run_task(uint64_t handle, task_ptr t, const command_info& info) {
  auto task = t->task;
  if (task.getDirection() == wire::Direction::WRITE && task.getDataOutLength() < task.getExpectedLength()) {
    fetch_data_out(handle, std::move(t), info);
    return;
  }
  if (info.framework) {  // PERSISTENT RESERVE IN/OUT, RESERVE/RELEASE; REPORT/SET TARGET PORT GROUPS
    auto c = task.getCdb();
    if (scsi::alua::is_rtpg(c.begin(), c.size()) || scsi::alua::is_stpg(c.begin(), c.size()))
      run_alua(handle, std::move(t));
    else
      run_reservation(handle, std::move(t));
    return;
  }
  if (load_held_ && info.known && !info.allowed_with_ua) {  // issue 10: the medium is not loaded yet
    park_for_load(handle, std::move(t), info);
    return;
  }
  auto cdb = task.getCdb();
  uint64_t nexus = task.getNexus();
  pending p;
  p.nexus = nexus;
  p.cmd.nexus = nexus;
  p.tag = task.getTaskTag();
  p.cmd.cdb = cdb.begin();
  p.cmd.cdb_len = cdb.size();
  p.cmd.expected_length = task.getExpectedLength();
  p.cmd.data_out = t->data.data;
  p.cmd.data_out_len = task.getDataOutLength();
  p.cmd.port = port_of(task.getRelativePortId());
  p.cmd.tpgs = scsi::alua::tpgs_implicit_and_explicit;
  // SPC-4 6.39: REQUEST SENSE reports (and so clears) a pending unit attention.
  std::optional<scsi::sense_info> pending_ua;
  if (info.reports_pending_sense) {
    if (auto ua = ua_.take(nexus)) pending_ua = scsi::plain(*ua);
    if (pending_ua) p.cmd.pending_sense = &*pending_ua;
  }
  p.plan = core_->execute(p.cmd, scratch_.data(), scratch_.size());
  p.cmd.pending_sense = nullptr;                       // pointed at this frame's local
  if (p.plan.durable) store_durable(*p.plan.durable);  // before the status reports it
  if (p.plan.copy_manager) {                           // EXTENDED COPY, RECEIVE COPY RESULTS: the framework's
    run_copy(handle, std::move(t), p.cmd);
    return;
  }
  if (p.plan.mode_changed) ua_.post_all_except(nexus, scsi::sense::mode_parameters_changed());
  if ((p.plan.mode_changed || p.plan.state_changed) && saved_) *saved_ = core_->saved_state();
  if (p.plan.what == lu_outcome::kind::done) {
    if (!p.plan.drive_ops.empty()) {  // issue 8: a changer's move through its drives
      p.t = std::move(t);
      inflight_.emplace(handle, std::move(p));
      next_drive_op(handle);
      return;
    }
    if (p.plan.persist) save_persistent();
    if (p.plan.medium != lu_outcome::medium_action::none) {  // v3: e.g. LOAD UNLOAD
      const lu_outcome o = core_->finish(p.cmd, p.plan, medium_action(p.plan.medium, nexus), 0, nullptr);
      complete(t, o, o.data_in_mem);
      release(handle);
      return;
    }
    complete(t, p.plan, scratch_.data());
    release(handle);
    return;
  }
  if (p.plan.long_op != lu_outcome::long_op_kind::none) {  // SANITIZE, FORMAT UNIT
    start_long_op(handle, std::move(t), std::move(p));
    return;
  }
  // The bytes the CDB asks to move, for the transport's residuals.
  task.setCommandLength(p.plan.transfer_length ? p.plan.transfer_length : p.plan.data_in ? p.plan.buffer_len : 0);
  if (p.plan.data_in) {
    t->ensure_data(p.plan.buffer_len);
  } else if (p.plan.buffer_len > 0) {
    p.scratch = io::buffer_pool::global().acquire(p.plan.buffer_len);
  }
  if ((p.plan.data_in && !t->data) || (!p.plan.data_in && p.plan.buffer_len > 0 && !p.scratch)) {
    lu_outcome o;
    o.status = scsi::status::busy;  // out of buffer memory: the initiator retries
    complete(t, o, nullptr);
    if (p.scratch) io::buffer_pool::global().release(p.scratch);
    release(handle);
    return;
  }
  p.t = std::move(t);
  auto [it, ok] = inflight_.emplace(handle, std::move(p));
  start_step(handle, it->second);
}

uint8_t* lu_actor::step_buffer(pending& p, const io_step& s) {
  if (s.mem) return s.mem;  // v3: provider-owned memory
  if (s.kind == io_step::op::write) return const_cast<uint8_t*>(p.cmd.data_out) + s.buf_offset;
  uint8_t* base = p.plan.data_in ? p.t->data.data : p.scratch.data;
  return base + s.buf_offset;
}

// Runs the plan's steps one after another. RAM stores complete inline; file
// and block stores go through the ring and come back as io::completion. An
// aborted task stops before its next step: nothing reaches the medium after
// the abort was seen.
void lu_actor::start_step(uint64_t cookie, pending& p) {
  while (p.step < p.plan.nsteps) {
    if (stopped(p)) {
      end(cookie, p);
      return;
    }
    const auto& s = p.plan.steps[p.step];
    if (wait_for_predecessors(cookie, s)) return;
    if (!p.stalled) {
      if (auto f = faults::fire(faults::point::lu_io_stall, def_.name)) {
        p.stalled = true;  // a slow backing store: come back to this step later
        delayed_send(this, std::chrono::milliseconds(f.ms), resume_atom::value, cookie);
        return;
      }
    }
    p.stalled = false;
    if (is_range_step(s.kind)) {  // issue 7: deallocate, write_same, map_extents, compare, merge_or
      const bool inline_step = store_->kind() == lu_definition::backing_kind::ram ||
                               s.kind == io_step::op::map_extents || s.kind == io_step::op::compare ||
                               s.kind == io_step::op::merge_or;
      if (!inline_step) {
        p.range_i = 0;
        p.range_done = 0;
        if (start_range_io(cookie, p, s)) return;
      } else if (p.long_op && (s.kind == io_step::op::deallocate || s.kind == io_step::op::write_same)) {
        bool more = false;  // RAM: a bounded piece per turn, so the actor keeps answering
        if (int r = run_ram_piece(p, s, more); r < 0) {
          finish(p, r);
          end(cookie, p);
          return;
        }
        if (more) {
          send(caf::actor_cast<caf::actor>(this), resume_atom::value, cookie);
          return;
        }
      } else if (int r = run_inline_step(p, s); r < 0) {
        finish(p, r);
        end(cookie, p);
        return;
      }
      ++p.step;
      continue;
    }
    if (step_fd(s) < 0) {  // v3: a medium step with no medium loaded, or no backing store
      finish(p, -EIO);
      end(cookie, p);
      return;
    }
    if (s.store == io_step::store_kind::backing && store_->kind() == lu_definition::backing_kind::ram) {
      uint8_t* buf = s.kind == io_step::op::flush ? nullptr : step_buffer(p, s);
      if (s.kind == io_step::op::read) std::memcpy(buf, store_->ram() + s.offset, s.length);
      if (s.kind == io_step::op::write) std::memcpy(store_->ram() + s.offset, buf, s.length);
      ++p.step;
      continue;
    }
    auto self = caf::actor_cast<caf::actor>(this);
    bool submitted = true;
    switch (s.kind) {
      case io_step::op::read: ring_->read(step_fd(s), step_buffer(p, s), s.length, s.offset, self, cookie); break;
      case io_step::op::write:
        if (s.length == 0) {
          submitted = false;
          break;
        }
        write_step(cookie, p, s);
        break;
      case io_step::op::flush: sync_step(cookie, s); break;
      default: submitted = false; break;  // the issue 7 kinds ran above
    }
    if (submitted) {
      // The kernel owns the step's buffer now. Dying here leaves it held by
      // inflight_ (the task context, the scratch buffer), which the ring's
      // reference to this actor keeps alive until the completion came back.
      if (faults::hit(faults::point::lu_io_submitted, def_.name))
        quit(caf::make_error(caf::sec::runtime_error, "fault injected: lu.io_submitted"));
      return;
    }
    ++p.step;
  }
  finish(p, medium_action(p.plan.medium, p.nexus));  // v3: after the steps (none: 0)
  end(cookie, p);
}

// A write step. FUA, or WCE=0 (SBC-4 4.12): durable before status. Where
// the store has a direct descriptor that takes this buffer, offset and
// length (backing_store::direct_ok), the write alone is made durable: a
// write on the O_DIRECT descriptor, which on_io_done follows with an
// fdatasync of its byte range (issue 10 section 3; the measured reasons
// are in docs/durability.md; STMFD_WT_DIRECT=dsync: RWF_DSYNC on the write
// instead). Else a buffered write, which on_io_done follows with an
// fdatasync of the file.
void lu_actor::write_step(uint64_t cookie, pending& p, const io_step& s) {
  uint8_t* buf = step_buffer(p, s);
  const bool direct = s.fua && s.store == io_step::store_kind::backing && store_->direct_ok(buf, s.offset, s.length);
  p.dsync = direct && store_->direct_sync() == backing_store::direct_mode::dsync;
  p.direct_range = direct && !p.dsync;  // on_io_done syncs the write's bytes
  const int fd = direct ? store_->direct_fd() : step_fd(s);
  ring_->write(fd, buf, s.length, s.offset, caf::actor_cast<caf::actor>(this), cookie, p.dsync);
}

// fdatasync after step s: of the range sync_span_of gives (a ranged
// SYNCHRONIZE CACHE), else of the whole file.
void lu_actor::sync_step(uint64_t cookie, const io_step& s) {
  const sync_span r = sync_span_of(s);
  ring_->fsync(step_fd(s), true, caf::actor_cast<caf::actor>(this), cookie, r.offset, r.len);
}

// Issue 10: a shell that replaced a failed one must not touch the medium
// while I/O its predecessor submitted is still in the kernel: an old write
// landing after a new one (which the initiator saw succeed) would undo it.
// The predecessor's guard expires when its actor object is destroyed. That
// is the right moment because lu_actor keeps its state in plain members
// (not a caf::stateful_actor, whose state goes at on_exit): in CAF 0.17 the
// members are destroyed only when the last strong reference goes
// (actor_storage's data_dtor), and the ring holds one per request until it
// sent that request's completion (io/ring.hpp). Other short-lived strong
// references (messages in flight, a session's inventory until it takes the
// update) can only make the wait longer, never shorter. The task stays in
// inflight_, so an abort still ends it (start_step checks stopped() first).
bool lu_actor::wait_for_predecessors(uint64_t cookie, const io_step& s) {
  if (predecessors_.empty()) return false;
  if (s.store == io_step::store_kind::backing && store_ && store_->kind() == lu_definition::backing_kind::ram)
    return false;
  if (!predecessors_pending()) return false;
  delayed_send(this, predecessor_poll, resume_atom::value, cookie);
  return true;
}

bool lu_actor::predecessors_pending() {
  if (predecessors_.empty()) return false;
  std::erase_if(predecessors_, [](const std::weak_ptr<const void>& w) { return w.expired(); });
  if (predecessors_.empty()) {
    log::info("lu {}: no I/O of an earlier instance left; medium I/O goes on", def_.name);
    return false;
  }
  if (std::chrono::steady_clock::now() >= predecessors_deadline_) {
    log::error("lu {}: I/O of a failed earlier instance still outstanding after {} s; serving anyway", def_.name,
               std::chrono::duration_cast<std::chrono::seconds>(predecessor_limit).count());
    predecessors_.clear();
    return false;
  }
  return true;
}

// The file a step addresses: the backing store, or (v3) the loaded medium.
// RAM stores answer 0 (they have no fd, and are never waited on).
int lu_actor::step_fd(const io_step& s) const {
  if (s.store == io_step::store_kind::medium) return medium_fd_;
  if (!store_) return -1;
  return store_->kind() == lu_definition::backing_kind::ram ? 0 : store_->fd();
}

void lu_actor::on_io_done(const io::completion& c) {
  auto it = inflight_.find(c.cookie);
  if (it == inflight_.end()) return;
  if (faults::hit(faults::point::lu_io_done, def_.name)) {
    quit(caf::make_error(caf::sec::runtime_error, "fault injected: lu.io_done"));
    return;
  }
  pending& p = it->second;
  const auto& s = p.plan.steps[p.step];
  if ((s.kind == io_step::op::deallocate || s.kind == io_step::op::write_same) && !p.fua_done) {
    on_range_io(c.cookie, p, c.result);
    return;
  }
  int res = c.result;
  bool is_sync = s.kind == io_step::op::flush || p.fua_done;
  if (res >= 0 && !is_sync && uint32_t(res) < s.length) res = -EIO;  // short: beyond EOF
  if (res < 0) {
    if (res != -ECANCELED) log::warn("lu {}: I/O error {} at offset {}", def_.name, res, s.offset);
    if (!stopped(p)) finish(p, res);
    end(c.cookie, p);
    return;
  }
  if ((s.kind == io_step::op::write || s.kind == io_step::op::write_same) && s.fua && !p.fua_done && !p.dsync) {
    // FUA, or WCE=0 (SBC-4 4.12): the data must be durable before status.
    p.fua_done = true;
    if (p.direct_range)
      ring_->fsync(store_->direct_fd(), true, caf::actor_cast<caf::actor>(this), c.cookie, s.offset, s.length);
    else
      sync_step(c.cookie, s);
    return;
  }
  p.fua_done = false;
  p.dsync = false;
  p.direct_range = false;
  ++p.step;
  start_step(c.cookie, p);
}

void lu_actor::finish(pending& p, int io_result) {
  uint8_t failed = io_result < 0 ? p.step : 0;
  uint8_t* buf = p.plan.data_in && p.t ? p.t->data.data : p.scratch.data;
  bool mapped = false;  // a map_extents plan: the core writes its Data-In from the records
  for (uint8_t i = 0; i < p.plan.nsteps; ++i) mapped |= p.plan.steps[i].kind == io_step::op::map_extents;
  lu_outcome o = mapped ? core_->finish_mapped(p.cmd, p.plan, io_result, failed, buf)
                        : core_->finish(p.cmd, p.plan, io_result, failed, buf);
  if (o.durable) store_durable(*o.durable);
  if (p.long_op) log::info("lu {}: long operation ended ({})", def_.name, io_result);
  if (o.status == scsi::status::good && p.plan.data_in)
    o.data_in_len = mapped ? std::min(o.data_in_len, p.plan.buffer_len) : p.plan.buffer_len;
  // A long operation's task may be gone (IMMED) or aborted (PREEMPT AND
  // ABORT): it reports nothing then.
  if (p.long_op && p.t && p.t->aborted.load(std::memory_order_acquire)) complete_aborted(p.t);
  complete(p.t, o, o.data_in_mem);  // v3: Data-In the core assembled in its own memory
}

// The task left the medium: an aborted one reports so (the port sends
// nothing), and every task management function waiting for it counts down.
void lu_actor::end(uint64_t cookie, pending& p) {
  if (p.scratch) io::buffer_pool::global().release(p.scratch);
  if (p.pattern) io::buffer_pool::global().release(p.pattern);
  if (p.t && p.t->aborted.load(std::memory_order_acquire)) complete_aborted(p.t);
  for (auto& w : p.waiters)
    if (--w->remaining == 0) w->rp.deliver(w->answer);
  inflight_.erase(cookie);
  release(cookie);
}

// Writes the outcome into the task's ScsiTask and hands it back.
void lu_actor::complete(task_ptr& t, const lu_outcome& o, const uint8_t* small_data) {
  if (!t) return;
  auto task = t->task;
  uint32_t data_in_len = o.data_in_len;
  uint8_t status = o.status;
  if (small_data != nullptr && data_in_len > 0) {
    if (t->ensure_data(data_in_len)) {
      std::memcpy(t->data.data, small_data, data_in_len);
    } else {  // out of buffer memory (the daemon-wide cap): SAM-5 BUSY, the initiator retries
      status = scsi::status::busy;
      data_in_len = 0;
    }
  }
  task.setStatus(status);
  if (o.sense && status == o.status) {
    uint8_t buf[64];
    size_t n = scsi::build_sense(*o.sense, core_->descriptor_sense_for(task.getNexus()), buf, sizeof buf);
    task.setSense(capnp::Data::Reader(buf, n));
  }
  task.setDataInLength(data_in_len);
  if (o.transfer_length) task.setCommandLength(o.transfer_length);
  if (task.getCommandLength() == 0) {
    task.setCommandLength(task.getDirection() == wire::Direction::WRITE ? task.getDataOutLength() : data_in_len);
  }
  if (stats_) {  // one clock read, shared with the session layer (done_ns)
    uint64_t now = monotonic_ns();
    t->done_ns = now;
    uint64_t out = task.getDirection() == wire::Direction::WRITE ? task.getDataOutLength() : 0;
    stats_->record(status, data_in_len, out, t->start_ns && now > t->start_ns ? now - t->start_ns : 0);
  }
  task.setCompleted(true);
  if (auto port = t->port.get()) send(port, done_atom::value, std::move(t));
  t = nullptr;
}

void lu_actor::complete_aborted(task_ptr& t) {
  if (!t) return;
  t->task.setCompleted(true);
  if (auto port = t->port.get()) send(port, done_atom::value, std::move(t));
  t = nullptr;
}

}  // namespace stmfd
