#include "actors/common/task_actor.hpp"

#include <caf/all.hpp>

#include "actors/common/faults.hpp"
#include "wire/scsi/sense.hpp"

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

caf::behavior task_actor(caf::event_based_actor* self, task_ptr t) {
  if (faults::hit(faults::point::task_start)) {
    self->quit(caf::make_error(caf::sec::runtime_error, "fault injected: task.start"));
    return {};
  }
  if (!t->lu) {  // the LUN's LU is offline (failed too often, or not started)
    set_check_condition(*t, scsi::sense::internal_target_failure());
    self->send(t->port, done_atom::value, t);
    self->quit();
    return {};
  }
  self->monitor(t->lu);
  self->set_down_handler([self, t](caf::down_msg& m) {
    if (m.source != t->lu.address()) return;
    set_check_condition(*t, scsi::sense::internal_target_failure());
    self->send(t->port, done_atom::value, t);
    self->quit();
  });
  self->send(t->lu, execute_atom::value, t);
  return {
      [self](done_atom, task_ptr& done) {
        auto port = done->port;
        self->send(port, done_atom::value, std::move(done));
        self->quit();
      },
  };
}

}  // namespace stmfd
