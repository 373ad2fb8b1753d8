#include "actors/common/task_actor.hpp"

#include <caf/all.hpp>

#include "actors/common/faults.hpp"
#include "wire/scsi/cdb.hpp"
#include "wire/scsi/inquiry.hpp"

namespace stmfd {

void set_check_condition(task_context& t, scsi::sense_code code) {
  uint8_t buf[32];
  scsi::sense_info s{code, std::nullopt, std::nullopt};
  size_t n = scsi::build_sense(s, false, buf, sizeof buf);
  t.task.setStatus(scsi::status::check_condition);
  t.task.setSense(capnp::Data::Reader(buf, n));
  t.task.setDataInLength(0);
  t.task.setCompleted(true);
}

void complete_task(task_context& t, uint8_t status, const scsi::sense_info* sense, uint32_t data_len) {
  auto task = t.task;
  task.setStatus(status);
  if (sense) {
    uint8_t buf[64];
    size_t n = scsi::build_sense(*sense, false, buf, sizeof buf);
    task.setSense(capnp::Data::Reader(buf, n));
  }
  task.setDataInLength(data_len);
  task.setCommandLength(data_len);
  task.setCompleted(true);
}

namespace {

// The LUN's LU is in the view but does not serve (actors/model/lu_state.hpp).
// The device server says LOGICAL UNIT NOT READY (SPC-4 4.5.6) with the
// additional sense code that tells the initiator whether waiting helps:
//  - BECOMING READY (02h/04h/01h) while STMF restarts the LU by itself (its
//    actor ended and the new one is not in place yet: the session's handle
//    is gone, or STMF said RESTARTING). A transient state: initiators retry
//    it (Linux sd, libiscsi's and QEMU's callers do), and the next command
//    after the restart gets POWER ON 29h/00h;
//  - MANUAL INTERVENTION REQUIRED (02h/04h/03h) when an administrator must
//    act: its store cannot be opened (a missing file or device, rights), it
//    exceeded its restart budget (restart_policy: tried again only after a
//    back-off), it was taken offline, or no provider serves it. Initiators
//    fail such a command at once rather than retry it for minutes.
// In both cases:
//  - INQUIRY is still answered (SPC-4 6.6.1), peripheral qualifier 001b
//    (6.6.2: a device could be attached to this LU but is not now), device
//    type 1Fh (the LU cannot say which it is); only VPD page 00h is offered.
//  - REQUEST SENSE reports the condition as parameter data (SPC-4 6.39).
void answer_not_ready(task_context& t) {
  auto cdb = t.task.getCdb();
  // `lu` named an actor that is gone: that LU ended after the session routed
  // the task, and STMF is restarting it.
  const bool transient = t.lu_becoming_ready || static_cast<bool>(t.lu);
  const auto not_ready =
      transient ? scsi::sense::not_ready_becoming_ready() : scsi::sense::not_ready_manual_intervention();
  if (cdb.size() < 6 || (cdb[0] != scsi::op::inquiry && cdb[0] != scsi::op::request_sense)) {
    set_check_condition(t, not_ready);
    return;
  }
  constexpr size_t cap = 256;  // standard INQUIRY data, VPD 00h, or sense
  if (!t.ensure_data(cap)) {
    complete_task(t, scsi::status::busy, nullptr, 0);
    return;
  }
  uint8_t* out = t.data.data;
  scsi::reply r;
  if (cdb[0] == scsi::op::inquiry) {
    r = scsi::build_unmapped_inquiry(cdb.begin(), cdb.size(), "STMFD", "LU NOT READY", "0001", out, cap);
    constexpr uint8_t not_connected = 0x3F;  // qualifier 001b, type 1Fh
    if (!r.error && r.length > 0) out[0] = not_connected;
  } else {
    bool descriptor = (cdb[1] & 1) != 0;
    r.length = std::min<size_t>(scsi::build_sense(scsi::plain(not_ready), descriptor, out, 252), cdb[4]);
  }
  if (r.error) {
    complete_task(t, scsi::status::check_condition, &*r.error, 0);
    return;
  }
  complete_task(t, scsi::status::good, nullptr, uint32_t(r.length));
}

struct task_state {
  task_ptr current;       // the task in flight, if any
  caf::actor watched_lu;  // the LU this actor monitors
};

void finish(caf::event_based_actor* self, task_state& st) {
  auto t = std::move(st.current);
  if (auto port = t->port.get()) self->send(port, done_atom::value, std::move(t));
}

}  // namespace

caf::behavior task_actor(caf::event_based_actor* self) {
  auto st = std::make_shared<task_state>();
  self->set_down_handler([self, st](caf::down_msg& m) {
    if (!st->watched_lu || m.source != st->watched_lu.address()) return;
    st->watched_lu = nullptr;
    // The LU answers the port itself; only a task it never completed is
    // failed here (completed is written before the LU's answer is sent,
    // and the LU's death comes after that).
    if (st->current && !st->current->task.getCompleted()) {
      set_check_condition(*st->current, scsi::sense::internal_target_failure());
      finish(self, *st);
    }
  });
  // Ending (its session closed): stop watching, or the LU would keep this
  // actor's monitor record for as long as the LU lives.
  self->set_exit_handler([self, st](caf::exit_msg& m) {
    if (st->watched_lu) self->demonitor(st->watched_lu);
    st->watched_lu = nullptr;
    st->current = nullptr;
    self->quit(m.reason);
  });
  return {
      [self, st](execute_atom, task_ptr& t) {
        if (faults::hit(faults::point::task_start)) {
          self->quit(caf::make_error(caf::sec::runtime_error, "fault injected: task.start"));
          return;
        }
        st->current = std::move(t);
        caf::actor lu = st->current->lu.get();
        if (!lu) {  // the LUN's LU does not serve (not open, failing, offline)
          answer_not_ready(*st->current);
          finish(self, *st);
          return;
        }
        if (lu != st->watched_lu) {
          if (st->watched_lu) self->demonitor(st->watched_lu);
          st->watched_lu = lu;
          self->monitor(lu);  // a dead LU reports down at once
        }
        // The session layer sent the task to the LU itself (one sender keeps
        // a nexus's commands in order at the LU's task set), and the LU
        // answers the port directly: this actor only watches.
      },
  };
}

}  // namespace stmfd
