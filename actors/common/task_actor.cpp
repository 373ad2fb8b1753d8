#include "actors/common/task_actor.hpp"

#include <caf/all.hpp>

#include "actors/common/faults.hpp"

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

namespace {

struct task_state {
  task_ptr current;      // the task in flight, if any
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
  return {
      [self, st](execute_atom, task_ptr& t) {
        if (faults::hit(faults::point::task_start)) {
          self->quit(caf::make_error(caf::sec::runtime_error, "fault injected: task.start"));
          return;
        }
        st->current = std::move(t);
        caf::actor lu = st->current->lu.get();
        if (!lu) {  // the LUN's LU is offline (failed too often)
          set_check_condition(*st->current, scsi::sense::internal_target_failure());
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
