#include "actors/session/nexus_session.hpp"

#include <algorithm>

#include <caf/all.hpp>

#include "actors/common/log.hpp"
#include "actors/common/messages.hpp"
#include "actors/common/task_actor.hpp"
#include "actors/model/aca.hpp"
#include "wire/scsi/cdb.hpp"
#include "wire/scsi/inquiry.hpp"
#include "wire/scsi/report_luns.hpp"
#include "wire/scsi/sense.hpp"

namespace stmfd {

namespace {

constexpr auto tmf_timeout = std::chrono::seconds(60);
// A logout's wait for STMF's confirmation (STMF waits 5 s per LU at most,
// in parallel, so this only fires when STMF itself does not answer).
constexpr auto detach_timeout = std::chrono::seconds(10);

}  // namespace

void nexus_session::open(const nexus_grant& g) {
  auto m = g.msg.get();
  nexus_ = m.getNexus();
  luns_ = lun_map_of(g);
  pool_ = g.tasks;
  stats_ = g.stats;
  if (m.hasPort()) {
    relative_port_id_ = m.getPort().getRelativePortId();
    target_port_group_ = m.getPort().getTargetPortGroup();
  }
}

task_ptr nexus_session::new_task() {
  task_ptr t = pool_->acquire();
  auto task = t->reset_message();
  task.setNexus(nexus_);
  task.setRelativePortId(relative_port_id_);
  task.setTargetPortGroup(target_port_group_);
  return t;
}

const lun_entry* nexus_session::route(const uint8_t* lun_field, const uint8_t* cdb) const {
  if (cdb[0] == scsi::op::report_luns) return nullptr;  // SPC-4 6.33: the view answers it
  auto lun = scsi::decode_lun(lun_field);               // SAM-5 4.7 single-level LUN
  if (!lun) return nullptr;
  for (auto& e : luns_)
    if (e.lun == *lun) return &e;
  return nullptr;
}

// The commands the session layer answers itself (answer): REPORT LUNS
// from the view, and what a LUN without an LU (or the REPORT LUNS W-LUN)
// answers (SPC-4 8.2).
void nexus_session::answer_command(const uint8_t* cdb, size_t cdb_len, bool wlun, uint8_t* out, size_t cap,
                                   scsi::reply& r) {
  switch (cdb[0]) {
    case scsi::op::report_luns: {
      auto d = scsi::decode_report_luns(cdb, cdb_len);
      if (d.error) {
        r.error = d.error;
        break;
      }
      std::vector<uint16_t> numbers;
      numbers.reserve(luns_.size());
      for (auto& e : luns_) numbers.push_back(e.lun);
      std::sort(numbers.begin(), numbers.end());
      r = scsi::build_report_luns(numbers, d.req, out, cap);
      // SPC-4 6.33: the inventory was reported; the LUs drop this nexus's
      // REPORTED LUNS DATA HAS CHANGED (posted only when the views changed
      // the inventory, so only then is there one to clear).
      if (!r.error && luns_changed_) {
        luns_changed_ = false;
        for (auto& e : luns_)
          if (e.lu) host_->send(e.lu, luns_seen_atom::value, nexus_);
      }
      break;
    }
    case scsi::op::inquiry:
      r = wlun ? scsi::build_well_known_inquiry(cdb, cdb_len, "STMFD", "REPORT LUNS WLUN", "0001", out, cap)
               : scsi::build_unmapped_inquiry(cdb, cdb_len, "STMFD", "NO LUN", "0001", out, cap);
      break;
    case scsi::op::request_sense: {  // SPC-4 6.39: the W-LUN has nothing to report
      auto code = wlun ? scsi::sense::no_sense() : scsi::sense::lu_not_supported();
      r.length = std::min<size_t>(scsi::build_sense(scsi::plain(code), (cdb[1] & 1) != 0, out, 252), cdb[4]);
      break;
    }
    case scsi::op::test_unit_ready:
      if (!wlun) r.error = scsi::plain(scsi::sense::lu_not_supported());
      break;
    default:  // SPC-4 8.2: a W-LUN answers only its own commands
      r.error = scsi::plain(wlun ? scsi::sense::invalid_opcode() : scsi::sense::lu_not_supported());
      break;
  }
}

void nexus_session::answer(task_context& t, const uint8_t* lun_field) {
  auto cdb_reader = t.task.getCdb();
  const uint8_t* cdb = cdb_reader.begin();
  size_t cdb_len = cdb_reader.size();
  // REPORT LUNS needs 8 bytes a LUN plus the W-LUN and the header; INQUIRY
  // and sense data fit in 256.
  const size_t cap = std::max<size_t>(256, 16 + 8 * (luns_.size() + 1));
  if (!t.ensure_data(uint32_t(cap))) {
    complete_task(t, scsi::status::busy, nullptr, 0);
    return;
  }
  uint8_t* out = t.data.data;
  const bool wlun = scsi::is_report_luns_wlun(lun_field);  // SPC-4 8.2 REPORT LUNS well known LU
  scsi::reply r;
  // No ACA here either (actors/model/aca.hpp): NACA=1 or the ACA attribute is refused first.
  if (auto s = unsupported_aca(t.task.getAttribute() == wire::TaskAttribute::ACA, cdb, cdb_len))
    r.error = *s;
  else
    answer_command(cdb, cdb_len, wlun, out, cap, r);
  if (r.error)
    complete_task(t, scsi::status::check_condition, &*r.error, 0);
  else
    complete_task(t, scsi::status::good, nullptr, uint32_t(r.length));
  // Answered here, never handed to an LU: counted with no latency (first bucket).
  if (stats_) stats_->record(t.task.getStatus(), t.task.getDataInLength(), 0, 0);
}

void nexus_session::start(task_ptr t, const lun_entry& lu) {
  t->lu = lu.lu;
  t->lu_becoming_ready = !lu.lu && lu.state == lu_state::restarting;
  t->port = caf::actor_cast<caf::actor>(host_);
  if (stats_) t->start_ns = monotonic_ns();
  caf::actor a;
  if (!idle_.empty()) {
    a = std::move(idle_.back());
    idle_.pop_back();
  } else {
    // An unused argument: CAF 0.17.6 spawns a function of no arguments
    // through a null shared_ptr<std::tuple<>> that it dereferences
    // (caf/detail/init_fun_factory.hpp), undefined behaviour UBSan stops at
    // (found by tests/fuzz/fuzz_connection.cpp).
    a = host_->spawn([](caf::event_based_actor* self, bool) { return task_actor(self); }, true);
    host_->monitor(a);
  }
  t->actor = a;
  workers_[a.address()] = worker{a, t};
  // The task actor first (it must be watching before the LU can answer),
  // then the LU: from this one sender the LU receives the nexus's commands
  // in order (SAM-5 8.6).
  host_->send(a, execute_atom::value, t);
  if (lu.lu) host_->send(lu.lu, execute_atom::value, std::move(t));
}

void nexus_session::finished(const task_ptr& t) {
  count(*t);
  auto a = t->actor.get();
  if (!a) return;
  auto it = workers_.find(a.address());
  if (it == workers_.end()) return;
  it->second.task = nullptr;
  idle_.push_back(std::move(a));
}

// A task the host got back (done_atom): counted unless it was aborted (no
// status goes out for it). The LU's completion time is reused; a task the
// task actor answered (its LU did not serve) reads the clock here.
void nexus_session::count(const task_context& t) {
  if (!stats_ || t.start_ns == 0 || t.aborted.load(std::memory_order_relaxed)) return;
  auto task = t.task;
  uint64_t done = t.done_ns ? t.done_ns : monotonic_ns();
  uint64_t out = task.getDirection() == wire::Direction::WRITE ? task.getDataOutLength() : 0;
  stats_->record(task.getStatus(), task.getDataInLength(), out, done > t.start_ns ? done - t.start_ns : 0);
}

task_ptr nexus_session::on_down(const caf::down_msg& m) {
  auto it = workers_.find(m.source);
  if (it == workers_.end()) return nullptr;
  task_ptr t = std::move(it->second.task);
  workers_.erase(it);
  idle_.erase(std::remove_if(idle_.begin(), idle_.end(), [&](const caf::actor& x) { return x.address() == m.source; }),
              idle_.end());
  if (!t) return nullptr;  // it was idle, or its task was already reported
  // The task actor died before reporting: only this command fails. The LU
  // may still hold the task (and may be writing its status right now), so
  // it is told to stop, and the host answers from its own bytes.
  t->aborted.store(true, std::memory_order_release);
  log::warn("nexus {}: task {:#x} failed ({}), answering CHECK CONDITION", nexus_, t->task.getTaskTag(),
            to_string(m.reason));
  return t;
}

void nexus_session::on_lu_update(const lu_event& e, const caf::actor& lu) {
  auto name = e.get().getLuName();
  const lu_state state = from_wire(e.get().getState()).value_or(lu_state::offline);  // as lun_map_of reads it
  for (auto& x : luns_)
    if (x.lu_name == name.cStr()) {
      x.lu = lu;
      x.state = state;
    }
}

void nexus_session::task_management(tmf_request req, const uint8_t* lun_field,
                                    std::function<void(const tmf_response&)> done) {
  auto fn = req.get().getFunction();
  uint32_t tag = req.get().getTag();
  if (!known_function(fn)) return done(make_tmf_response(tag, wire::TaskManagementResult::NOT_SUPPORTED, 0));
  std::vector<caf::actor> targets;
  if (whole_target(fn)) {
    for (auto& e : luns_)
      if (e.lu) targets.push_back(e.lu);
  } else {
    auto lun = scsi::decode_lun(lun_field);
    const lun_entry* e = nullptr;
    if (lun)
      for (auto& x : luns_)
        if (x.lun == *lun) e = &x;
    if (e == nullptr) return done(make_tmf_response(tag, wire::TaskManagementResult::NO_SUCH_LUN, 0));
    req.edit().setLun(e->lun);
    if (e->lu) targets.push_back(e->lu);
  }
  if (targets.empty()) return done(make_tmf_response(tag, wire::TaskManagementResult::COMPLETE, 0));
  struct fan_in {
    size_t remaining;
    uint32_t stopped = 0;
    uint32_t tag;
    std::function<void(const tmf_response&)> done;
    void answered(uint32_t n) {
      stopped += n;
      if (--remaining == 0) done(make_tmf_response(tag, wire::TaskManagementResult::COMPLETE, stopped));
    }
  };
  auto in = std::make_shared<fan_in>(fan_in{targets.size(), 0, tag, std::move(done)});
  for (auto& lu : targets) {
    host_->request(lu, tmf_timeout, tmf_atom::value, req)
        .then([in](const tmf_response& r) { in->answered(r.get().getTasksStopped()); },
              [in](caf::error&) { in->answered(0); });  // the LU died: its tasks ended with it
  }
}

void nexus_session::close(const caf::actor& stmf) { close(stmf, nullptr); }

void nexus_session::close(const caf::actor& stmf, std::function<void()> detached) {
  if (nexus_ != 0 && stmf && detached) {
    auto d = std::make_shared<std::function<void()>>(std::move(detached));
    host_->request(stmf, detach_timeout, logout_atom::value, make_detach(nexus_), done_atom::value)
        .then([d](done_atom) { (*d)(); }, [d](caf::error&) { (*d)(); });
  } else if (nexus_ != 0 && stmf) {
    host_->send(stmf, logout_atom::value, make_detach(nexus_));
  } else if (detached) {
    detached();
  }
  for (auto& [addr, w] : workers_) host_->send_exit(w.actor, caf::exit_reason::user_shutdown);
  workers_.clear();
  idle_.clear();
  nexus_ = 0;
}

}  // namespace stmfd
